# current_thread, main_thread, get_ident comparisons, ident/native_id types.
import threading

info = {}


def worker():
    me = threading.current_thread()
    info["is_t"] = me is t
    info["ident_eq"] = threading.get_ident() == me.ident
    info["not_main"] = me is not threading.main_thread()
    info["native"] = isinstance(threading.get_native_id(), int)
    info["native_eq"] = threading.get_native_id() == me.native_id
    info["differs"] = threading.get_ident() != threading.main_thread().ident


main = threading.main_thread()
print("main is current:", main is threading.current_thread())
print("main ident matches:", main.ident == threading.get_ident())
print("native_id int:", isinstance(main.native_id, int))
t = threading.Thread(target=worker)
print("ident before start:", t.ident, t.native_id)
t.start()
t.join()
for k in ("is_t", "ident_eq", "not_main", "native", "native_eq", "differs"):
    print(k, info[k])
print("ident kept after join:", isinstance(t.ident, int))
