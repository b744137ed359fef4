"""Verifies captured Amwal callbacks the way Amwal's docs tell a merchant to, with the
`cryptography` package from PyPI (not Paylink's code).

Usage: verify_amwal.py PUBLIC_KEY_PEM_FILE FILE, where FILE has one JSON object per line:
{"signature": <X-Signature>, "api_key": <X-API-Key>, "body_b64": <the body exactly as received>}.
The signed message is the seven documented fields of the payload, keys sorted, serialised with
Python's json.dumps defaults (", " and ": " separators), UTF-8; RSA-PSS, SHA-256, MGF1-SHA-256,
salt length auto. X-API-Key must be the SHA-256 of the public key (SubjectPublicKeyInfo DER).
Prints the number verified; exits 1 at the first callback that does not verify.
"""
import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

FIELDS = ["amount", "client_first_name", "client_last_name", "payment_link_id", "payment_option", "status",
          "transaction_id"]

with open(sys.argv[1], "rb") as f:
    public_key = serialization.load_pem_public_key(f.read())
fingerprint = hashlib.sha256(
    public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
).hexdigest()

verified = 0
with open(sys.argv[2], encoding="utf-8") as lines:
    for line in lines:
        d = json.loads(line)
        payload = json.loads(base64.b64decode(d["body_b64"]).decode("utf-8"))
        message = json.dumps({k: payload[k] for k in FIELDS}, sort_keys=True).encode("utf-8")
        try:
            if d["api_key"] != fingerprint:
                raise ValueError("X-API-Key is not the public key's fingerprint")
            public_key.verify(
                base64.b64decode(d["signature"]),
                message,
                padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
                hashes.SHA256(),
            )
        except Exception as e:  # noqa: BLE001 - report which callback failed, whatever the reason
            print(f"callback {payload.get('transaction_id')} does not verify: {e!r}", file=sys.stderr)
            sys.exit(1)
        verified += 1
print(verified)
