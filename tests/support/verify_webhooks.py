"""Verifies captured webhook deliveries with the Standard Webhooks reference library.

Usage: verify_webhooks.py SECRET FILE, where FILE has one JSON object per line:
{"id": ..., "timestamp": ..., "signature": ..., "body_b64": ...} (the body exactly as received).
Prints the number verified; exits 1 at the first delivery that does not verify.
"""
import base64
import json
import sys

from standardwebhooks.webhooks import Webhook

secret, path = sys.argv[1], sys.argv[2]
hook = Webhook(secret)
verified = 0
with open(path, encoding="utf-8") as lines:
    for line in lines:
        d = json.loads(line)
        headers = {"webhook-id": d["id"], "webhook-timestamp": d["timestamp"], "webhook-signature": d["signature"]}
        try:
            hook.verify(base64.b64decode(d["body_b64"]), headers)
        except Exception as e:  # noqa: BLE001 - report which delivery failed, whatever the reason
            print(f"delivery {d['id']} does not verify: {e!r}", file=sys.stderr)
            sys.exit(1)
        verified += 1
print(verified)
