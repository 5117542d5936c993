"""What the Python worker and client share, on top of the codec of docs/PROTOCOL.md section 15.

`protocol_v2` is not in this folder: the tests copy the ```python block of section 15 out of
docs/PROTOCOL.md into it before they start a peer, so the peers run on the document's own code.
"""
import base64
import json
import os
import socket
import sys
import threading
import time

import zmq

from protocol_v2 import Dropped, decode

# Section 3.2: the eight METHOD names; receivers compare them case-insensitively.
METHODS = ("request", "response", "get", "post", "put", "delete", "options", "connect")
DEFAULT_MAX_SIZE = 8 * 1024 * 1024  # section 12


def secret_key():
    """The passphrase comes from the environment, so that it does not show in the process list."""
    passphrase = os.environ.get("BRUBECK_SECRET", "")
    if not passphrase:
        sys.exit("BRUBECK_SECRET must hold the shared passphrase")  # section 5: never empty
    return passphrase.encode("utf-8")


def now_ms():
    """Wall clock, for the informational timestamps of REQUEST and REPLY (section 3.2)."""
    return int(time.time() * 1000)


def monotonic_ms():
    """Monotonic clock, for deadlines and silence limits, which must not jump with the wall clock."""
    return time.monotonic() * 1000


def text(field):
    return field.decode("utf-8", errors="replace")


def json_object(field):
    """Section 3.2: an empty field is the empty object."""
    return json.loads(field) if field else {}


def b64(data):
    return base64.b64encode(data).decode("ascii")


def nonces(session):
    """A session's nonces as hex, for the events."""
    return {"sender": session[0].hex(), "receiver": session[1].hex()}


_output = threading.Lock()


def emit(event, **fields):
    """One JSON object per line on stdout: what the tests read to follow the peer."""
    with _output:
        sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
        sys.stdout.flush()


def checked_decode(key, frames, max_size):
    """Section 6, checks 2 to 9. The codec makes 2 to 9 except the size half of check 2, which
    needs the receiver's limit; check 1 is ZeroMQ's (ZMQ_MAXMSGSIZE on the socket). Returns
    (command, session, fixed fields, variable fields, body); check 10, the session, is the caller's."""
    if len(frames) <= 3 and sum(len(frame) for frame in frames) > max_size:
        raise Dropped("larger than maxMessageSize")
    return decode(key, frames)


class RateLimitedLog:
    """Section 6: at most one line per 10 seconds on stderr, with a count of the lines held back."""

    def __init__(self, name, period_s=10.0):
        self.name, self.period_s = name, period_s
        self.next_line, self.held_back = 0.0, 0

    def __call__(self, message):
        now = time.monotonic()
        if now < self.next_line:
            self.held_back += 1
            return
        suffix = " (%d similar lines held back)" % self.held_back if self.held_back else ""
        sys.stderr.write("%s: %s%s\n" % (self.name, message, suffix))
        sys.stderr.flush()
        self.next_line, self.held_back = now + self.period_s, 0


class Wakeup:
    """Lets other threads wake the thread that owns the ZeroMQ sockets (sockets are not thread-safe):
    they put their work on a queue and then call notify(); the owner polls fileno() with its sockets."""

    def __init__(self):
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)

    def fileno(self):
        return self._reader.fileno()

    def notify(self):
        self._writer.send(b"x")

    def clear(self):
        try:
            while self._reader.recv(4096):
                pass
        except BlockingIOError:
            pass


def read_commands(on_line, on_end):
    """Feeds the lines of stdin to on_line, then calls on_end when stdin closes (the test ended)."""

    def run():
        for line in sys.stdin:
            if line.strip():
                on_line(line.strip())
        on_end()

    threading.Thread(target=run, name="stdin", daemon=True).start()


def new_context():
    return zmq.Context.instance()
