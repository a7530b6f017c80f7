# El arreglo 2: no esperar para siempre.  Cada banco toma su primera
# cuenta y pide la segunda con acquire(timeout=...).  Si no llega a
# tiempo, suelta la que tiene, espera un poco y vuelve a empezar.  Quien
# suelta rompe el ciclo y el otro puede terminar.  Las esperas distintas
# (banco-A 0.05 s, banco-B 0.08 s) evitan que los dos se suelten y se
# vuelvan a chocar al mismo ritmo una y otra vez.
import threading
import time

saldos = {"cuenta_a": 100, "cuenta_b": 100}
cuenta_a = threading.Lock()
cuenta_b = threading.Lock()


def transferir(banco, primera, segunda, nombres, cantidad, espera):
    origen, destino = nombres
    intento = 1
    while True:
        with primera:
            print(f"{banco} bloquea {origen} (intento {intento})",
                  flush=True)
            time.sleep(0.1)     # comprobar el saldo lleva su tiempo
            # telar: esperar la segunda cuenta, pero no para siempre
            if segunda.acquire(timeout=0.2):
                try:
                    saldos[origen] -= cantidad
                    saldos[destino] += cantidad
                    print(f"{banco} transfiere {cantidad} de {origen} "
                          f"a {destino}", flush=True)
                    return
                finally:
                    segunda.release()
            print(f"{banco} no consigue {destino}: suelta {origen} "
                  f"y reintenta", flush=True)
        time.sleep(espera)
        intento += 1


a = threading.Thread(target=transferir, name="banco-A",
                     args=("banco-A", cuenta_a, cuenta_b,
                           ("cuenta_a", "cuenta_b"), 30, 0.05))
b = threading.Thread(target=transferir, name="banco-B",
                     args=("banco-B", cuenta_b, cuenta_a,
                           ("cuenta_b", "cuenta_a"), 20, 0.08))
a.start()
time.sleep(0.05)
b.start()
a.join()
b.join()
print("saldos:", saldos)
