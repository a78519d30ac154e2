#!/usr/bin/env python3
"""Checks an Essor instance's public ledger with nothing but docs/ledger.md.
Usage: verify_ledger.py https://essor.example  (exit 0: the chain is whole)"""
import hashlib, json, sys, urllib.request

base = sys.argv[1].rstrip("/") + "/api/v1/ledger/"
get = lambda path: json.load(urllib.request.urlopen(base + path))
prev, seq, after, balances = "0" * 64, 0, 0, {}
while after is not None:
    page = get(f"transfers?limit=1000&after_seq={after}")
    for t in page["items"]:
        seq += 1
        fields = [t["seq"], t["id"], t["debit_account"], t["credit_account"], t["amount_cents"],
                  t["kind"], t["pledge_id"] or "-", t["campaign_id"] or "-", t["created_at_ms"]]
        text = prev + "essor-transfer-v1\n" + "".join(f"{f}\n" for f in fields)
        ok = (t["seq"] == seq and t["prev_hash"] == prev and t["amount_cents"] > 0
              and hashlib.sha256(text.encode()).hexdigest() == t["hash"])
        if not ok:
            sys.exit(f"transfer #{t['seq']} ({t['id']}) breaks the chain")
        balances[t["debit_account"]] = balances.get(t["debit_account"], 0) - t["amount_cents"]
        balances[t["credit_account"]] = balances.get(t["credit_account"], 0) + t["amount_cents"]
        prev = t["hash"]
    after = page["next_after_seq"]
head = get("head")
if head["transfers_count"] != seq or head["head_hash"] != prev:
    sys.exit("the published head does not match the last transfer")
if sum(balances.values()) != 0:
    sys.exit("balances do not sum to zero")
print(f"ledger whole: {seq} transfers, head {prev}")
