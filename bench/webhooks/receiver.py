"""A webhook receiver for ./sweep bench webhooks: verifies each POST as a receiver should (HMAC-SHA256 of
"t.body" under the hook's secret, a timestamp within five minutes) and appends one line per verified delivery,
"<arrival unix seconds> <Sweep-Delivery>", to the file it is given. Anything that fails verification is answered
400 and counted in a line "rejected ...", so the bench can fail on it.

Usage: receiver.py PORT OUT_FILE  (the secret comes from the environment, SWEEP_WEBHOOK_SECRET)"""
import hashlib
import hmac
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SWEEP_WEBHOOK_SECRET"].encode()
OUT = sys.argv[2]


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        fields = dict(part.split("=", 1) for part in self.headers.get("Sweep-Signature", "").split(",") if "=" in part)
        stamp = fields.get("t", "0")
        expected = hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = abs(arrived - int(stamp)) <= 300
        good = fresh and hmac.compare_digest(expected, fields.get("v1", ""))
        with open(OUT, "a", encoding="ascii") as out:
            out.write(f"{arrived:.6f} {self.headers.get('Sweep-Delivery', '')}\n" if good else f"rejected {stamp}\n")
        self.send_response(204 if good else 400)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
