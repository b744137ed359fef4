"""A local SMTP server for the `smtp` provider's tests (aiosmtpd).

    smtp_server.py PORT OUT MODE [CERT]

MODE is `plain` (no TLS; AUTH allowed in clear), `starttls` (STARTTLS offered and required
before anything else; AUTH only after it), `starttls-optional` (STARTTLS offered, mail accepted
in clear too) or `tls` (TLS from the first byte). For the TLS modes a fresh self-signed
certificate for 127.0.0.1 is made and its PEM written to CERT, for the client to trust (or not).

Accepts the login paylink / s3cret (PLAIN or LOGIN), refuses recipients at `nobody@` with 550,
and appends each message, parsed by Python's own `email` package, to OUT as one JSON line.
Prints `ready` once listening.
"""

import datetime
import ipaddress
import json
import os
import ssl
import sys
import tempfile
import threading
import warnings
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, out, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# aiosmtpd warns about its own use of a deprecated attribute at every login.
warnings.filterwarnings("ignore", message="Session.login_data")


def self_signed(cert_path):
    """A new P-256 key and a self-signed, non-CA certificate for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "paylink test relay")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    with open(cert_path, "wb") as f:
        f.write(pem)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    # ssl wants files; the key lives only until it is loaded.
    with tempfile.TemporaryDirectory() as d:
        paths = (os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
        for path, data in zip(paths, (pem, key_pem)):
            with open(path, "wb") as f:
                f.write(data)
        context.load_cert_chain(*paths)
    return context


def authenticator(server, session, envelope, mechanism, data):
    ok = mechanism in ("PLAIN", "LOGIN") and data.login == b"paylink" and data.password == b"s3cret"
    return AuthResult(success=ok, auth_data=data.login)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "to": str(msg["to"]),
            "login": (session.auth_data or b"").decode(),
            "helo": session.host_name,
            "tls": server.transport.get_extra_info("cipher") is not None,
            "subject": str(msg["subject"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "body": msg.get_content(),
        }
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 2.0.0 queued as T1"


options = {"hostname": "127.0.0.1", "port": port, "authenticator": authenticator}
if mode == "plain":
    options.update(auth_require_tls=False)
elif mode in ("starttls", "starttls-optional"):
    required = mode == "starttls"
    options.update(tls_context=self_signed(sys.argv[4]), require_starttls=required, auth_require_tls=required)
elif mode == "tls":
    # The whole connection is TLS; aiosmtpd's own check looks at STARTTLS only.
    options.update(ssl_context=self_signed(sys.argv[4]), auth_require_tls=False)
else:
    sys.exit(f"unknown mode {mode}")

controller = Controller(Handler(), **options)
controller.start()
print("ready", flush=True)
threading.Event().wait()
