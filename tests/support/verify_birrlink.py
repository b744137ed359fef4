"""Verifies captured BirrLink webhooks the way BirrLink's documented sample code does
(docs.birrlink.et, Webhooks > Security), with the standard library only.

Usage: verify_birrlink.py SECRET NOW FILE, where NOW is the receiver's clock (Unix seconds) and
FILE has one JSON object per line: {"signature": <BirrLink-Signature>, "timestamp":
<BirrLink-Timestamp>, "body_b64": <the raw body exactly as received>}.

As in the sample: the signature header is `t=<unix>,v1=<hex>`; the expected signature is the
hex HMAC-SHA256 of the raw body keyed with the signing secret's text (the timestamp is not part
of the MAC); the comparison is constant-time; a timestamp more than 5 minutes from now is
refused (replay protection). Prints the number verified; exits 1 at the first that does not.
"""
import base64
import hashlib
import hmac
import json
import sys

TOLERANCE_SECONDS = 300


def verify_signature(payload: bytes, signature_header: str, timestamp_header: str, secret: str, now: int) -> None:
    items = [part.split("=", 1) for part in signature_header.split(",") if "=" in part]
    signed_at = [value for key, value in items if key == "t"]
    signatures = [value for key, value in items if key == "v1"]
    if not signed_at or not signatures:
        raise ValueError("malformed BirrLink-Signature header")
    timestamp = int(timestamp_header)
    if int(signed_at[0]) != timestamp:
        raise ValueError("t= does not match BirrLink-Timestamp")
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise ValueError("timestamp outside the tolerance window")
    expected = hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise ValueError("signature mismatch")


secret, now, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
verified = 0
with open(path, encoding="utf-8") as lines:
    for line in lines:
        d = json.loads(line)
        body = base64.b64decode(d["body_b64"])
        try:
            verify_signature(body, d["signature"], d["timestamp"], secret, now)
            event = json.loads(body)
        except Exception as e:  # noqa: BLE001 - report which delivery failed, whatever the reason
            print(f"webhook does not verify: {e!r}", file=sys.stderr)
            sys.exit(1)
        verified += 1
print(verified)
