#!/usr/bin/env python3
"""Community against independent implementations, on one database back end.

A real `essor serve` mails through a real SMTP server started here
(aiosmtpd); the mails are parsed by Python's email package, the iCalendar
files by python3-icalendar and the Atom feeds by python3-feedparser.

usage: community_mail_test.py ESSOR_BINARY sqlite|postgresql
(postgresql needs ESSOR_TEST_PG_URL, else the run is skipped)
"""
import email
import email.policy
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import feedparser
import icalendar
from aiosmtpd.controller import Controller

ESSOR = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "essor"
BACKEND = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
SCHEMA = "community_mail"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.original_content or envelope.content))
        return "250 OK"


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class CommunityMail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        if BACKEND == "postgresql":
            base = os.environ.get("ESSOR_TEST_PG_URL")
            if not base:
                raise unittest.SkipTest("ESSOR_TEST_PG_URL is not set")
            subprocess.run(["psql", base, "-qc",
                            f"SET client_min_messages = warning; DROP SCHEMA IF EXISTS {SCHEMA} "
                            f"CASCADE; CREATE SCHEMA {SCHEMA}"], check=True,
                           stdout=subprocess.DEVNULL)
            sep = "&" if "?" in base else "?"
            database = f"{base}{sep}options=-csearch_path%3D{SCHEMA}"
        else:
            database = "sqlite:" + os.path.join(cls.tmp.name, "essor.db")
        cls.database = database
        cls.sink = Sink()
        smtp_port = free_port()
        cls.smtp = Controller(cls.sink, hostname="127.0.0.1", port=smtp_port)
        cls.smtp.start()
        cls.log = open(os.path.join(cls.tmp.name, "serve.log"), "w+")
        env = dict(os.environ,
                   ESSOR_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
                   ESSOR_MAIL_FROM="essor@test.example",
                   ESSOR_SCHEDULER_INTERVAL_S="1",
                   ESSOR_RATE_LIMITS="off",
                   ESSOR_ADMIN_EMAILS="modo@test.example",
                   ESSOR_BALLOT_KEY="a key for the community mail test only")
        cls.server = subprocess.Popen(
            [ESSOR, "serve", "--listen", "127.0.0.1:0", "--database", database],
            env=env, stdout=cls.log, stderr=subprocess.STDOUT, cwd=cls.tmp.name)
        cls.base = None
        for _ in range(200):
            cls.log.seek(0)
            found = re.search(r'"port":(\d+)', cls.log.read())
            if found:
                cls.base = f"http://127.0.0.1:{found.group(1)}"
                break
            time.sleep(0.05)
        if not cls.base:
            cls.tearDownClass()
            raise RuntimeError("essor serve did not start")

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=30)
        cls.smtp.stop()
        cls.log.close()
        cls.tmp.cleanup()
        if BACKEND == "postgresql":
            subprocess.run(["psql", os.environ["ESSOR_TEST_PG_URL"], "-qc",
                            f"SET client_min_messages = warning; DROP SCHEMA {SCHEMA} CASCADE"],
                           check=False, stdout=subprocess.DEVNULL)

    # -- HTTP helpers
    def call(self, method, path, body=None, token=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def ok(self, method, path, body=None, token=None, status=None, headers=None):
        code, _, data = self.call(method, path, body, token, headers)
        if status is not None:
            self.assertEqual(code, status, data)
        else:
            self.assertLess(code, 300, data)
        return json.loads(data) if data else None

    def signup(self, name, email_address=None):
        email_address = email_address or f"{name}-{time.time_ns()}@test.example"
        answer = self.ok("POST", "/api/v1/auth/signup",
                         {"email": email_address, "password": "correct horse battery",
                          "display_name": name})
        return {"id": answer["user"]["id"], "token": answer["token"], "email": email_address}

    def verify_by_mail(self, user):
        """Follows the link of the verification mail sent at sign-up."""
        mail = self.mails_to(user["email"], verification=True)[0]
        body = mail.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"(https?://\S+/verify-email/(\S+))", body)
        self.assertIsNotNone(link, body)
        verified = self.ok("POST", "/api/v1/auth/verify-email", {"token": link.group(2)})
        self.assertTrue(verified["user"]["email_verified"])
        self.assertTrue(verified["user"]["moderator"])
        # Once sent, the outbox keeps the mail without its body (its link).
        self.assertEqual(self.sent_bodies(user["email"], "verify_email"), [""])

    def sent_bodies(self, address, kind, timeout=30):
        """The bodies the database keeps of the mails of kind sent to address."""
        query = (f"SELECT body FROM outbox WHERE to_address = '{address}' AND kind = '{kind}' "
                 "AND sent_at IS NOT NULL")
        deadline = time.time() + timeout
        while True:
            if BACKEND == "postgresql":
                command = ["psql", self.database, "-AtXc", query]
            else:
                command = ["sqlite3", self.database.removeprefix("sqlite:"), query]
            rows = subprocess.run(command, check=True, capture_output=True,
                                  text=True).stdout.splitlines()
            # Marked sent just after the SMTP server took it.
            if rows or time.time() > deadline:
                return rows or []
            time.sleep(0.1)

    def mails_to(self, address, count=1, timeout=30, verification=False):
        """The parsed mails sent to address, once at least count have come."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [email.message_from_bytes(content, policy=email.policy.default)
                     for rcpt, content in self.sink.messages if address in rcpt]
            # The address check mailed at sign-up is read by verify_by_mail.
            found = [m for m in found
                     if ("Confirmez votre adresse" in m["Subject"]) == verification]
            if len(found) >= count:
                return found
            time.sleep(0.2)
        self.fail(f"no mail to {address} after {timeout} s; got {len(self.sink.messages)} in all")

    def test_mail_calendar_and_feeds(self):
        modo = self.signup("Modo", "modo@test.example")
        self.verify_by_mail(modo)
        admin = self.signup("Amina")
        backer = self.signup("Bernard")
        follower = self.signup("Fatou")
        org = self.ok("POST", "/api/v1/orgs", {"name": "Les Fours Partagés, Lyon",
                                                "legal_form": "association"},
                      admin["token"])["org"]
        self.ok("POST", "/api/v1/follows", {"target_type": "org", "target_id": org["id"]},
                follower["token"], status=201)
        ends = datetime.now(timezone.utc) + timedelta(days=30)
        campaign = self.ok("POST", "/api/v1/campaigns", {
            "org_id": org["id"], "title": "Un four à pain", "summary": "Cuire ensemble.",
            "description_md": "Un four *partagé*.", "category": "food", "kind": "donation",
            "goal_cents": 100000, "ends_at": rfc3339(ends), "funding_model": "keep_it_all",
            "rewards": []}, admin["token"])["campaign"]
        self.ok("POST", f"/api/v1/campaigns/{campaign['id']}/submit", token=admin["token"])
        self.ok("POST", f"/api/v1/campaigns/{campaign['id']}/approve", token=modo["token"])
        self.ok("POST", f"/api/v1/campaigns/{campaign['id']}/pledges",
                {"amount_cents": 2500, "payment_method": "sandbox_card"}, backer["token"],
                headers={"Idempotency-Key": "community-mail-1"})

        # News: a mail to the backer, through the SMTP server.
        title = "Le four est commandé — livraison en été"
        self.ok("POST", f"/api/v1/campaigns/{campaign['id']}/updates",
                {"title": title, "body_md": "Merci à toutes et à tous !"}, admin["token"],
                status=201)
        mail = self.mails_to(backer["email"])[0]
        self.assertIn(title, mail["Subject"])
        self.assertEqual(mail["To"].addresses[0].addr_spec, backer["email"])
        body = mail.get_body(preferencelist=("plain",)).get_content()
        self.assertIn("Bonjour Bernard", body)
        self.assertIn(f"/campaigns/{campaign['id']}#update-", body)
        unsubscribe = mail["List-Unsubscribe"].strip("<>")
        self.assertIn(unsubscribe, body)
        self.assertEqual(mail["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        # One click, without logging in (RFC 8058).
        path = unsubscribe[unsubscribe.index("/unsubscribe/"):]
        code, _, _ = self.call("POST", path, raw=b"List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(code, 200)
        self.assertEqual(self.ok("GET", "/api/v1/me/notification-settings",
                                 token=backer["token"])["mail"], "none")

        # An event two hours from now: its followers hear of it, and the
        # registered get the reminder of the day before.
        starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
        event = self.ok("POST", f"/api/v1/orgs/{org['id']}/events", {
            "title": "Atelier pain au levain", "description_md": "Apportez un tablier; merci.",
            "starts_at": rfc3339(starts), "ends_at": rfc3339(starts + timedelta(hours=2)),
            "location": "Maison de quartier, 3 rue Vaubecour, Lyon", "capacity": 12},
            admin["token"], status=201)["event"]
        self.ok("POST", f"/api/v1/events/{event['id']}/registrations", token=follower["token"],
                status=201)
        mails = self.mails_to(follower["email"], count=2)
        subjects = " | ".join(m["Subject"] for m in mails)
        self.assertIn("Atelier pain au levain", subjects)
        self.assertIn("Rappel", subjects)

        # iCalendar, read back by python3-icalendar.
        code, headers, data = self.call("GET", f"/events/{event['id']}.ics")
        self.assertEqual(code, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/calendar"))
        calendar = icalendar.Calendar.from_ical(data)
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        self.assertEqual(len(events), 1)
        self.assertEqual(str(events[0]["SUMMARY"]), "Atelier pain au levain")
        self.assertEqual(str(events[0]["LOCATION"]), "Maison de quartier, 3 rue Vaubecour, Lyon")
        self.assertEqual(events[0]["DTSTART"].dt, starts)
        self.assertEqual(events[0]["DTEND"].dt, starts + timedelta(hours=2))
        self.assertIn("Apportez un tablier; merci.", str(events[0]["DESCRIPTION"]))
        code, _, data = self.call("GET", f"/orgs/{org['id']}/events.ics")
        calendar = icalendar.Calendar.from_ical(data)
        self.assertEqual(str(calendar["X-WR-CALNAME"]), "Les Fours Partagés, Lyon")
        self.assertEqual([str(c["UID"]) for c in calendar.walk() if c.name == "VEVENT"],
                         [event["id"] + "@essor"])

        # Atom, read back by python3-feedparser.
        code, headers, data = self.call("GET", f"/campaigns/{campaign['id']}/updates.atom")
        self.assertEqual(code, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/atom+xml"))
        feed = feedparser.parse(data)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        self.assertEqual(feed.feed.title, "Un four à pain")
        self.assertEqual(len(feed.entries), 1)
        self.assertEqual(feed.entries[0].title, title)
        self.assertIn("Merci à toutes et à tous", feed.entries[0].content[0].value)
        self.assertTrue(feed.entries[0].link.endswith(f"/campaigns/{campaign['id']}#update-"
                                                      + feed.entries[0].link.split("#update-")[1]))
        code, _, data = self.call("GET", f"/orgs/{org['id']}/activity.atom")
        feed = feedparser.parse(data)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        texts = [e.title for e in feed.entries]
        self.assertTrue(any("Un four à pain" in t for t in texts), texts)
        self.assertTrue(any("Atelier pain au levain" in t for t in texts), texts)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
