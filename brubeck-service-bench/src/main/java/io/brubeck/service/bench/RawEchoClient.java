package io.brubeck.service.bench;

import java.util.Arrays;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The baseline client: one DEALER connected to the {@link RawEchoServer}, driven by the one thread
 * that runs the measurements. Every echo is checked against the payload.
 */
final class RawEchoClient implements AutoCloseable {
    private static final int RECEIVE_TIMEOUT_MILLIS = 10_000;

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket dealer;
    private final byte[] payload;

    RawEchoClient(String endpoint, byte[] payload) {
        this.payload = payload;
        dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(RECEIVE_TIMEOUT_MILLIS);
        dealer.connect(endpoint);
        dealer.send(payload, 0);
        receive(); // connected and echoing
    }

    /** Round trips with {@code window} messages in flight, pipelined from this thread. */
    Rate throughput(long nanos, int window) {
        long start = System.nanoTime();
        long end = start + nanos;
        for (int i = 0; i < window; i++) {
            dealer.send(payload, 0);
        }
        long done = 0;
        long now;
        while (true) {
            receive();
            done++;
            now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            dealer.send(payload, 0);
        }
        for (int i = 1; i < window; i++) {
            receive(); // drain the window so the next round starts empty
        }
        return new Rate(done, now - start, window - 1);
    }

    /** Round-trip times, one call in flight. */
    LongSamples latency(long nanos) {
        LongSamples samples = new LongSamples(1 << 14);
        long end = System.nanoTime() + nanos;
        long start;
        do {
            start = System.nanoTime();
            dealer.send(payload, 0);
            receive();
            samples.add(System.nanoTime() - start);
        } while (start - end < 0);
        return samples;
    }

    private void receive() {
        byte[] echo = dealer.recv(0);
        if (echo == null) {
            throw new IllegalStateException("The raw echo server did not answer within " + RECEIVE_TIMEOUT_MILLIS + " ms");
        }
        if (!Arrays.equals(echo, payload)) {
            throw new IllegalStateException("The raw echo server sent back other bytes than it got");
        }
    }

    @Override
    public void close() {
        dealer.close();
        context.close();
    }
}
