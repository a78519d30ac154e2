#!/usr/bin/env python3
"""The SQLite writer's time per pledge in each statement, from the table
essor writes when ESSOR_SQLITE_STATEMENT_TIMES names a file (bench/pledges.sh
SECONDS statements). Wall time from a statement's start to its end (SQLite's
trace callbacks, timed by essor): a trigger's statements count in the one
that fired it, COMMIT's include the WAL's write and sync.
usage: bench/sqlite_statements.py FILE PLEDGES"""
import sys

path, pledges = sys.argv[1], int(sys.argv[2])
rows = []
with open(path, encoding="utf-8") as table:
    next(table)  # the header
    for line in table:
        count, nanoseconds, statement = line.rstrip("\n").split("\t", 2)
        rows.append((int(count), int(nanoseconds), " ".join(statement.split())))
total = sum(ns for _, ns, _ in rows)
print(f"SQLite writer, inside its statements: {total / pledges / 1000:.1f} µs per pledge")
print("| statement | calls per pledge | µs per pledge |")
print("|---|---|---|")
for count, nanoseconds, statement in rows:
    if nanoseconds / pledges < 100:  # under 0.1 µs: the set-up's statements
        continue
    text = statement if len(statement) <= 90 else statement[:87] + "..."
    print(f"| {text.replace('|', '/')} | {count / pledges:.2f} | {nanoseconds / pledges / 1000:.1f} |")
