# Outcome scenario: banco-A and banco-B take cuenta_a/cuenta_b in opposite orders: deadlock (hangs under python3).
import threading
import time

cuenta_a = threading.Lock()
cuenta_b = threading.Lock()


def transferir_a_b():
    with cuenta_a:
        print("banco-A tiene cuenta_a", flush=True)
        time.sleep(0.1)
        with cuenta_b:
            print("banco-A tiene cuenta_b")


def transferir_b_a():
    with cuenta_b:
        print("banco-B tiene cuenta_b", flush=True)
        time.sleep(0.1)
        with cuenta_a:
            print("banco-B tiene cuenta_a")


a = threading.Thread(target=transferir_a_b, name="banco-A")
b = threading.Thread(target=transferir_b_a, name="banco-B")
a.start()
b.start()
a.join()
b.join()
print("nunca llega")
