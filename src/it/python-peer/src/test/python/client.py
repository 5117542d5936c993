"""A brubeck-service client, written from docs/PROTOCOL.md alone.

    BRUBECK_SECRET=... [BRUBECK_CURVE_SECRET_KEY=...] python3 client.py --bind 'tcp://127.0.0.1:*' --service slow
        [--heartbeat 1000] [--liveness 3] [--max-size 8388608] [--max-attempts 3] [--max-workers 1024]

With BRUBECK_CURVE_SECRET_KEY (Z85), it encrypts with CURVE as the server of that key pair.

It prints {"event": "bound", "endpoint": ...} first, then what happens, as JSON lines on stdout.
It reads commands as JSON lines on stdin:

    {"call": {"tag": "a", "path": "/x", "method": "request", "headers": {}, "arguments": {},
              "body": "<base64>", "timeout": 30000, "idempotent": false}}
    {"close": true}

Each call ends with one "reply" or one "failed" event carrying its tag. Closing stdin closes the client.
"""
import argparse
import base64
import collections
import json
import os
import queue
import sys

import zmq

from protocol_v2 import (DISCONNECT, HEARTBEAT, READY, REFUSE, REPLY, REQUEST, UNKNOWN, Dropped, client_session,
                         encode, json_field, new_nonce)
from brubeck_peer import (DEFAULT_MAX_SIZE, RateLimitedLog, Wakeup, b64, checked_decode, emit,
                          monotonic_ms, new_context, nonces, now_ms, read_commands, secret_key, text)

MAX_CAPACITY, MAX_QUEUED, MAX_TTL = 1000, 10_000, 2**31 - 1
MIN_JOIN_LIMIT_MS = 5000   # section 7.2: a slow link must not keep a worker from joining a client that beats fast


class Call:
    def __init__(self, cid, spec):
        self.id, self.tag = cid, spec.get("tag")
        self.method = spec.get("method", "request").encode()
        self.path = spec["path"].encode()
        self.headers = json_field(spec.get("headers", {}))
        # "raw_arguments" is sent as it is, so that a test can send arguments that are not JSON
        self.arguments = spec["raw_arguments"].encode() if "raw_arguments" in spec \
            else json_field(spec.get("arguments", {}))
        self.body = base64.b64decode(spec.get("body", ""))
        self.idempotent = spec.get("idempotent", False)
        self.deadline = monotonic_ms() + spec.get("timeout", 30_000)
        self.request_time = now_ms()   # kept when the call is sent again (section 8.3)
        self.sends = 0
        self.waiting = True            # the caller still waits for it

    def size(self):
        """Section 8.2: the variable fields and the body, plus 128 bytes."""
        return len(self.method) + len(self.path) + len(self.headers) + len(self.arguments) + len(self.body) + 128


class WorkerLink:
    """A registered worker connection, known by its routing id, and its session (section 5.1)."""

    def __init__(self, rid, worker_nonce, capacity, interval, max_size, label):
        self.rid, self.label = rid, label
        self.worker_nonce = worker_nonce   # from its READY
        self.nonce = new_nonce()           # ours, drawn for this READY
        self.joining = True                # no work until its HEARTBEAT names our nonce (section 7.1)
        self.capacity, self.interval, self.max_size = min(capacity, MAX_CAPACITY), interval, max_size
        self.last_heard = monotonic_ms()   # while joining: when its READY came
        self.in_flight = {}   # correlation id -> Call: the slots taken (section 8.1)
        self.leaving = False
        self.last_sent = 0

    def name(self):
        return self.rid.hex()

    def session(self):
        """The nonces of what we send to this worker."""
        return self.nonce, self.worker_nonce


