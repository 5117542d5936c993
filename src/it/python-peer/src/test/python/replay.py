"""A raw peer that records a genuine session and replays it in a new one (docs/PROTOCOL.md section 5.1).

    BRUBECK_SECRET=... python3 replay.py ready --connect tcp://127.0.0.1:5555 --service slow [--heartbeat 250]
    BRUBECK_SECRET=... python3 replay.py reflect --connect tcp://127.0.0.1:5555 --service slow [--heartbeat 250]
    BRUBECK_SECRET=... python3 replay.py request --bind 'tcp://127.0.0.1:*' [--heartbeat 250]

ready: as a worker, it joins the client, answers one call, records everything it sent and says
goodbye; then, on a new connection, it replays those recordings in a loop, as someone who saw the
traffic but lacks the passphrase would, and reports whatever the client sends it.

reflect: records a genuine session as ready does; then, in a loop, replays its READY on a new
connection A and tries to make it join with the client's own messages (section 7.4): it sends the
client's HEARTBEAT answer, received on A, from a second new connection B, and sends whatever the
client answers on B back on A; it reports the answer, and whatever the client sends on A after it.

request: as a client, it takes a worker's READY, sends it one REQUEST and records it, then says
goodbye, which makes the worker announce itself on a new connection; there it replays the recorded
REQUEST before answering the new READY, sends a REQUEST of that session, replays the recorded one
again once the worker knows the session (which makes the worker replace that connection, section 6),
and reports the answers it gets and the worker's READY on its next connection (phase 3).

It prints what it does as JSON lines on stdout; each event carries the phase: 1 for the genuine
session, 2 for the replay. It runs until stdin closes.
"""
import argparse
import sys
import threading

import zmq

from protocol_v2 import (DISCONNECT, HEARTBEAT, READY, REFUSE, REPLY, REQUEST, UNKNOWN, Dropped, decode, encode,
                         json_field, new_nonce)
from brubeck_peer import emit, monotonic_ms, new_context, nonces, now_ms, read_commands, secret_key

NAMES = {1: "READY", 2: "REQUEST", 3: "REPLY", 4: "HEARTBEAT", 5: "DISCONNECT", 6: "REFUSE"}


class Endpoint:
    """One socket; receives with a deadline, and heartbeats through a callback while it waits."""

    def __init__(self, socket, key, heartbeat_ms, routed):
        self.socket, self.key, self.heartbeat_ms, self.routed = socket, key, heartbeat_ms, routed
        self.beat = None            # what to send at each heartbeat tick, or None
        self.next_beat = monotonic_ms()
        self.last_frames = None     # the frames of the last authentic message received, as they came

    def send(self, frames, rid=None):
        self.socket.send_multipart(([rid] if self.routed else []) + frames)

    def receive(self, phase, until_ms):
        """The next authentic message as (routing id, command, session, fixed, variable), or None at
        until_ms. Every message received is reported."""
        while monotonic_ms() < until_ms:
            if self.beat and monotonic_ms() >= self.next_beat:
                self.beat()
                self.next_beat = monotonic_ms() + self.heartbeat_ms
            wait = max(0, min(until_ms, self.next_beat if self.beat else until_ms) - monotonic_ms())
            if not self.socket.poll(int(wait) + 1):
                continue
            frames = self.socket.recv_multipart()
            rid = frames.pop(0) if self.routed else None
            try:
                command, session, fixed, variable, _body = decode(self.key, frames)
            except Dropped as reason:
                emit("dropped", phase=phase, reason=str(reason))
                continue
            self.last_frames = frames
            event = {"phase": phase, "command": NAMES[command], **nonces(session)}
            if command in (REQUEST, REPLY, REFUSE):
                event["id"] = fixed[0]
            emit("received", **event)
            return rid, command, session, fixed, variable
        return None

    def await_command(self, phase, command, patience_ms, test=lambda message: True):
        deadline = monotonic_ms() + patience_ms
        while True:
            message = self.receive(phase, deadline)
            if message is None:
                emit("gave-up", phase=phase, waiting_for=NAMES[command])
                sys.exit(1)
            if message[1] == command and test(message):
                return message


