# telar's bootstrap: runs inside the embedded interpreter before the
# scenario, compiled into the binary (boot-py.h is generated from this file).
# It installs _telar's scheduler-aware replacements in _thread, _queue, time,
# os and selectors before threading, queue, asyncio or concurrent.futures are
# imported, so those run as CPython's own code on top of them.  Its frames
# have the file name "<telar>": the tracer never treats them as scenario code.

import sys
import _thread
import _queue
import time
import os
import _telar

_ = _telar._


def install(seed):
    # Threads and locks (Lib/threading.py binds these at import).
    _thread.start_new_thread = _telar.start_new_thread
    _thread.start_new = _telar.start_new_thread
    _thread.allocate_lock = _telar.allocate_lock
    _thread.allocate = _telar.allocate_lock
    _thread.LockType = _telar.LockType
    _thread.RLock = _telar.RLock
    _thread._set_sentinel = _telar._set_sentinel
    _thread._excepthook = _telar._excepthook
    # ThreadPoolExecutor's workers wait in _queue.SimpleQueue.get.
    _queue.SimpleQueue = _telar.SimpleQueue
    # The clocks and sleep.
    time.sleep = _telar.sleep
    time.monotonic = _telar.monotonic
    time.monotonic_ns = _telar.monotonic_ns
    time.perf_counter = _telar.perf_counter
    time.perf_counter_ns = _telar.perf_counter_ns
    time.time = _telar.time
    time.time_ns = _telar.time_ns
    # What CPython draws from the OS comes from the run's seed.
    os.urandom = _telar.urandom
    os._exit = _telar._exit
    # Processes: fork, waiting and killing children, and the pipes between
    # them (multiprocessing.connection binds os.read/os.write at import).
    os.fork = _telar.fork
    os.cpu_count = _telar.cpu_count
    os.register_at_fork(after_in_child=_telar._after_fork_child)
    os.waitpid = _telar.waitpid
    os.kill = _telar.kill
    os.read = _telar.read
    os.write = _telar.write
    os.close = _telar.close
    import _multiprocessing
    _multiprocessing.SemLock = _telar.SemLock
    _multiprocessing.sem_unlink = _sem_unlink
    _install_selector()
    _install_socket()
    _install_spawn()
    _install_random(seed)
    _install_streams()
    _install_helper()
    import atexit
    atexit.register(_telar.finishing)
    # Scenarios of threads, asyncio or processes all import threading
    # (asyncio and multiprocessing do): import it now, once, so that runs
    # forked from a prepared interpreter (telar explore) find it there.
    # It binds the replacements above, as it would later.
    import threading


def _install_selector():
    import math
    import selectors

    class EpollSelector(selectors._BaseSelectorImpl):
        """asyncio's selector, waiting in virtual time.  It keeps the name
        of the class it replaces: asyncio's debug log prints it."""

        def select(self, timeout=None):
            if timeout is None:
                timeout = -1.0
            elif timeout <= 0:
                timeout = 0.0
            else:
                # epoll rounds up to whole milliseconds, as CPython's does.
                timeout = math.ceil(timeout * 1e3) * 1e-3
            fds = [(key.fd, key.events) for key in self._fd_to_key.values()]
            ready = []
            for fd, events in _telar.selector_wait(fds, timeout):
                key = self._fd_to_key.get(fd)
                if key is not None and events & key.events:
                    ready.append((key, events & key.events))
            return ready

    EpollSelector.__module__ = "selectors"
    selectors.EpollSelector = EpollSelector
    selectors.DefaultSelector = EpollSelector

    # multiprocessing.connection.wait uses PollSelector (bound at import).
    class PollSelector(EpollSelector):
        pass

    PollSelector.__module__ = "selectors"
    selectors.PollSelector = PollSelector


def _install_socket():
    # A blocking accept() would wait for real, holding the baton, for a
    # client that cannot run: multiprocessing's Manager serves one.
    import socket

    real_accept = socket.socket.accept

    def accept(self):
        if self.gettimeout() is None:
            _telar.wait_readable(self.fileno())
        return real_accept(self)

    accept.__doc__ = real_accept.__doc__
    accept.__qualname__ = real_accept.__qualname__
    socket.socket.accept = accept


def _sem_unlink(name):
    """Remove a named semaphore.  telar's live in the run's shared
    memory, not in /dev/shm: there is nothing to remove."""


def _install_spawn():
    # multiprocessing's spawn start method and its resource tracker start
    # sys.executable through _posixsubprocess.fork_exec.  telar starts its
    # own binary instead: a spawned child as a fresh engine that joins the
    # run, the tracker as a plain interpreter beside it.  forkserver keeps
    # a server process outside any scheduler: refused plainly.  Other
    # programs (subprocess) start as usual.
    import _posixsubprocess

    real_fork_exec = _posixsubprocess.fork_exec
    executable = os.fsencode(sys.executable)

    def fork_exec(args, executable_list, close_fds, pass_fds, *rest):
        what = _mp_command(args, executable_list, executable)
        if what == "forkserver":
            raise RuntimeError(_(
                "telar cannot run the 'forkserver' start method of "
                "multiprocessing: use 'spawn', or 'fork' (the default on "
                "Linux)"))
        if what is not None:
            if what == "spawn":
                _spawn_writer()
            return _telar.spawn(what == "spawn",
                                [os.fsencode(a) for a in args[1:]],
                                pass_fds)
        return real_fork_exec(args, executable_list, close_fds, pass_fds,
                              *rest)

    fork_exec.__doc__ = real_fork_exec.__doc__
    _posixsubprocess.fork_exec = fork_exec


