#!/usr/bin/env python3
"""Which tables and indexes a SQLite group commit rewrites: reads the WAL
frames of the current WAL generation, groups them by commit, and names
each page's b-tree from the database file (SQLite's dbstat table). A
random key (a backer, an idempotency key, a reference) puts each new row
on a page of its own; a key in arrival order puts a batch's rows on the
same last page.

usage: wal_pages.py DATABASE_COPY WAL_COPY
(copies taken while the server was stopped: bench/pledges.sh SECONDS wal)
"""
import collections
import sqlite3
import struct
import sys


def main():
    database, wal = sys.argv[1], sys.argv[2]
    with open(wal, "rb") as f:
        data = f.read()
    if len(data) < 32:
        print("WAL empty: nothing written since the last restart")
        return
    _magic, _version, page_size, _seq, salt1, salt2, _c1, _c2 = struct.unpack(">IIIIIIII", data[:32])
    owner = {}
    # The database file alone (the WAL copy is elsewhere): the b-trees' pages
    # as of the last checkpoint, which is where a batch's pages already were.
    con = sqlite3.connect(database)  # a copy: opening it may write its -shm
    for name, page in con.execute("SELECT name, pageno FROM dbstat"):
        owner[page] = name
    commits, current, offset = [], [], 32
    frame = 24 + page_size
    while offset + frame <= len(data):
        page, size_after, s1, s2 = struct.unpack(">IIII", data[offset:offset + 16])
        if (s1, s2) != (salt1, salt2):
            break  # an older generation's frames follow
        current.append(page)
        if size_after:  # a commit's last frame
            commits.append(current)
            current = []
        offset += frame
    if not commits:
        print("no commit in the WAL")
        return
    pages = collections.Counter()
    for commit in commits:
        for page in commit:
            pages[owner.get(page, "(pages added since the checkpoint)")] += 1
    total = sum(len(c) for c in commits)
    print(f"{len(commits)} commits, {total / len(commits):.1f} pages ({page_size} bytes) each:")
    for name, count in pages.most_common(20):
        print(f"  {count / len(commits):7.1f}  {name}")


if __name__ == "__main__":
    main()