class Client:
    def __init__(self, key, service, bind, heartbeat_ms, liveness, max_size, max_attempts, max_workers=1024,
                 curve_secret_key=None):
        self.key, self.service = key, service
        self.heartbeat_ms, self.liveness, self.max_size = heartbeat_ms, liveness, max_size
        self.max_attempts, self.max_workers = max_attempts, max_workers
        self.socket = new_context().socket(zmq.ROUTER)
        self.socket.setsockopt(zmq.ROUTER_MANDATORY, 1)   # a send to a vanished worker raises
        self.socket.setsockopt(zmq.MAXMSGSIZE, max_size)
        self.socket.setsockopt(zmq.SNDHWM, 0)
        self.socket.setsockopt(zmq.LINGER, 100)
        if curve_secret_key:   # the CURVE server of the service's key pair (section 2)
            self.socket.curve_server = True
            self.socket.curve_secretkey = curve_secret_key.encode()
        self.socket.bind(bind)
        self.endpoint = self.socket.getsockopt_string(zmq.LAST_ENDPOINT)  # the port ZeroMQ picked
        self.log = RateLimitedLog("client " + self.endpoint)
        self.workers = {}                  # routing id -> WorkerLink
        self.queue = collections.deque()   # calls not sent yet, oldest first
        self.waiting = {}                  # correlation id -> Call, for every call a caller waits on
        self.next_id, self.sends = 1, 0
        self.commands, self.wakeup = queue.Queue(), Wakeup()
        self.closed = False

    def command(self, line):
        """From the stdin thread: hand the line to the loop, which owns the socket."""
        self.commands.put(line)
        self.wakeup.notify()

    def run(self):
        emit("bound", endpoint=self.endpoint)
        poller = zmq.Poller()
        poller.register(self.socket, zmq.POLLIN)
        poller.register(self.wakeup.fileno(), zmq.POLLIN)
        next_beat = monotonic_ms() + self.heartbeat_ms
        while not self.closed:
            wake_at = min([next_beat] + [call.deadline for call in self.waiting.values()])
            ready = dict(poller.poll(max(0, int(wake_at - monotonic_ms()) + 1)))
            if ready.get(self.socket):
                self._receive()
            if self.wakeup.fileno() in ready:
                self.wakeup.clear()
                self._run_commands()
            self._expire_calls()
            if monotonic_ms() >= next_beat:
                next_beat = monotonic_ms() + self.heartbeat_ms
                self._tick()
            self._dispatch()
        self.socket.close()

    # --- callers' side ------------------------------------------------------------------------

    def _run_commands(self):
        while not self.commands.empty():
            command = json.loads(self.commands.get())
            if "call" in command:
                call = Call(self.next_id, command["call"])
                self.next_id += 1
                if call.size() > self.max_size:
                    self._fail(call, "too-large")
                elif len(self.queue) >= MAX_QUEUED:
                    self._fail(call, "queue-full")
                else:
                    self.waiting[call.id] = call
                    self.queue.append(call)
            elif command.get("close"):
                self._close()

    def _fail(self, call, reason):
        """A local error of the caller (section 9): nothing goes on the wire."""
        call.waiting = False
        self.waiting.pop(call.id, None)
        emit("failed", tag=call.tag, id=call.id, reason=reason)

    def _expire_calls(self):
        """Section 8.4: at its deadline a call fails, queued or in flight; an in-flight one keeps its
        slot until its worker answers."""
        now = monotonic_ms()
        for call in [call for call in self.waiting.values() if call.deadline <= now]:
            if call in self.queue:
                self.queue.remove(call)
            self._fail(call, "timeout")

    def _close(self):
        """Section 10.2: DISCONNECT to every registered worker; every call fails as unavailable."""
        for worker in self.workers.values():
            self._send(worker.rid, encode(self.key, DISCONNECT, worker.session()))
        for call in list(self.waiting.values()):
            self._fail(call, "unavailable")
        self.closed = True
        emit("closed")

    # --- workers' side ------------------------------------------------------------------------

    def _send(self, rid, frames):
        """False when the connection is gone (ROUTER_MANDATORY)."""
        try:
            self.socket.send_multipart([rid] + frames)
            return True
        except zmq.ZMQError:
            return False

    def _receive(self):
        rid, *frames = self.socket.recv_multipart()
        worker = self.workers.get(rid)
        try:
            command, session, fixed, variable, body = checked_decode(self.key, frames, self.max_size)
        except Dropped as reason:
            self.log("dropped a message from %s: %s" % (rid.hex(), reason))
            if worker:   # section 6: a registered worker that sends a bad message is dropped at once
                self._drop(worker, "malformed: %s" % reason)
            return
        if worker is None:
            if command == READY:
                self._register(rid, session[0], fixed, variable)
            elif session[0] == UNKNOWN:   # section 7.4: a client's own answer played back: no worker sent it
                emit("unanswered", worker=rid.hex(), command=command)
            else:        # section 7.4: "I do not know you: announce yourself again", naming the sender
                # only: with no nonce of ours, the answer can never pass for a worker's message
                self._send(rid, encode(self.key, DISCONNECT, (UNKNOWN, session[0])))
                emit("unknown", worker=rid.hex(), command=command, **nonces(session))
            return
        if command == READY:
            if session[0] == worker.worker_nonce:   # section 7.1: the same session's READY again
                self.log("ignored a second READY of %s in one session" % worker.label)
                emit("ready-again", worker=worker.name())
            else:        # a new session on this connection; the old one is lost
                self._drop(worker, "announced itself again")
                self._register(rid, session[0], fixed, variable)
            return
        state = client_session(worker.worker_nonce, worker.nonce, worker.joining, command, session)
        if state is None:        # check 10: recorded in another session
            self.log("dropped %s: it sent a message of another session" % worker.label)
            self._drop(worker, "another session")
            return
        if state == "joining":   # its READY may be a recording: this proves nothing, no sign of life
            if command == DISCONNECT:
                emit("disconnect", worker=worker.name())
                self._drop(worker, "said goodbye before it joined")
                self._send(rid, encode(self.key, DISCONNECT, worker.session()))
            return
        if worker.joining:       # its HEARTBEAT named our nonce: it holds the passphrase now
            worker.joining = False
            emit("active", worker=worker.name(), label=worker.label)
        if command == REQUEST:   # only clients send it (section 6, check 11)
            self._drop(worker, "sent a REQUEST")
            return
        worker.last_heard = monotonic_ms()
        if command == HEARTBEAT:
            worker.interval = fixed[0]
            emit("heartbeat", worker=worker.name(), interval=fixed[0])
        elif command == REPLY:
            self._on_reply(worker, fixed, variable, body)
        elif command == REFUSE:
            self._on_refuse(worker, fixed[0])
        elif command == DISCONNECT:
            self._on_disconnect(worker)

    def _register(self, rid, worker_nonce, fixed, variable):
        capacity, interval, max_size = fixed
        service, label = text(variable[0]), text(variable[1])
        if service != self.service:
            self.log("ignored READY for service %r from %s" % (service, label))
            return
        if len(self.workers) >= self.max_workers:
            # Section 7.1: the worker joining longest makes room (dicts keep the order of registration)
            oldest = next((worker for worker in self.workers.values() if worker.joining), None)
            if oldest is None:
                self.log("ignored READY from %s: too many workers" % label)
                return
            self._drop(oldest, "had not joined when another worker announced itself (maxWorkers)")
        worker = WorkerLink(rid, worker_nonce, capacity, interval, max_size, label)
        self.workers[rid] = worker
        # "You are registered; name this nonce to get work" (section 7.1)
        self._send(rid, encode(self.key, HEARTBEAT, worker.session(), (self.heartbeat_ms,)))
        emit("registered", worker=worker.name(), label=label, capacity=capacity, heartbeat=interval,
             maxSize=max_size, nonce=worker_nonce.hex())

    def _on_reply(self, worker, fixed, variable, body):
        cid, status, start, end = fixed
        call = worker.in_flight.pop(cid, None)
        if call is None:
            return   # not in flight on this connection: ignored, no credit change (section 8.3)
        if call.waiting:
            call.waiting = False
            del self.waiting[cid]
            message, method, headers, payload = variable
            emit("reply", tag=call.tag, id=cid, status=status, message=text(message), method=text(method),
                 headers=text(headers), payload=text(payload), body=b64(body), start=start, end=end,
                 worker=worker.label)
        self._forget_if_done(worker)

    def _on_refuse(self, worker, cid):
        call = worker.in_flight.pop(cid, None)
        if call is None:
            return
        emit("refused", tag=call.tag, id=cid, worker=worker.label)
        if call.waiting:
            if call.sends < self.max_attempts:
                self.queue.appendleft(call)   # no work was done: any call may go again (8.5)
            else:
                self._fail(call, "unavailable")
        self._forget_if_done(worker)

    def _on_disconnect(self, worker):
        """Section 10.1: a leaving worker keeps its calls until their callers stop waiting."""
        emit("disconnect", worker=worker.name())
        if not worker.leaving and any(call.waiting for call in worker.in_flight.values()):
            worker.leaving = True
        else:
            self._drop(worker, "said goodbye")
        self._send(worker.rid, encode(self.key, DISCONNECT, worker.session()))   # the answer the worker waits for

    def _forget_if_done(self, worker):
        if worker.leaving and not any(call.waiting for call in worker.in_flight.values()):
            del self.workers[worker.rid]
            emit("forgot", worker=worker.name())

    def _drop(self, worker, reason):
        """Section 10.3: idempotent calls go back to the head of the queue, the others fail."""
        self.workers.pop(worker.rid, None)
        emit("dropped", worker=worker.name(), reason=reason)
        for call in sorted(worker.in_flight.values(), key=lambda c: c.id, reverse=True):
            if not call.waiting:
                continue
            if call.idempotent and call.sends < self.max_attempts:
                self.queue.appendleft(call)
            else:
                self._fail(call, "unavailable")

    def _tick(self):
        for worker in list(self.workers.values()):
            # Section 7.2: a joining worker has the join limit from its READY, whatever it announced
            limit = (max(self.heartbeat_ms * self.liveness, MIN_JOIN_LIMIT_MS) if worker.joining
                     else worker.interval * self.liveness)
            if monotonic_ms() - worker.last_heard > limit:
                self._drop(worker, "did not join" if worker.joining else "silent")
            elif not self._send(worker.rid, encode(self.key, HEARTBEAT, worker.session(), (self.heartbeat_ms,))):
                self._drop(worker, "connection gone")

    def _dispatch(self):
        """Section 8.2: the head of the queue goes to the least loaded worker with a free slot whose
        announced maximum message size it fits."""
        while self.queue:
            call = self.queue[0]
            # What a joining worker announced counts for nothing: its READY may be a recording
            joined = [w for w in self.workers.values() if not w.joining]
            fitting = [w for w in joined if call.size() <= w.max_size]
            if joined and not fitting:
                self.queue.popleft()
                self._fail(call, "too-large")
                continue
            free = [w for w in fitting if not w.leaving and not w.joining and len(w.in_flight) < w.capacity]
            if not free:
                return   # it waits at the head, and the calls behind it wait too
            worker = min(free, key=lambda w: (len(w.in_flight) / w.capacity, w.last_sent))
            ttl = int(call.deadline - monotonic_ms())   # whole ms, rounded down
            if ttl < 1:
                self.queue.popleft()
                self._fail(call, "timeout")
                continue
            frames = encode(self.key, REQUEST, worker.session(), (call.id, min(ttl, MAX_TTL), call.request_time),
                            call.method, call.path, call.headers, call.arguments, body=call.body)
            if not self._send(worker.rid, frames):
                self._drop(worker, "connection gone")   # the call was not sent: it stays at the head
                continue
            self.queue.popleft()
            call.sends += 1
            self.sends += 1
            worker.in_flight[call.id], worker.last_sent = call, self.sends


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--bind", required=True, help="endpoint, e.g. tcp://127.0.0.1:*")
    options.add_argument("--service", required=True)
    options.add_argument("--heartbeat", type=int, default=1000, help="ms")
    options.add_argument("--liveness", type=int, default=3)
    options.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE)
    options.add_argument("--max-attempts", type=int, default=3)
    options.add_argument("--max-workers", type=int, default=1024)
    args = options.parse_args()
    client = Client(secret_key(), args.service, args.bind, args.heartbeat, args.liveness, args.max_size,
                    args.max_attempts, args.max_workers, os.environ.get("BRUBECK_CURVE_SECRET_KEY"))
    read_commands(client.command, lambda: client.command('{"close": true}'))
    client.run()
    sys.exit(0)


if __name__ == "__main__":
    main()
