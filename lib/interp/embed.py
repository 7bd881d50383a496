# Turn a Python source file into a C byte array, so libextprobe carries the
# scripts it runs in the target interpreter (facts.py, trial.py). A byte
# array, not a string literal: C11 only promises 4095-byte literals.
# usage: embed.py INPUT OUTPUT SYMBOL
import sys

data = open(sys.argv[1], "rb").read() + b"\0"
out = ["/* Generated from %s by embed.py; do not edit. */" % sys.argv[1].rsplit("/", 1)[-1],
       "const char %s[] = {" % sys.argv[3]]
for i in range(0, len(data), 16):
    out.append("    " + ", ".join("%d" % b for b in data[i:i + 16]) + ",")
out.append("};")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
