"""Print the EV_BYTECODE records of a `telar log` listing like dis_oracle.py.

Reads the listing on stdin: "code" records give the qualname and first
line of a code id, "bytecode" records its instructions.
"""
import json
import re
import sys

codes = {}
out = []
for line in sys.stdin:
    parts = line.rstrip("\n").split(" ", 4)
    if len(parts) < 5:
        continue
    kind = parts[2]
    if kind == "code":
        cid = int(parts[3].split("=")[1])
        first = int(parts[4].split(" ", 1)[0].split("=")[1])
        text = json.loads(parts[4].split(" ", 1)[1])
        codes[cid] = (text.split("\0")[1], first)
    elif kind == "bytecode":
        cid = int(parts[3].split("=")[1])
        qual, first = codes[cid]
        out.append((qual, first, json.loads(parts[4])))
for qual, first, text in sorted(out):
    sys.stdout.write(f"== {qual} {first}\n")
    sys.stdout.write(re.sub(r" at 0x[0-9a-f]+", " at 0xADDR", text))
