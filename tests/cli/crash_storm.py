#!/usr/bin/env python3
"""Crash safety: a storm of pledges, SIGKILL of the server, restart, three
times. On PostgreSQL two servers share the database and the storm, and
both are killed mid-storm: transfers committed but not yet sealed are
left behind (the run counts them), sealed by whichever server comes back
first, once. Every acknowledged pledge must be there, confirmed, with its amount;
every pledge whose answer was lost is retried with its Idempotency-Key
(a replay or a first success, never a double); `essor verify` passes; the
campaign's raised total equals its ledger.

usage: crash_storm.py ESSOR_BINARY sqlite|postgresql
(postgresql needs ESSOR_TEST_PG_URL, else the run is skipped)
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

ESSOR = os.path.abspath(sys.argv[1])
BACKEND = sys.argv[2]
SCHEMA = "crash_storm"
ROUNDS = 3
WORKERS = 16
STORM_SECONDS = 1.5


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


class Server:
    def __init__(self, database, directory, name="serve"):
        self.database = database
        self.directory = directory
        self.name = name
        self.process = None
        self.base = None

    def start(self):
        log = open(os.path.join(self.directory, self.name + ".log"), "a+")
        start = log.tell()
        env = dict(os.environ, ESSOR_RATE_LIMITS="off", ESSOR_ADMIN_EMAILS="modo@test.example",
                   ESSOR_BALLOT_KEY="crash storm key", ESSOR_LOG_LEVEL="info")
        self.process = subprocess.Popen(
            [ESSOR, "serve", "--listen", "127.0.0.1:0", "--database", self.database],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.directory)
        for _ in range(300):
            log.seek(start)
            found = re.search(r'"port":(\d+)', log.read())
            if found:
                self.base = f"http://127.0.0.1:{found.group(1)}"
                return
            if self.process.poll() is not None:
                fail(f"essor serve exited with {self.process.returncode}")
            time.sleep(0.05)
        fail("essor serve did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.terminate()
        if self.process.wait(timeout=60) != 0:
            fail(f"essor serve exited with {self.process.returncode} on SIGTERM")


def fresh_database(schema, directory):
    """A new database for the run: a schema of ESSOR_TEST_PG_URL, or a SQLite
    file in directory; None when PostgreSQL is asked for and not set up."""
    if BACKEND == "postgresql":
        base_url = os.environ.get("ESSOR_TEST_PG_URL")
        if not base_url:
            print("postgresql: skipped (ESSOR_TEST_PG_URL is not set)")
            return None
        subprocess.run(["psql", base_url, "-qc",
                        f"SET client_min_messages = warning; DROP SCHEMA IF EXISTS {schema} "
                        f"CASCADE; CREATE SCHEMA {schema}"], check=True)
        sep = "&" if "?" in base_url else "?"
        return f"{base_url}{sep}options=-csearch_path%3D{schema}"
    return "sqlite:" + os.path.join(directory, "essor.db")


def clean_up(schema, directory):
    """After a run whose checks all passed: its schema and its directory go
    (kept, with the servers' logs, when a check fails)."""
    if BACKEND == "postgresql" and os.environ.get("ESSOR_TEST_PG_URL"):
        subprocess.run(["psql", os.environ["ESSOR_TEST_PG_URL"], "-qc",
                        f"SET client_min_messages = warning; DROP SCHEMA {schema} CASCADE"])
    shutil.rmtree(directory)


def call(base, method, path, body=None, token=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ok(base, method, path, body=None, token=None):
    status, answer = call(base, method, path, body, token)
    if status >= 300:
        fail(f"{method} {path}: {status} {answer}")
    return answer


def main():
    directory = tempfile.mkdtemp(prefix="essor-crash-")
    database = fresh_database(SCHEMA, directory)
    if database is None:
        clean_up(SCHEMA, directory)
        return

    servers = [Server(database, directory, f"serve{n}")
               for n in range(2 if BACKEND == "postgresql" else 1)]
    for each in servers:
        each.start()
    server = servers[0]
    signup = lambda email, name: ok(server.base, "POST", "/api/v1/auth/signup", {
        "email": email, "password": "correct horse battery", "display_name": name})
    admin = signup("admin@test.example", "Admin")
    modo = signup("modo@test.example", "Modo")
    subprocess.run([ESSOR, "user", "verify", "--database", database, "modo@test.example"],
                   check=True, stdout=subprocess.DEVNULL, cwd=directory)
    backers = [signup(f"backer{n}@test.example", f"Backer {n}") for n in range(WORKERS)]
    org = ok(server.base, "POST", "/api/v1/orgs", {"name": "Coop", "legal_form": "scic"},
             admin["token"])["org"]
    ends = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    campaign = ok(server.base, "POST", "/api/v1/campaigns", {
        "org_id": org["id"], "title": "Tempête", "summary": "Des dons en rafale",
        "description_md": "", "category": "other", "kind": "donation",
        "goal_cents": 10_000_000, "ends_at": ends, "funding_model": "keep_it_all",
        "rewards": []}, admin["token"])["campaign"]
    cid = campaign["id"]
    ok(server.base, "POST", f"/api/v1/campaigns/{cid}/submit", token=admin["token"])
    ok(server.base, "POST", f"/api/v1/campaigns/{cid}/approve", token=modo["token"])

    acknowledged = {}  # key → (pledge id, amount, token)
    unknown = {}       # key → (amount, token): sent, answer lost
    lock = threading.Lock()
    rng = random.Random(2026)

    def storm(worker, round_number, base, stop_at):
        token = backers[worker]["token"]
        n = 0
        while time.time() < stop_at:
            key = f"r{round_number}-w{worker}-{n}"
            n += 1
            with lock:
                amount = rng.randint(100, 20_000)
            try:
                status, answer = call(base, "POST", f"/api/v1/campaigns/{cid}/pledges",
                                      {"amount_cents": amount, "payment_method": "sandbox_card"},
                                      token, {"Idempotency-Key": key}, timeout=10)
            except Exception:  # the server died under us: the outcome is unknown
                with lock:
                    unknown[key] = (amount, token)
                return
            if status != 201:
                with lock:
                    unknown[key] = (amount, token)
                continue
            with lock:
                acknowledged[key] = (answer["pledge"]["id"], amount, token)

    left_unsealed = 0
    for round_number in range(ROUNDS):
        threads = [threading.Thread(target=storm, args=(
            w, round_number, servers[w % len(servers)].base, time.time() + 30))
                   for w in range(WORKERS)]
        for thread in threads:
            thread.start()
        time.sleep(STORM_SECONDS)
        for each in servers:
            each.kill()  # mid-storm, no warning
        for thread in threads:
            thread.join()
        unsealed = ""
        if BACKEND == "postgresql":
            count = subprocess.run(
                ["psql", database, "-Atc", "SELECT COUNT(*) FROM ledger_transfers WHERE seq IS NULL"],
                check=True, capture_output=True, text=True).stdout.strip()
            left_unsealed += int(count)
            unsealed = f", {count} transfers committed and left unsealed by the kill"
        print(f"round {round_number + 1}: {len(acknowledged)} acknowledged so far, "
              f"{len(unknown)} without an answer{unsealed}")
        for each in servers:
            each.start()

    # Lost answers: the same key again either replays what was committed or
    # pledges now; never twice.
    for key, (amount, token) in list(unknown.items()):
        status, answer = call(server.base, "POST", f"/api/v1/campaigns/{cid}/pledges",
                              {"amount_cents": amount, "payment_method": "sandbox_card"}, token,
                              {"Idempotency-Key": key})
        if status != 201:
            fail(f"retrying {key}: {status} {answer}")
        acknowledged[key] = (answer["pledge"]["id"], amount, token)

    if len(acknowledged) < 50:
        fail(f"only {len(acknowledged)} pledges: the storm did not storm")
    for key, (pledge_id, amount, token) in acknowledged.items():
        pledge = ok(server.base, "GET", f"/api/v1/pledges/{pledge_id}", token=token)["pledge"]
        if pledge["status"] != "confirmed" or pledge["amount_cents"] != amount:
            fail(f"{key}: {pledge}")
    ids = {v[0] for v in acknowledged.values()}
    if len(ids) != len(acknowledged):
        fail("two keys gave the same pledge")

    expected = sum(amount for _, amount, _ in acknowledged.values())
    raised = ok(server.base, "GET", f"/api/v1/campaigns/{cid}")["campaign"]["raised_cents"]
    ledger, cursor = 0, None
    while True:
        page = ok(server.base, "GET", f"/api/v1/campaigns/{cid}/ledger?limit=200"
                  + (f"&cursor={cursor}" if cursor else ""))
        ledger += sum(t["amount_cents"] for t in page["items"] if t["kind"] == "pledge")
        cursor = page["next"]
        if not cursor:
            break
    if not (raised == expected == ledger):
        fail(f"raised {raised}, pledged {expected}, ledger {ledger}")
    for each in servers:
        each.stop()
    verify = subprocess.run([ESSOR, "verify", "--database", database], capture_output=True,
                            text=True)
    if verify.returncode != 0:
        fail("essor verify: " + verify.stdout + verify.stderr)
    print(f"{BACKEND}: {ROUNDS} SIGKILLs, {len(acknowledged)} pledges "
          f"({len(unknown)} retried after a lost answer), {raised} cents raised = ledger; "
          f"essor verify passes"
          + (f"; {len(servers)} servers, {left_unsealed} transfers sealed after a kill"
             if BACKEND == "postgresql" else ""))
    clean_up(SCHEMA, directory)


if __name__ == "__main__":
    main()