def _mp_command(args, executable_list, executable):
    """"spawn", "tracker" or "forkserver" for the commands multiprocessing
    runs sys.executable with (spawn.get_command_line, the resource
    tracker's and the fork server's ensure_running); None otherwise."""
    try:
        if [os.fsencode(x) for x in executable_list] != [executable]:
            return None
        args = [os.fsdecode(a) for a in args]
        command = args[args.index("-c") + 1]
    except (TypeError, ValueError, IndexError):
        return None
    if command.startswith("from multiprocessing.spawn import spawn_main"):
        return "spawn"
    if command.startswith("from multiprocessing.resource_tracker import"):
        return "tracker"
    if command.startswith("from multiprocessing.forkserver import"):
        return "forkserver"
    return None


class _PipeWriter:
    """What popen_spawn_posix writes the preparation data and the process
    object through: os.write (waiting in virtual time while the pipe is
    full, the child reading it in its turns) instead of a FileIO write
    that would block for real."""

    def __init__(self, fd):
        self._fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def write(self, data):
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            done += _telar.write(self._fd, view[done:])
        return done


def _spawn_open(file, mode="r", *args, **kwargs):
    if isinstance(file, int) and mode == "wb" and not kwargs.get("closefd",
                                                                   True):
        return _PipeWriter(file)
    return open(file, mode, *args, **kwargs)


def _spawn_writer():
    # popen_spawn_posix.Popen._launch calls open(parent_w, 'wb',
    # closefd=False) right after fork_exec returns: a module global named
    # open comes before the builtin.
    mod = sys.modules.get("multiprocessing.popen_spawn_posix")
    if mod is not None and "open" not in vars(mod):
        mod.open = _spawn_open


class _PipeReader:
    """The raw file under spawn._main's os.fdopen(pipe_handle, 'rb'):
    reads wait in virtual time, while the parent writes in its turns."""

    def __init__(self, fd):
        self._fd = fd

    def readable(self):
        return True

    def readinto(self, b):
        data = _telar.read(self._fd, len(b))
        b[:len(data)] = data
        return len(data)


def install_spawned(fd):
    """In a spawned child: the first os.fdopen(fd, 'rb') is spawn._main
    reading its preparation data and process object from the parent."""
    import io

    real_fdopen = os.fdopen

    class Reader(io.RawIOBase):
        def __init__(self):
            self._r = _PipeReader(fd)

        def readable(self):
            return True

        def readinto(self, b):
            return self._r.readinto(b)

        def fileno(self):
            return fd

        def close(self):
            if not self.closed:
                os.close(fd)
            super().close()

    def fdopen(f, mode="r", *args, **kwargs):
        if f == fd and mode == "rb":
            os.fdopen = real_fdopen
            return io.BufferedReader(Reader())
        return real_fdopen(f, mode, *args, **kwargs)

    fdopen.__doc__ = real_fdopen.__doc__
    os.fdopen = fdopen


def _install_random(seed):
    import random

    real_seed = random.Random.seed

    def seed(self, a=None, version=2):
        if a is None:
            a = int.from_bytes(_telar.urandom(32), "big")
        real_seed(self, a, version)

    seed.__doc__ = real_seed.__doc__
    seed.__qualname__ = real_seed.__qualname__
    random.Random.seed = seed
    random._inst.seed()


class _Stream:
    """sys.stdout / sys.stderr: CPython's own text stream (same buffering,
    same encoding), with every write also recorded for its actor."""

    __slots__ = ("_inner", "_fd")

    def __init__(self, inner, fd):
        self._inner = inner
        self._fd = fd

    def write(self, s):
        n = self._inner.write(s)
        if type(s) is str:
            _telar.output(self._fd, s)
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __iter__(self):
        return iter(self._inner)

    def __repr__(self):
        return repr(self._inner)


def _install_streams():
    if sys.stdout is not None:
        sys.stdout = _Stream(sys.stdout, 1)
    if sys.stderr is not None:
        sys.stderr = _Stream(sys.stderr, 2)


def _install_helper():
    import types

    m = types.ModuleType("telar", "telar's helper for scenarios (native).")
    m.cpu = _telar.cpu
    m.__file__ = None

    def label(obj, name):
        """Name a lock, queue or event for the screen; returns obj."""
        return obj

    m.label = label
    sys.modules["telar"] = m


# ---- Deadlock reports ---------------------------------------------------

