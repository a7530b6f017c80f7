# Bad input: a busy loop that never ends.
while True:
    pass
