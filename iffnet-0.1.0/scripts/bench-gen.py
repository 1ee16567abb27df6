#!/usr/bin/env python3
"""Fallback generator for scripts/bench: N transactions among A accounts in iffnet's
native format, deterministic (seed 1). `iffnet generate` (scripts/make-large-case)
makes realistic cases; this one only needs to be big."""
import random
import sys

n, accounts = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(1)
out = sys.stdout
out.write("tx_id,timestamp,source,target,amount,currency,channel,reference\n")
t0 = 1704067200
buf = []
for i in range(n):
    a = rng.randrange(100, 10000000)
    buf.append("T%d,%d,ACC%07d,ACC%07d,%d.%02d,EUR,wire,\n"
               % (i, t0 + 3 * i, rng.randrange(accounts), rng.randrange(accounts), a // 100, a % 100))
    if len(buf) >= 100000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
