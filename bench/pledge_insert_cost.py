#!/usr/bin/env python3
"""What each part of a pledge's row costs SQLite, in instructions counted by
valgrind (exact and repeatable, where this machine's timings spread by a
third and its virtual cores have no hardware counters): the pledge's
INSERT as the group-commit writer runs it (the same statement, the same
pragmas, batches of 27 between BEGIN IMMEDIATE and COMMIT) into a copy of
DATABASE, as it is and with one part taken away (the foreign keys, the
running totals' trigger, one secondary index); each part's cost is the
difference. Through Python's sqlite3, which uses the same Debian SQLite
library as essor; what Python itself costs is measured with no insert and
taken away (a statement that writes nothing, run the same way, says what
Python and the commits cost).
usage: bench/pledge_insert_cost.py DATABASE [INSERTS]   (DATABASE: an essor
SQLite database with pledges, e.g. from essor generate; needs valgrind)"""
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile

INSERT = ("INSERT INTO pledges (id, campaign_id, user_id, amount_cents, reward_id, status, "
          "payment_method, anonymous, message, reference, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
NOTHING = "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
BATCH = 27  # pledges per group commit in bench/pledges.sh's runs
VARIANTS = [
    ("as it is", []),
    ("a statement that writes nothing instead (Python's share)", ["--nothing"]),
    ("without the foreign keys", ["PRAGMA foreign_keys = OFF"]),
    ("without the running totals' trigger", ["DROP TRIGGER pledges_stats_insert"]),
    ("without the index by backer", ["DROP INDEX pledges_by_user"]),
    ("without the index by campaign", ["DROP INDEX pledges_by_campaign"]),
]


def insert(path, changes, count):
    """The child's side: count inserts into path after changes."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
                   "mmap_size = 1073741824"):
        db.execute("PRAGMA " + pragma)
    statement = NOTHING if "--nothing" in changes else INSERT
    for change in changes:
        if change != "--nothing":
            db.execute(change)
    campaign = db.execute("SELECT campaign_id FROM pledges GROUP BY campaign_id "
                          "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    backers = [row[0] for row in db.execute("SELECT id FROM users ORDER BY id LIMIT 64")]
    random.seed(2026)
    now = db.execute("SELECT max(created_at) FROM pledges").fetchone()[0] + 1000
    rows = []
    for n in range(count):
        ident = "%012x4%03x%016x" % (now + n, random.getrandbits(12), random.getrandbits(64))
        rows.append((ident, campaign, backers[n % len(backers)], 500, None, "confirmed",
                     "sandbox_card", 0, None, "ESSOR-" + ident[-12:].upper(), now + n, now + n))
    for start in range(0, count, BATCH):
        db.execute("BEGIN IMMEDIATE")
        for row in rows[start:start + BATCH]:
            db.execute(statement, row)
        db.execute("COMMIT")


def instructions(database, changes, count, work):
    copy = os.path.join(work, "copy.db")
    shutil.copy(database, copy)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(copy + suffix):
            os.remove(copy + suffix)
    out = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, os.path.abspath(__file__), "--child", copy, str(count), *changes],
        capture_output=True, text=True, check=True).stderr
    for line in out.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.split(":")[1].replace(",", "").strip())
    raise RuntimeError("no instruction count from valgrind:\n" + out)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        insert(sys.argv[2], sys.argv[4:], int(sys.argv[3]))
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    database = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2700
    with tempfile.TemporaryDirectory() as work:
        print(f"| {count} pledges' inserts, {BATCH} a commit | instructions a pledge | "
              "the part's cost |")
        print("|---|---|---|")
        whole = own = None
        for name, changes in VARIANTS:
            each = (instructions(database, changes, count, work) -
                    instructions(database, changes, 0, work)) / count
            if whole is None:
                whole = each
                print(f"| {name} | {each:,.0f} | |")
                continue
            if own is None:  # the row's own cost, Python's share taken away
                own = whole - each
                print(f"| {name} | {each:,.0f} | the row: {own:,.0f} |")
                continue
            print(f"| {name} | {each:,.0f} | {whole - each:,.0f} ({(whole - each) / own:.0%} "
                  "of the row) |")


if __name__ == "__main__":
    main()
