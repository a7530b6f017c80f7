# A chained exception ("raise ... from", and one raised while handling) uncaught in a child.
import multiprocessing as mp


class ConfigError(Exception):
    pass


def load(cfg):
    try:
        return int(cfg["port"])
    except KeyError as e:
        raise ConfigError("no port configured") from e


def handle():
    try:
        1 / 0
    except ZeroDivisionError:
        [][1]


if __name__ == "__main__":
    for target, args in ((load, ({},)), (handle, ())):
        p = mp.Process(target=target, args=args)
        p.start()
        p.join()
        print(target.__name__, "exitcode", p.exitcode)
