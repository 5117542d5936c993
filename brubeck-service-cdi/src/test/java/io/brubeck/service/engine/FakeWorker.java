package io.brubeck.service.engine;

import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A protocol-level worker that announces itself, joins, heartbeats, and collects the requests it gets
 * without ever answering them. Closing it drops the connection without a goodbye, like a process
 * that died; {@link #fallSilent()} keeps it open, like a process that hangs.
 */
final class FakeWorker implements AutoCloseable {
    private static final int HEARTBEAT_MILLIS = 100;

    private final ZContext context = new ZContext(1);
    private final PeerSession session;
    private final LinkedBlockingQueue<WireMessage.Request> requests = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean silent;

    FakeWorker(String endpoint, String service, String passphrase, int capacity) {
        session = new PeerSession(new MessageCodec(new MessageAuthenticator(passphrase)));
        thread = new Thread(() -> run(endpoint, service, capacity), "fake-worker");
        thread.start();
    }

    private void run(String endpoint, String service, int capacity) {
        try (ZMQ.Socket socket = context.createSocket(SocketType.DEALER)) {
            socket.setLinger(0);
            socket.setReceiveTimeOut(10);
            // As the real worker does: JeroMQ 0.6.0 now and then leaves a fresh connection without its
            // ZMTP handshake, and by default waits 30 s before it drops and redoes it.
            socket.setHandshakeIvl(1000);
            socket.connect(endpoint);
            send(socket, new WireMessage.Ready(capacity, HEARTBEAT_MILLIS, 8 * 1024 * 1024, service, "fake"));
            long nextBeat = System.currentTimeMillis() + HEARTBEAT_MILLIS;
            while (running) {
                receive(socket);
                if (System.currentTimeMillis() >= nextBeat && !silent) {
                    send(socket, new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
                    nextBeat += HEARTBEAT_MILLIS;
                }
            }
        }
    }

    private void send(ZMQ.Socket socket, WireMessage message) {
        byte[][] frames = session.encode(message);
        for (int i = 0; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    private void receive(ZMQ.Socket socket) {
        byte[] first = socket.recv();
        if (first == null) {
            return;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        try {
            boolean joined = session.peer() != 0;
            WireMessage message = session.decode(frames.toArray(new byte[0][]), frames.size());
            if (message instanceof WireMessage.Request request) {
                requests.add(request);
            } else if (!joined && session.peer() != 0) {
                send(socket, new WireMessage.Heartbeat(HEARTBEAT_MILLIS)); // now naming the client's nonce: it takes us
            }
        } catch (MalformedMessageException e) {
            throw new AssertionError("the client sent a malformed message: " + e.getMessage(), e);
        }
    }

    /** The next request the fake got, waiting up to {@code millis}; {@code null} if none came. */
    WireMessage.Request nextRequest(long millis) throws InterruptedException {
        return requests.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Hangs: stops heartbeating, but keeps its connection open, as a process that no longer runs does. */
    void fallSilent() {
        silent = true;
    }

    /** Vanishes: stops heartbeating and drops the connection without a goodbye. */
    @Override
    public void close() {
        running = false;
        Fixtures.join(thread, 2000);
        context.close();
    }
}
