"""A brubeck-service worker, written from docs/PROTOCOL.md alone.

    BRUBECK_SECRET=... [BRUBECK_CURVE_SECRET_KEY=...] python3 worker.py --connect tcp://127.0.0.1:5555
        --service slow [--capacity 4] [--threads N] [--heartbeat 1000] [--liveness 3] [--max-size 8388608]
        [--grace 1000] [--curve-server-key Z85]

With --curve-server-key it encrypts with CURVE, with a key pair made at start, or, with
BRUBECK_CURVE_SECRET_KEY (Z85), the fixed pair of that secret key, which a client can list (section 2).

It prints what it does as JSON lines on stdout (see emit() calls), and drains (section 10.1) and
exits 0 when stdin says "stop", when stdin closes or on SIGTERM. The routes at the end are the ones
the interoperability tests call.
"""
import argparse
import os
import queue
import re
import signal
import socket
import threading

import zmq

from protocol_v2 import (DISCONNECT, HEARTBEAT, READY, REFUSE, REPLY, REQUEST, UNKNOWN, Dropped, encode, json_field,
                         new_nonce, worker_session)
from brubeck_peer import (DEFAULT_MAX_SIZE, METHODS, RateLimitedLog, Wakeup, checked_decode, emit,
                          json_object, monotonic_ms, new_context, nonces, now_ms, read_commands, secret_key, text)


class Reply:
    """What a handler returns; a handler that returns None answers 200 "OK" (section 9)."""

    def __init__(self, status=200, message="OK", payload=None, headers=None, body=b"", method="response"):
        self.status, self.message, self.method = status, message, method
        self.payload, self.headers, self.body = payload or {}, headers or {}, body


class MalformedRequest(ValueError):
    """Arguments or headers that are not a JSON object: the sender's fault, answered 400 (section 9)."""

    def __init__(self, part, failure):
        super().__init__("The request's %s are not a JSON object: %s" % (part, failure))


def request_json(part, field):
    try:
        value = json_object(field)
    except ValueError as failure:
        raise MalformedRequest(part, failure) from failure
    if not isinstance(value, dict):
        raise MalformedRequest(part, "found %s" % type(value).__name__)
    return value


class Request:
    """What a handler sees. The JSON fields are parsed only when read (section 3.2: a field that is
    not a JSON object makes the handler that reads it fail, which gives a 400)."""

    def __init__(self, cid, method, path, headers, arguments, body, deadline):
        self.cid, self.method, self.path, self.body, self.deadline = cid, method, path, body, deadline
        self._headers, self._arguments = headers, arguments

    @property
    def headers(self):
        return request_json("headers", self._headers)

    @property
    def arguments(self):
        return request_json("arguments", self._arguments)

    def remaining_ms(self):
        return self.deadline - monotonic_ms()


class Route:
    """A path pattern matched from the start of the path (re.match, section 9) and a METHOD."""

    def __init__(self, pattern, method, handler):
        self.pattern, self.method, self.handler = re.compile(pattern), method, handler


class Connection:
    """One DEALER to one client endpoint, and its session (section 5.1). A reconnect makes a new
    Connection (a new generation and a new session, section 7.3); the old one is marked replaced so
    that its owed answers are discarded."""

    def __init__(self, endpoint, generation):
        self.endpoint, self.generation = endpoint, generation
        self.socket = new_context().socket(zmq.DEALER)
        self.nonce = new_nonce()       # ours, drawn for this connection
        self.client_nonce = UNKNOWN    # the client's, from its first message of the session
        self.registered = False        # set by the first HEARTBEAT (section 7.1)
        self.client_interval = None    # the client's last announced interval, once it has sent one
        self.last_heard = monotonic_ms()
        self.admitted = 0              # admitted and not yet answered: at most capacity (section 8.1)
        self.replaced = False
        self.goodbye_answered = False  # while draining: the client answered our DISCONNECT

    def session(self):
        """The nonces of what we send on this connection: ours, then the client's once we know it."""
        return self.nonce, self.client_nonce