def dealer(endpoint, linger_ms=0):
    """A new connection to the client."""
    socket = new_context().socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, linger_ms)
    socket.connect(endpoint)
    return socket


def record_session(key, args):
    """Takes part in a genuine worker's session with a client: joins, answers one call, says goodbye.
    Returns what it sent, its READY first."""
    recorded = []
    first = dealer(args.connect, linger_ms=1000)
    peer = Endpoint(first, key, args.heartbeat, routed=False)
    worker_nonce = new_nonce()

    def send_recorded(frames):
        recorded.append(frames)
        peer.send(frames)

    send_recorded(encode(key, READY, (worker_nonce, UNKNOWN), (1, args.heartbeat, 8 * 1024 * 1024),
                         args.service.encode(), b"replayer"))
    # What a worker sends before it has read the client's nonce (section 5.1).
    send_recorded(encode(key, HEARTBEAT, (worker_nonce, UNKNOWN), (args.heartbeat,)))
    _rid, _command, session, _fixed, _variable = peer.await_command(1, HEARTBEAT, args.patience)
    client_nonce = session[0]
    send_recorded(encode(key, HEARTBEAT, (worker_nonce, client_nonce), (args.heartbeat,)))
    peer.beat = lambda: peer.send(encode(key, HEARTBEAT, (worker_nonce, client_nonce), (args.heartbeat,)))
    emit("joined", phase=1, worker=worker_nonce.hex(), client=client_nonce.hex())
    _rid, _command, _session, fixed, _variable = peer.await_command(1, REQUEST, args.patience)
    emit("request", phase=1, id=fixed[0])
    send_recorded(encode(key, REPLY, (worker_nonce, client_nonce), (fixed[0], 200, now_ms(), now_ms()),
                         b"recorded", b"response", json_field({}), json_field({}), body=b""))
    peer.send(encode(key, DISCONNECT, (worker_nonce, client_nonce)))
    peer.beat = None
    peer.await_command(1, DISCONNECT, args.patience)
    first.close()
    emit("recorded", phase=1, messages=[NAMES[frames[0][4]] for frames in recorded])
    return recorded


def replay_ready(key, args, stopped):
    """Records a genuine worker's session with a client, then replays it on a new connection."""
    recorded = record_session(key, args)
    second = dealer(args.connect)
    replayer = Endpoint(second, key, args.heartbeat, routed=False)
    cycle = 0
    while not stopped.is_set():
        cycle += 1
        for frames in recorded:
            replayer.send(frames)
            deadline = monotonic_ms() + args.heartbeat / len(recorded)
            while (message := replayer.receive(2, deadline)) is not None:
                if message[1] == REQUEST:
                    emit("request", phase=2, id=message[3][0])
        emit("cycle", phase=2, number=cycle)
    second.close()


def reflect_ready(key, args, stopped):
    """Records a genuine worker's session with a client, then, again and again, replays its READY on a new
    connection A and sends there what the client answers, on a second connection B, to the client's
    own HEARTBEAT answer on A: a message of the client's, which the passphrase signed in this session."""
    ready = record_session(key, args)[0]
    cycle = 0
    while not stopped.is_set():
        cycle += 1
        a = Endpoint(dealer(args.connect), key, args.heartbeat, routed=False)
        b = Endpoint(dealer(args.connect), key, args.heartbeat, routed=False)
        a.send(ready)
        answer = a.await_command(2, HEARTBEAT, args.patience)  # the client's answer to the READY, on A
        b.send(a.last_frames)                              # ... sent from B, a connection it does not know
        _rid, _command, session, _fixed, _variable = b.await_command(2, DISCONNECT, args.patience)
        emit("reflected", phase=2, cycle=cycle, heartbeat=answer[2][0].hex(), **nonces(session))
        a.send(b.last_frames)                              # ... and what it answers there, sent on A
        deadline = monotonic_ms() + 2 * args.heartbeat     # time enough for a REQUEST, had A joined
        while (message := a.receive(2, deadline)) is not None:
            if message[1] == REQUEST:
                emit("request", phase=2, id=message[3][0])
        a.socket.close()
        b.socket.close()
        emit("cycle", phase=2, number=cycle)


