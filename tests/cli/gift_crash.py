#!/usr/bin/env python3
"""Recurring gifts survive crashes: 120 monthly gifts, then the program's
clock a month ahead (ESSOR_CLOCK_OFFSET_DAYS) so that all fall due; the
scheduler charges them while the server is SIGKILLed three times (on
PostgreSQL two servers, one leading the scheduler at a time, both killed;
that two instances charging at once charge each gift once is
GiftsTest.TwoInstancesChargingTheSameDayChargeEachGiftOnce). When it has
run to the end, every gift was charged once for the month (charges_count
2: the first at creation, then one), the ledger holds exactly one `gift`
transfer per charge, and `essor verify` passes.

usage: gift_crash.py ESSOR_BINARY sqlite|postgresql
(postgresql needs ESSOR_TEST_PG_URL, else the run is skipped)
"""
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_storm  # noqa: E402  (its Server and helpers)
from crash_storm import Server, fail, ok  # noqa: E402

ESSOR = crash_storm.ESSOR
BACKEND = crash_storm.BACKEND
SCHEMA = "gift_crash"
GIFTS = 120


def main():
    directory = tempfile.mkdtemp(prefix="essor-gifts-")
    database = crash_storm.fresh_database(SCHEMA, directory)
    if database is None:
        crash_storm.clean_up(SCHEMA, directory)
        return

    server = Server(database, directory, "setup")
    server.start()
    password = "correct horse battery"
    admin = ok(server.base, "POST", "/api/v1/auth/signup", {
        "email": "admin@test.example", "password": password, "display_name": "Admin"})
    donor = ok(server.base, "POST", "/api/v1/auth/signup", {
        "email": "donor@test.example", "password": password, "display_name": "Donor"})
    org = ok(server.base, "POST", "/api/v1/orgs", {"name": "Asso", "legal_form": "association"},
             admin["token"])["org"]
    for n in range(GIFTS):
        status, answer = crash_storm.call(
            server.base, "POST", f"/api/v1/orgs/{org['id']}/recurring-gifts",
            {"amount_cents": 100 + n, "interval": "month", "payment_method": "sandbox_card"},
            donor["token"], headers={"Idempotency-Key": f"gift-{n}"})
        if status != 201:
            fail(f"gift {n}: {status} {answer}")
    server.stop()

    # A month later: every gift is due; the scheduler runs every second.
    os.environ["ESSOR_CLOCK_OFFSET_DAYS"] = "32"
    os.environ["ESSOR_SCHEDULER_INTERVAL_S"] = "1"
    count = 2 if BACKEND == "postgresql" else 1
    kills = 0
    for round_ in range(3):
        servers = [Server(database, directory, f"serve{n}") for n in range(count)]
        for each in servers:
            each.start()
        time.sleep(random.uniform(0.2, 1.2))
        for each in servers:
            each.kill()
        kills += 1
    servers = [Server(database, directory, f"final{n}") for n in range(count)]
    for each in servers:
        each.start()
    token = ok(servers[0].base, "POST", "/api/v1/auth/login",
               {"email": "admin@test.example", "password": password})["token"]
    for _ in range(600):
        gifts = ok(servers[0].base, "GET",
                   f"/api/v1/orgs/{org['id']}/recurring-gifts?limit=200", token=token)["items"]
        if all(g["charges_count"] >= 2 for g in gifts):
            break
        time.sleep(0.2)
    counts = sorted({g["charges_count"] for g in gifts})
    if len(gifts) != GIFTS or counts != [2]:
        fail(f"{len(gifts)} gifts, charges counts {counts} (each must be 2)")
    after, transfers = 0, []
    while True:
        page = ok(servers[0].base, "GET", f"/api/v1/ledger/transfers?after_seq={after}&limit=1000")
        transfers += page["items"]
        if page["next_after_seq"] is None:
            break
        after = page["next_after_seq"]
    charged = [t for t in transfers if t["kind"] == "gift"]
    if len(charged) != 2 * GIFTS:
        fail(f"{len(charged)} gift transfers in the ledger, expected {2 * GIFTS}")
    expected = 2 * sum(100 + n for n in range(GIFTS))
    if sum(t["amount_cents"] for t in charged) != expected:
        fail("the gifts' transfers do not add up")
    for each in servers:
        each.stop()
    verify = subprocess.run([ESSOR, "verify", "--database", database], capture_output=True,
                            text=True)
    if verify.returncode != 0:
        fail("essor verify: " + verify.stdout + verify.stderr)
    print(f"{BACKEND}: {kills} SIGKILLs of {count} charging server(s), {GIFTS} gifts charged "
          f"once each for the month, {len(charged)} gift transfers; essor verify passes")
    crash_storm.clean_up(SCHEMA, directory)


if __name__ == "__main__":
    main()
