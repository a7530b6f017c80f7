# Bad input: sleeps forever, one second at a time.
import time

while True:
    time.sleep(1)
