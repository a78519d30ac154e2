#!/usr/bin/env python3
"""Where the two cores went during a measure: CPU time of the given Essor
processes by thread name (essor-writer, essor-io, essor-handler,
essor-sealer, essor-checkpt, essor-hash; the rest "other"), of every other
program by name (postgres, wrk, nginx…), and how busy the machine was.
From /proc, so nothing is slowed down while it measures.

usage: cpu_share.py DELAY SECONDS [ESSOR_PID...]
       cpu_share.py --run SECONDS [ESSOR_PID...]
Waits DELAY seconds, measures over SECONDS, prints one line; with --run,
measures the middle three fifths of a run of SECONDS starting now (what
the benches use, leaving out its start and end). The line reads, e.g.
  CPU (cores of 2): essor-writer 0.74, essor-io 0.40, postgres 0.00, wrk 0.30; machine 61 % busy
"""
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
THREADS = {"essor-writer", "essor-io", "essor-handler", "essor-sealer", "essor-checkpt",
           "essor-hash"}


def ticks(stat_path):
    """(name, utime + stime) of a /proc/…/stat file, or None if it is gone."""
    try:
        with open(stat_path) as f:
            text = f.read()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, int(fields[11]) + int(fields[12])


def snapshot(essor_pids):
    """CPU ticks by label: Essor's threads by their names, other programs by theirs."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        if entry in essor_pids:
            try:
                tasks = os.listdir(f"/proc/{entry}/task")
            except OSError:
                continue
            for task in tasks:
                got = ticks(f"/proc/{entry}/task/{task}/stat")
                if got:
                    label = got[0] if got[0] in THREADS else "essor (other threads)"
                    out[label] = out.get(label, 0) + got[1]
            continue
        got = ticks(f"/proc/{entry}/stat")
        if got:
            label = "kworker" if got[0].startswith("kworker/") else got[0]  # the kernel's
            out[label] = out.get(label, 0) + got[1]
    return out


def machine():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values), values[3] + values[4]  # all, idle + iowait


def main():
    if sys.argv[1] == "--run":
        run = float(sys.argv[2])
        delay, seconds = run / 5, run * 3 / 5
    else:
        delay, seconds = float(sys.argv[1]), float(sys.argv[2])
    essor_pids = set(sys.argv[3:])
    time.sleep(delay)
    before, (all0, idle0), t0 = snapshot(essor_pids), machine(), time.monotonic()
    time.sleep(seconds)
    after, (all1, idle1), t1 = snapshot(essor_pids), machine(), time.monotonic()
    elapsed = t1 - t0
    cores = {k: (v - before.get(k, 0)) / TICK / elapsed for k, v in after.items()}
    shown = sorted(((c, k) for k, c in cores.items() if c >= 0.02), reverse=True)
    busy = 100 * (1 - (idle1 - idle0) / max(1, all1 - all0))
    print(f"CPU (cores of {os.cpu_count()}): " + ", ".join(f"{k} {c:.2f}" for c, k in shown)
          + f"; machine {busy:.0f} % busy")


if __name__ == "__main__":
    main()
