#!/usr/bin/env python3
"""invoices.post_chunk: posts one chunk of invoices into the ledger, all or none.

A Tock command job: the job arrives on stdin as JSON, its invoices in kwargs.items. The
ledger is the SQLite file $INVOICES_LEDGER (default: ledger.db in the working directory).
An invoice with a negative amount is refused, and with it the whole chunk (the
transaction rolls back): the job fails with the reason on stderr, and a run again after a
fix posts the chunk whole. Posting the same invoice twice keeps one row.
"""
import json
import os
import sqlite3
import sys

job = json.load(sys.stdin)
invoices = job["kwargs"]["items"]
ledger = sqlite3.connect(os.environ.get("INVOICES_LEDGER", "ledger.db"), timeout=60)
ledger.execute("PRAGMA journal_mode=WAL")
with ledger:
    ledger.execute("""CREATE TABLE IF NOT EXISTS ledger (
        invoice INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL NOT NULL, job TEXT NOT NULL)""")
try:
    with ledger:  # one transaction: the chunk is posted whole or not at all
        for number, invoice in enumerate(invoices):
            if invoice["amount"] < 0:
                raise ValueError("invoice %d: amount %.2f is negative; the ledger takes no credit notes"
                                 % (invoice["invoice"], invoice["amount"]))
            ledger.execute("INSERT OR REPLACE INTO ledger (invoice, customer, amount, job) VALUES (?, ?, ?, ?)",
                           (invoice["invoice"], invoice["customer"], invoice["amount"], job["id"]))
            if number % 25 == 24:  # progress on fd 3, shown by `tock jobs show` and the streams
                os.write(3, b"%d posted %d of %d\n" % (100 * (number + 1) // len(invoices), number + 1, len(invoices)))
except ValueError as refusal:
    print(refusal, file=sys.stderr)
    sys.exit(1)
print(json.dumps({"posted": len(invoices)}))
