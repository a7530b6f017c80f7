# Dos transferencias a la vez, en sentidos opuestos.  Cada banco bloquea
# primero la cuenta de origen y después la de destino: banco-A toma
# cuenta_a y espera a cuenta_b; banco-B toma cuenta_b y espera a cuenta_a.
# Ninguno puede seguir.  Con python3 el programa se queda colgado para
# siempre y hay que interrumpirlo; telar detecta el ciclo y lo explica.
import threading
import time

saldos = {"cuenta_a": 100, "cuenta_b": 100}
cuenta_a = threading.Lock()
cuenta_b = threading.Lock()


def banco_a():
    # Transfiere 30 de cuenta_a a cuenta_b.
    with cuenta_a:
        print("banco-A bloquea cuenta_a", flush=True)
        time.sleep(0.1)         # comprobar el saldo lleva su tiempo
        # telar: banco-A espera a cuenta_b, que tiene banco-B
        with cuenta_b:
            saldos["cuenta_a"] -= 30
            saldos["cuenta_b"] += 30


def banco_b():
    # Transfiere 20 de cuenta_b a cuenta_a: el orden contrario.
    with cuenta_b:
        print("banco-B bloquea cuenta_b", flush=True)
        time.sleep(0.1)
        # telar: banco-B espera a cuenta_a, que tiene banco-A
        with cuenta_a:
            saldos["cuenta_b"] -= 20
            saldos["cuenta_a"] += 20


a = threading.Thread(target=banco_a, name="banco-A")
b = threading.Thread(target=banco_b, name="banco-B")
a.start()
time.sleep(0.05)
b.start()
a.join()
b.join()
print("saldos:", saldos)