def replay_request(key, args, stopped):
    """Records a REQUEST of a genuine session with a worker, then replays it on the worker's next connection."""
    router = new_context().socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    router.bind(args.bind)
    emit("bound", endpoint=router.getsockopt_string(zmq.LAST_ENDPOINT))
    peer = Endpoint(router, key, args.heartbeat, routed=True)

    def join(phase):
        """Takes a READY on a connection not seen before; returns its routing id and the session."""
        rid, _command, session, _fixed, _variable = peer.await_command(
            phase, READY, args.patience, lambda message: message[0] not in seen)
        seen.add(rid)
        return rid, session[0]

    def answer_ready(phase, rid, worker_nonce):
        client_nonce = new_nonce()
        peer.send(encode(key, HEARTBEAT, (client_nonce, worker_nonce), (args.heartbeat,)), rid)
        peer.beat = lambda: peer.send(encode(key, HEARTBEAT, (client_nonce, worker_nonce), (args.heartbeat,)), rid)
        # The worker's answer at once, naming our nonce (section 7.1).
        peer.await_command(phase, HEARTBEAT, args.patience,
                           lambda message: message[0] == rid and message[2] == (worker_nonce, client_nonce))
        emit("joined", phase=phase, worker=worker_nonce.hex(), client=client_nonce.hex())
        return client_nonce

    def call(rid, session, cid, tag):
        frames = encode(key, REQUEST, session, (cid, 10_000, now_ms()), b"request", b"/count", json_field({}),
                        json_field({"tag": tag}), body=b"")
        peer.send(frames, rid)
        return frames

    def await_reply(phase, rid, cid):
        _rid, _command, _session, fixed, variable = peer.await_command(
            phase, REPLY, args.patience, lambda message: message[0] == rid and message[3][0] == cid)
        emit("reply", phase=phase, id=cid, status=fixed[1], message=variable[0].decode())

    seen = set()
    rid, worker_nonce = join(1)
    client_nonce = answer_ready(1, rid, worker_nonce)
    recorded = call(rid, (client_nonce, worker_nonce), 1, "recorded")
    await_reply(1, rid, 1)
    # Goodbye: the registered worker announces itself again, on a new connection.
    peer.beat = None
    peer.send(encode(key, DISCONNECT, (client_nonce, worker_nonce)), rid)

    rid, worker_nonce = join(2)
    peer.send(recorded, rid)                       # before the new READY is answered: dropped, the connection kept
    emit("replayed", phase=2, joined=False)
    client_nonce = answer_ready(2, rid, worker_nonce)
    call(rid, (client_nonce, worker_nonce), 2, "fresh")
    await_reply(2, rid, 2)
    peer.send(recorded, rid)                       # once the worker knows our new nonce: it replaces the connection
    emit("replayed", phase=2, joined=True)
    peer.beat = None
    rid, worker_nonce = join(3)
    emit("rejoined", phase=3, worker=worker_nonce.hex())
    while not stopped.is_set():                    # reports anything more, a late answer to the replay above all
        peer.receive(3, monotonic_ms() + args.heartbeat)
    router.close()


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("mode", choices=("ready", "reflect", "request"))
    options.add_argument("--connect", help="the client's endpoint (ready, reflect)")
    options.add_argument("--bind", help="the endpoint to bind (request)")
    options.add_argument("--service", default="py")
    options.add_argument("--heartbeat", type=int, default=250, help="ms")
    options.add_argument("--patience", type=int, default=15_000, help="ms to wait for any one step")
    args = options.parse_args()
    stopped = threading.Event()
    read_commands(lambda line: None, stopped.set)
    modes = {"ready": replay_ready, "reflect": reflect_ready, "request": replay_request}
    modes[args.mode](secret_key(), args, stopped)
    emit("stopped")


if __name__ == "__main__":
    main()