class Worker:
    def __init__(self, key, service, endpoints, capacity, threads, heartbeat_ms, liveness, max_size,
                 grace_ms, label):
        self.key, self.service, self.endpoints, self.label = key, service, endpoints, label
        self.capacity, self.heartbeat_ms, self.liveness = capacity, heartbeat_ms, liveness
        self.max_size, self.grace_ms = max_size, grace_ms
        self.routes = []
        self.curve_server_key = None   # the client's public key, to encrypt with CURVE (section 2)
        self.curve_keys = zmq.curve_keypair()
        self.log = RateLimitedLog("worker " + label)
        self.poller = zmq.Poller()
        self.wakeup = Wakeup()
        self.poller.register(self.wakeup.fileno(), zmq.POLLIN)
        self.work = queue.Queue()      # (connection, request) for the handler threads
        self.answers = queue.Queue()   # (connection, correlation id, status, frames) back to the loop
        self.stopping = threading.Event()  # set at the very end: lets long handlers give up
        self.stop_requested = False
        self.draining, self.drain_deadline, self.farewell_sent = False, None, False
        self.outstanding = 0           # admitted on any connection, old ones included, not yet finished
        self.max_admitted, self.refused, self.requests = 0, 0, 0
        self.connections = []
        for _ in range(threads):
            threading.Thread(target=self._handler_thread, daemon=True).start()

    def stop(self):
        """Thread-safe (also from a signal handler): start draining."""
        self.stop_requested = True
        self.wakeup.notify()

    # --- the loop: the only thread that touches the sockets -----------------------------------

    def run(self):
        self.connections = [self._connect(endpoint, 1) for endpoint in self.endpoints]
        next_beat = monotonic_ms() + self.heartbeat_ms
        while True:
            wake_at = next_beat if not self.draining else min(next_beat, self.drain_deadline)
            ready = dict(self.poller.poll(max(0, int(wake_at - monotonic_ms()) + 1)))
            for connection in list(self.connections):
                if ready.get(connection.socket) and not connection.replaced:
                    self._receive(connection)
            if self.wakeup.fileno() in ready:
                self.wakeup.clear()
                self._send_answers()
            if self.stop_requested and not self.draining:
                self._start_draining()
            if monotonic_ms() >= next_beat:
                next_beat = monotonic_ms() + self.heartbeat_ms
                self._tick()
            if self.draining and self._drained():
                break
        self._close()

    def _connect(self, endpoint, generation):
        connection = Connection(endpoint, generation)
        sock = connection.socket
        sock.setsockopt(zmq.MAXMSGSIZE, self.max_size)   # check 1 of section 6, done by ZeroMQ
        sock.setsockopt(zmq.SNDHWM, 0)
        sock.setsockopt(zmq.RECONNECT_IVL_MAX, 1000)
        sock.setsockopt(zmq.LINGER, 0)   # a replaced socket discards what it still queued (7.3)
        if self.curve_server_key:
            sock.curve_serverkey = self.curve_server_key.encode()
            sock.curve_publickey, sock.curve_secretkey = self.curve_keys
        sock.connect(endpoint)
        # Sent at once: ZeroMQ keeps it queued until the connection is up, so it is the first
        # message the client sees on this connection (section 2).
        sock.send_multipart(encode(self.key, READY, connection.session(),
                                   (self.capacity, self.heartbeat_ms, self.max_size),
                                   self.service.encode(), self.label.encode()))
        self.poller.register(sock, zmq.POLLIN)
        emit("ready", endpoint=endpoint, generation=generation, nonce=connection.nonce.hex())
        return connection

    def _reconnect(self, old, reason):
        old.replaced = True
        self.poller.unregister(old.socket)
        old.socket.close(linger=0)
        new = self._connect(old.endpoint, old.generation + 1)
        self.connections[self.connections.index(old)] = new
        emit("reconnected", reason=reason, generation=new.generation)

    def _tick(self):
        for connection in list(self.connections):
            limit = (connection.client_interval or self.heartbeat_ms) * self.liveness
            if monotonic_ms() - connection.last_heard > limit:
                if self.draining:
                    connection.goodbye_answered = True   # a silent client counts as an answer (10.1)
                else:
                    self._reconnect(connection, "silence")
        for connection in self.connections:
            self._heartbeat(connection)

    def _heartbeat(self, connection):
        try:
            # Never blocks: a connection whose handshake failed (a CURVE mismatch, say) has no
            # peer to queue for, and a heartbeat that cannot go now is not worth waiting for.
            connection.socket.send_multipart(encode(self.key, HEARTBEAT, connection.session(), (self.heartbeat_ms,)),
                                             zmq.NOBLOCK)
        except zmq.Again:
            pass

    def _receive(self, connection):
        frames = connection.socket.recv_multipart()
        try:
            command, session, fixed, variable, body = checked_decode(self.key, frames, self.max_size)
        except Dropped as reason:
            self.log("dropped a message: %s" % reason)   # not a sign of life, never answered
            return
        client_nonce = worker_session(connection.nonce, connection.client_nonce, command, session)
        if client_nonce is None:    # check 10: recorded in another session, or delayed past a reconnect
            self.log("dropped a message of another session: command %d" % command)
            emit("other-session", command=command, generation=connection.generation, **nonces(session))
            return
        connection.client_nonce = client_nonce
        # A DISCONNECT of the session, or one naming our nonce and no client's: the answer of a client
        # that does not know this connection, accepted at any time (section 5.1, worker rule 3).
        if command == DISCONNECT:   # never a sign of life for a worker (section 7.2)
            emit("disconnect", generation=connection.generation, registered=connection.registered,
                 **nonces(session))
            if self.draining:
                connection.goodbye_answered = True
            elif connection.registered:
                self._reconnect(connection, "disconnect")
            return                  # on an unregistered connection: ignored (section 7.4)
        connection.last_heard = monotonic_ms()
        if command == HEARTBEAT:
            connection.client_interval = fixed[0]
            if not connection.registered:
                connection.registered = True
                # At once, so that the client, which now sees that we know its nonce, gives us work
                # without waiting for our next beat (section 7.1).
                self._heartbeat(connection)
                emit("registered", generation=connection.generation, client=connection.client_nonce.hex())
        elif command == REQUEST:
            self._admit(connection, fixed, variable, body)
        else:
            self.log("ignored a message a worker does not receive: command %d" % command)

    def _admit(self, connection, fixed, variable, body):
        cid, ttl, _request_time = fixed
        method, path, headers, arguments = variable
        self.requests += 1
        emit("request", id=cid, method=text(method), path=text(path), generation=connection.generation)
        if self.draining or connection.admitted >= self.capacity:
            connection.socket.send_multipart(encode(self.key, REFUSE, connection.session(), (cid,)))
            self.refused += 1
            emit("refused", id=cid, reason="draining" if self.draining else "capacity")
            return
        connection.admitted += 1
        self.outstanding += 1
        self.max_admitted = max(self.max_admitted, connection.admitted)
        deadline = monotonic_ms() + ttl   # local deadline, on this machine's monotonic clock (8.4)
        self.work.put((connection, Request(cid, text(method), text(path), headers, arguments, body, deadline)))

    def _send_answers(self):
        while True:
            try:
                connection, cid, status, frames = self.answers.get_nowait()
            except queue.Empty:
                return
            self.outstanding -= 1
            if connection.replaced or frames is None:
                emit("discarded", id=cid, generation=connection.generation)
                continue
            connection.admitted -= 1
            connection.socket.send_multipart(frames)
            emit("replied", id=cid, status=status)

    def _start_draining(self):
        self.draining = True
        self.drain_deadline = monotonic_ms() + self.grace_ms
        for connection in self.connections:
            connection.socket.send_multipart(encode(self.key, DISCONNECT, connection.session()))
        emit("draining")

    def _drained(self):
        if monotonic_ms() >= self.drain_deadline:
            return True
        if self.outstanding > 0 or not all(c.goodbye_answered for c in self.connections):
            return False
        if self.farewell_sent:
            return True
        # Step 4 of section 10.1: goodbye again, and close only once every client has read every REPLY.
        self.farewell_sent = True
        for connection in self.connections:
            connection.goodbye_answered = False
            connection.socket.send_multipart(encode(self.key, DISCONNECT, connection.session()))
        return False

    def _close(self):
        for connection in self.connections:
            if not self.farewell_sent:
                connection.socket.send_multipart(encode(self.key, DISCONNECT, connection.session()))
            connection.socket.close(linger=100)
        self.stopping.set()
        emit("stopped", unfinished=self.outstanding)

    # --- handler threads ----------------------------------------------------------------------

    def _handler_thread(self):
        while True:
            connection, request = self.work.get()
            if connection.replaced:   # not started yet, and its connection is gone (7.3): skip
                self.answers.put((connection, request.cid, None, None))
            else:
                status, frames = self._answer(connection, request)
                self.answers.put((connection, request.cid, status, frames))
            self.wakeup.notify()

    def _answer(self, connection, request):
        start = now_ms()
        try:
            reply = self._route(request)
        except MalformedRequest as failure:
            reply = Reply(400, str(failure))
        except Exception as failure:   # no stack trace travels (section 9)
            reply = Reply(500, str(failure) or type(failure).__name__)
        try:
            headers, payload = json_field(reply.headers), json_field(reply.payload)
        except (TypeError, ValueError) as failure:
            reply = Reply(500, "The reply could not be written as JSON: %s" % failure)
            headers, payload = b"", b""
        message = reply.message.encode()
        size = len(payload) + len(headers) + len(reply.body) + len(message) + 160
        if size > self.max_size:
            reply = Reply(500, "The reply is %d bytes; the limit is %d" % (size, self.max_size))
            headers, payload, message = b"", b"", reply.message.encode()
        fixed = (request.cid, reply.status, start, now_ms())
        # In the session the request came in: the client's nonce was known when it was admitted.
        return reply.status, encode(self.key, REPLY, connection.session(), fixed, message, reply.method.encode(),
                                    headers, payload, body=reply.body)

    def _route(self, request):
        """The checks of section 9's table, in its order."""
        if monotonic_ms() >= request.deadline:
            return Reply(504, "The caller's deadline passed before the work started")
        method = request.method.lower()
        if method not in METHODS:
            return Reply(405, "METHOD '%s' is not supported" % request.method)
        matching = [route for route in self.routes if route.pattern.match(request.path)]
        if not matching:
            return Reply(404, "No route for %s" % request.path)
        for route in matching:
            if route.method == method:
                return route.handler(request) or Reply()
        return Reply(405, "METHOD '%s' is not allowed on %s" % (method, request.path))


