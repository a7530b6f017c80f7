# as_completed yields every future once; printed sorted since completion order varies.
from concurrent.futures import ThreadPoolExecutor, as_completed


def label(n):
    return f"item-{n:02d}"


with ThreadPoolExecutor(max_workers=4) as ex:
    futs = {ex.submit(label, n): n for n in range(10)}
    results = []
    for f in as_completed(futs):
        results.append((futs[f], f.result()))
print(len(results))
for n, r in sorted(results):
    print(n, r)
done_before = [f for f in futs]
print("as_completed on finished futures:", len(list(as_completed(done_before))))
print("duplicates collapse:", len(list(as_completed(done_before + done_before))))