_SYNC_TYPES = ("Event", "Condition", "Semaphore", "BoundedSemaphore",
               "Barrier", "Queue", "LifoQueue", "PriorityQueue", "Thread",
               "Future")


def _is_scenario(code):
    f = code.co_filename
    return not (f.startswith("<") or "/lib/python3" in f)


def _names_for(obj, frame):
    """Variable names that refer to obj (or to a wrapper holding it) as
    seen from the scenario frames of a thread's stack, innermost first."""
    f = frame
    while f is not None:
        if _is_scenario(f.f_code):
            for scope in (f.f_locals, f.f_globals):
                for name, value in scope.items():
                    if name.startswith("__"):
                        continue
                    if value is obj:
                        return name
                    for attr in ("_lock", "_cond", "mutex", "_block",
                                 "_tstate_lock"):
                        inner = getattr(value, attr, None)
                        if inner is obj or getattr(inner, "_lock", None) is obj:
                            return name
        f = f.f_back
    return None


def _scenario_frame(frame):
    f = frame
    while f is not None and not _is_scenario(f.f_code):
        f = f.f_back
    return f


def _waited_object(frame):
    """The innermost synchronisation object a blocked thread waits on: the
    `self` of a threading/queue method on its stack, or the lock argument."""
    f = frame
    found = None
    while f is not None:
        if not _is_scenario(f.f_code):
            self = f.f_locals.get("self")
            if self is not None and type(self).__name__ in _SYNC_TYPES:
                found = self
        else:
            break
        f = f.f_back
    return found


def _where(frame):
    f = _scenario_frame(frame)
    if f is None:
        return ""
    return " (%s:%d)" % (os.path.basename(f.f_code.co_filename), f.f_lineno)


def describe_deadlock(actors, cycle):
    by_id = {a["id"]: a for a in actors}
    lines = [_("telar: deadlock: no thread can run and no timer is pending.")]
    described = {}
    held = set()
    for a in actors:
        frame = a["frame"]
        what = None
        plain_lock = False
        if frame is not None:
            obj = _waited_object(frame)
            if obj is not None:
                kind = type(obj).__name__
                if kind == "Thread":
                    what = _("%s to finish (join)") % obj.name
                else:
                    name = _names_for(obj, frame) or kind
                    what = "%s (%s)" % (name, kind)
            else:
                # A plain lock: find the variable among the frame's names.
                f = _scenario_frame(frame)
                plain_lock = True
                if f is not None:
                    what = _lock_name_at(f)
        if what is None:
            what = a["kind"] or a["state"]
        if a["kind"] == "selector":
            text = (_("%s runs an asyncio event loop that waits forever: %s")
                    % (a["name"], _loop_tasks(frame)))
        else:
            text = _("%s waits for %s") % (a["name"], what)
        if a["holder"] and plain_lock:
            text += _(" held by %s") % a["holder"]
            held.add(text)
        described[a["id"]] = text
        lines.append("  " + text + _where(frame))
        if os.environ.get("TELAR_DEBUG") and frame is not None:
            import traceback
            for entry in traceback.format_stack(frame):
                lines.append("    | " + entry.rstrip().replace("\n", "\n    | "))
    if cycle:
        texts = [described[i] for i in cycle if i in described]
        if all(t in held for t in texts):
            lines.append("  " + _("cycle: %s") % "; ".join(texts))
    if any(a["kind"] == "selector" for a in actors):
        lines.append(_("Under python3 this program would hang forever: an "
                       "awaited future that nobody will complete."))
    else:
        lines.append(_("Under python3 this program would hang forever."))
    return "\n".join(lines) + "\n"


def _lock_name_at(f):
    """The name of the lock a frame is acquiring: the receiver of the
    call on its current line (`with cuenta_b:` or `cuenta_b.acquire()`)."""
    import linecache
    import re
    line = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
    m = re.match(r"(?:async\s+)?with\s+([\w.]+)", line)
    if m is None:
        m = re.search(r"([\w.]+)\.acquire\(", line)
    if m is not None:
        return m.group(1)
    return None


def _loop_tasks(frame):
    try:
        import asyncio
        loop = None
        f = frame
        while f is not None and loop is None:
            s = f.f_locals.get("self")
            if isinstance(s, asyncio.AbstractEventLoop):
                loop = s
            f = f.f_back
        if loop is None:
            return _("no task")
        parts = []
        for t in sorted(asyncio.all_tasks(loop), key=lambda t: t.get_name()):
            stack = t.get_stack(limit=1)
            where = ""
            if stack:
                fr = stack[-1]
                where = _(" at %s:%d") % (os.path.basename(fr.f_code.co_filename),
                                       fr.f_lineno)
            waiter = getattr(t, "_fut_waiter", None)
            coro = t.get_coro()
            name = getattr(coro, "__qualname__", None) or "?"
            parts.append(_("%s (%s) awaits %s%s") % (
                t.get_name(), name, _("a future that nobody will complete")
                if waiter is not None else _("nothing"), where))
        return "; ".join(parts) or _("no task")
    except Exception as exc:     # a report must never fail
        return "tasks unknown: %r" % (exc,)
