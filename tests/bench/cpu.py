# A CPU-bound pure-Python mix (recursion, loops, dicts and strings, sorting)
# for the overhead benchmark: telar against the real python3 binary.
def fib(n):
    return n if n < 2 else fib(n-1) + fib(n-2)
def loops(n):
    t = 0
    for i in range(n):
        t += i * i % 7
    return t
def strs(n):
    d = {}
    for i in range(n):
        k = "k%d" % (i % 100)
        d[k] = d.get(k, 0) + len(k)
    return sum(d.values())
def lists(n):
    xs = [i for i in range(n)]
    return sum(sorted(x * 3 % 11 for x in xs))
print(fib(27), loops(3000000), strs(1500000), lists(1500000))
