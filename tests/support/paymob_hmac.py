"""Computes Paymob's `hmac` of a transaction, independently of Paylink, the way Paymob's
documentation describes it (developers.paymob.com, Webhook callbacks and HMAC > HMAC transaction
callback), with the standard library only.

Usage: paymob_hmac.py SECRET callback FILE   (FILE: the callback body as received; the
                                              transaction is its `obj`)
       paymob_hmac.py SECRET redirect QUERY  (QUERY: the redirect's query string)
Prints the lowercase hex HMAC-SHA512, keyed with SECRET's text, of the 20 documented values
concatenated in order (booleans as `true` / `false`).
"""
import hashlib
import hmac
import json
import sys
from urllib.parse import parse_qsl

CALLBACK_FIELDS = [
    "amount_cents", "created_at", "currency", "error_occured", "has_parent_transaction", "id",
    "integration_id", "is_3d_secure", "is_auth", "is_capture", "is_refunded", "is_standalone_payment",
    "is_voided", "order.id", "owner", "pending", "source_data.pan", "source_data.sub_type",
    "source_data.type", "success",
]
# The redirect is flat: the order id is `order`.
REDIRECT_FIELDS = ["order" if f == "order.id" else f for f in CALLBACK_FIELDS]


def as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def nested(obj: dict, path: str):
    for key in path.split("."):
        obj = obj[key]
    return obj


secret, kind, source = sys.argv[1], sys.argv[2], sys.argv[3]
if kind == "callback":
    with open(source, encoding="utf-8") as f:
        obj = json.load(f)["obj"]
    message = "".join(as_text(nested(obj, field)) for field in CALLBACK_FIELDS)
else:
    query = dict(parse_qsl(source, keep_blank_values=True))
    message = "".join(query[field] for field in REDIRECT_FIELDS)
print(hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha512).hexdigest())
