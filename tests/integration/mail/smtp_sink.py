#!/usr/bin/python3
"""A loopback SMTP sink for the mail tests (Debian's python3-aiosmtpd).

Writes every message it accepts to DIR/NNNN.eml (renamed into place, so a reader never sees
half a message), preceded by X-Sink-* lines saying who sent it to whom and whether the session
was encrypted. With --tls-cert/--tls-key it offers STARTTLS and refuses mail before it; with
--user/--password it requires AUTH (only after STARTTLS). Writes DIR/ready once listening and
runs until SIGTERM.
"""
import argparse
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class SaveToFiles:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            path = os.path.join(self.directory, "%04d.eml" % self.count)
        header = "X-Sink-From: %s\r\nX-Sink-To: %s\r\nX-Sink-TLS: %s\r\nX-Sink-Auth: %s\r\n" % (
            envelope.mail_from,
            ",".join(envelope.rcpt_tos),
            "yes" if session.ssl else "no",
            "yes" if session.authenticated else "no",
        )
        with open(path + ".tmp", "wb") as out:
            out.write(header.encode())
            out.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.user:
        def check(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == args.user.encode() and auth_data.password == args.password.encode()
            return AuthResult(success=ok)
        options.update(authenticator=check, auth_required=True,
                       auth_require_tls=bool(args.tls_cert))
    else:
        options.update(auth_require_tls=False)

    controller = Controller(SaveToFiles(args.dir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    with open(os.path.join(args.dir, "ready"), "w") as ready:
        ready.write("%d\n" % args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
