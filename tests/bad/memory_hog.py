# Bad input: grows a list of distinct big strings without bound (runs out of memory).
hog = []
i = 0
while True:
    hog.append(str(i) * 10_000_000)
    i += 1
