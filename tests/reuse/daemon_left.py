# Reuse: a daemon thread still blocked when the main module ends.
import threading

evento = threading.Event()
t = threading.Thread(target=evento.wait, daemon=True)
t.start()
print("fin")