# --- the routes the tests call -------------------------------------------------------------------

def test_routes(worker):
    holding = threading.Condition()
    arrived, rounds = [0], [0]   # arrived in the round now filling; rounds: how many were complete

    def echo(request):
        """Sends back what it got: arguments, headers and METHOD in the payload, the body as it is."""
        payload = {"arguments": request.arguments, "headers": request.headers,
                   "method": request.method, "path": request.path, "label": worker.label}
        return Reply(200, "echoed", payload=payload, headers={"x-echo": "yes"}, body=request.body)

    def slow(request):
        """Works for arguments["ms"] milliseconds (or until the worker stops)."""
        ms = request.arguments.get("ms", 60000)
        worker.stopping.wait(ms / 1000)
        return Reply(200, "Took a while, but I am back.", payload={"ms": ms})

    def hold(request):
        """Returns once arguments["until"] requests run at once (or after 5 s): then the worker has
        admitted that many together, whatever the timing of their arrival."""
        with holding:
            # A barrier: each round counts its own arrivals, so that members of the round before,
            # still on their way out, never complete the next one early.
            entered_in = rounds[0]
            arrived[0] += 1
            if arrived[0] >= request.arguments["until"]:
                arrived[0] = 0
                rounds[0] += 1
                holding.notify_all()
            reached = holding.wait_for(lambda: rounds[0] > entered_in, timeout=5)
        return Reply(200 if reached else 500, "held", payload={"reached": reached})

    def stats(_request):
        return Reply(payload={"maxAdmitted": worker.max_admitted, "refused": worker.refused,
                              "requests": worker.requests, "capacity": worker.capacity})

    return [Route(r"/echo$", "request", echo), Route(r"/echo$", "post", echo),
            Route(r"/slow$", "request", slow), Route(r"/hold$", "request", hold),
            Route(r"/stats$", "request", stats)]


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--connect", action="append", required=True, help="client endpoint")
    options.add_argument("--service", required=True)
    options.add_argument("--capacity", type=int, default=4)
    options.add_argument("--threads", type=int, help="handler threads (default: capacity)")
    options.add_argument("--heartbeat", type=int, default=1000, help="ms")
    options.add_argument("--liveness", type=int, default=3)
    options.add_argument("--max-size", type=int, default=DEFAULT_MAX_SIZE)
    options.add_argument("--grace", type=int, default=1000, help="ms")
    options.add_argument("--curve-server-key", help="the clients' CURVE public key (Z85): encrypt")
    args = options.parse_args()
    label = "%d@%s" % (os.getpid(), os.environ.get("HOSTNAME") or socket.gethostname() or "localhost")
    worker = Worker(secret_key(), args.service, args.connect, args.capacity, args.threads or args.capacity,
                    args.heartbeat, args.liveness, args.max_size, args.grace, label)
    worker.routes = test_routes(worker)
    worker.curve_server_key = args.curve_server_key
    own_secret = os.environ.get("BRUBECK_CURVE_SECRET_KEY")
    if own_secret:   # a fixed key pair, so that a client can list its public key (section 2)
        worker.curve_keys = (zmq.curve_public(own_secret.encode()), own_secret.encode())
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    read_commands(lambda line: worker.stop() if line == "stop" else None, worker.stop)
    worker.run()


if __name__ == "__main__":
    main()
