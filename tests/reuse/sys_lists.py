# Reuse: sys.path and os.environ changed in place.
import os
import sys
import threading

print(len(sys.path), os.environ.get("TELAR_REUSE_MARK"))
sys.path.append("/nowhere")
os.environ["TELAR_REUSE_MARK"] = "1"
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
