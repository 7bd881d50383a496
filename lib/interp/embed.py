# Turn a Python source file into a C byte array, so libextprobe carries the
# scripts it runs in the target interpreter (facts.py, trial.py). A byte
# array, not a string literal: C11 only promises 4095-byte literals. Several
# inputs are joined into one source, in order (the single start of explain
# runs facts.py, then trial.py, in one interpreter).
# usage: embed.py INPUT... OUTPUT SYMBOL
import sys

inputs, output, symbol = sys.argv[1:-2], sys.argv[-2], sys.argv[-1]
data = b"\n".join(open(i, "rb").read().rstrip(b"\n") + b"\n" for i in inputs) + b"\0"
out = ["/* Generated from %s by embed.py; do not edit. */" % " + ".join(
           i.rsplit("/", 1)[-1] for i in inputs),
       "const char %s[] = {" % symbol]
for i in range(0, len(data), 16):
    out.append("    " + ", ".join("%d" % b for b in data[i:i + 16]) + ",")
out.append("};")
open(output, "w", encoding="utf-8").write("\n".join(out) + "\n")
