# Non-ASCII output (UTF-8): accented text, symbols and an emoji on stdout and stderr.
import sys

print("¡Hola! Año, señal, canción, pingüino")
print("Hilos: ⟶ tarea → cola ✓")
print("emoji:", "🧵")
print("ñ" * 3, len("ñandú"), "ñandú".upper())
sys.stderr.write("error: ¿qué pasó?\n")
for palabra in ["hilo", "tarea", "corrutina"]:
    print(f"{palabra:>10}|{palabra.upper():<10}|")
print("€ %.2f" % 3.5, "→", "°C")
