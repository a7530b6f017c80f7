# Bad input: a busy loop that never ends, in a generator that a function
# drives, each of them charged only where CPython checks its eval breaker.
def forever():
    n = 0
    while True:
        n += 1
        yield n


def drive():
    for x in forever():
        if x < 0:
            break


drive()
