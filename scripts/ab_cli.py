#!/usr/bin/env python3
"""Alternating A/B timing of whole processes: `scripts/ab_cli.py BIN_A,BIN_B ARGS...` runs each binary with
ARGS in turn, RUNS times (default 7), output to /dev/null, and prints the least and median wall and CPU
(user + system) time of each. Alternating spreads the shared machine's load over both sides; the least CPU
time is the fairest figure when other processes compete for the cores."""
import os, statistics, subprocess, sys, time

bins, args = sys.argv[1].split(","), sys.argv[2:]
runs = int(os.environ.get("RUNS", 7))
res = {b: ([], []) for b in bins}
for _ in range(runs):
    for b in bins:
        t = time.perf_counter()
        p = subprocess.Popen([b] + args, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, b
        res[b][0].append(time.perf_counter() - t)
        res[b][1].append(ru.ru_utime + ru.ru_stime)
for b in bins:
    wall, cpu = res[b]
    print(f"{b}: wall least {min(wall) * 1e3:.0f} median {statistics.median(wall) * 1e3:.0f} ms; "
          f"CPU least {min(cpu) * 1e3:.0f} median {statistics.median(cpu) * 1e3:.0f} ms")
print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
