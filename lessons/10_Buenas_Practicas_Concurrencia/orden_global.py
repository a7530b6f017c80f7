# El arreglo 1: un orden global.  Todas las transferencias bloquean las
# cuentas en el mismo orden, de menor a mayor número de cuenta, sea cual
# sea el sentido del dinero.  Así no puede formarse un ciclo: quien tiene
# la cuenta 2 ya tiene la 1, y nadie que tenga la 1 espera por nadie que
# no la tenga.
import threading
import time


class Cuenta:
    def __init__(self, numero, nombre, saldo):
        self.numero = numero
        self.nombre = nombre
        self.saldo = saldo
        self.candado = threading.Lock()


cuenta_a = Cuenta(1, "cuenta_a", 100)
cuenta_b = Cuenta(2, "cuenta_b", 100)


def transferir(origen, destino, cantidad):
    banco = threading.current_thread().name
    # telar: el orden lo decide el número de cuenta, no el sentido
    primera, segunda = sorted((origen, destino), key=lambda c: c.numero)
    with primera.candado:
        print(f"{banco} bloquea {primera.nombre}", flush=True)
        time.sleep(0.1)         # comprobar el saldo lleva su tiempo
        with segunda.candado:
            print(f"{banco} bloquea {segunda.nombre}", flush=True)
            origen.saldo -= cantidad
            destino.saldo += cantidad
            print(f"{banco} transfiere {cantidad} de {origen.nombre} "
                  f"a {destino.nombre}", flush=True)


a = threading.Thread(target=transferir, args=(cuenta_a, cuenta_b, 30),
                     name="banco-A")
b = threading.Thread(target=transferir, args=(cuenta_b, cuenta_a, 20),
                     name="banco-B")
a.start()
time.sleep(0.05)
b.start()
a.join()
b.join()
print(f"saldos: cuenta_a={cuenta_a.saldo} cuenta_b={cuenta_b.saldo}")
