# An uncaught exception in the main thread: traceback with carets on stderr, exit 1.
def average(values):
    return sum(values) / len(values)


def report(groups):
    for name, values in groups.items():
        print(name, average(values))


print("start")
report({"a": [1, 2, 3], "b": [4], "empty": []})
print("never printed")
