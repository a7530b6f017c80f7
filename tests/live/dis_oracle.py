"""Print every code object of FILE as telar's EV_BYTECODE text, from dis.

Run by tests/live.sh under the CPython that telar embeds: one block per
code object, headed "== qualname firstlineno", addresses in code reprs
replaced by 0xADDR.
"""
import dis
import os
import re
import sys


def lines_of(co):
    table = {}
    for start, end, line in co.co_lines():
        for off in range(start, end, 2):
            table[off] = line if line is not None else -1
    return table


def walk(co, out):
    table = lines_of(co)
    text = []
    for ins in dis.get_instructions(co):
        arg = "" if ins.arg is None else str(ins.arg)
        argrepr = ins.argrepr if ins.arg is not None else ""
        text.append(f"{ins.offset}\t{table.get(ins.offset, -1)}\t"
                    f"{ins.opname}\t{arg}\t{argrepr}\n")
    out.append((co.co_qualname, co.co_firstlineno, "".join(text)))
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            walk(c, out)


def main():
    path = os.path.abspath(sys.argv[1])
    with open(path, encoding="utf-8") as f:
        co = compile(f.read(), path, "exec")
    out = []
    walk(co, out)
    for qual, first, text in sorted(out):
        sys.stdout.write(f"== {qual} {first}\n")
        sys.stdout.write(re.sub(r" at 0x[0-9a-f]+", " at 0xADDR", text))


main()
