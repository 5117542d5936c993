package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A peer that keeps sending authentic messages (a recorded HEARTBEAT replayed: it is the same bytes
 * every time, PROTOCOL.md §13) from a connection the client does not know, and never reads the
 * DISCONNECT answers, cannot make the client hold those answers without bound: past the connection's
 * send bound, answers are not sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadAnswersBoundTest {
    private static final int MESSAGES = 400_000;
    private static final long LIMIT_BYTES = 32L << 20;

    @Test
    void aPeerThatNeverReadsCannotMakeTheClientQueueAnswersWithoutBound() throws Exception {
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        byte[][] recordedHeartbeat = codec.encode(new WireMessage.Heartbeat(1000), 7, 8);
        // Messages of one connection are handled in order: once this READY has been refused, every
        // heartbeat before it has been answered, or not.
        byte[][] marker = codec.encode(new WireMessage.Ready(1, 1000, 1 << 20, "another-service", "marker"), 9, 0);
        CountDownLatch markerJoined = new CountDownLatch(1);
        Logger clientLog = Logger.getLogger(ClientLoop.class.getName());
        Handler joins = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (String.valueOf(record.getMessage()).contains("refused worker marker")) {
                    markerJoined.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        clientLog.addHandler(joins);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Fixtures fixtures = new Fixtures(); ZContext context = new ZContext(1)) {
            ServiceClientEndpoint client = fixtures.client("flooded");
            ZMQ.Socket peer = context.createSocket(SocketType.DEALER);
            peer.setLinger(0);
            peer.setSndHWM(0);               // every message reaches the client ...
            peer.setRcvHWM(1);               // ... which keeps (almost) nothing of what the client sends ...
            peer.setReceiveBufferSize(4096); // ... and lets the kernel keep little
            peer.connect(client.endpoint());
            long before = usedAfterGc(memory);

            for (int i = 0; i < MESSAGES; i++) { // never reads
                peer.send(recordedHeartbeat[0], ZMQ.SNDMORE);
                peer.send(recordedHeartbeat[1], 0);
            }
            peer.send(marker[0], ZMQ.SNDMORE);
            peer.send(marker[1], 0);
            assertTrue(markerJoined.await(60, TimeUnit.SECONDS), "the client handled every message");

            long grown = usedAfterGc(memory) - before;
            if (grown > LIMIT_BYTES) {
                // Now read: every one of the answers was kept for the peer.
                peer.setReceiveTimeOut(500);
                int answers = 0;
                while (peer.recv() != null) {
                    while (peer.hasReceiveMore()) {
                        peer.recv();
                    }
                    answers++;
                }
                fail("after " + MESSAGES + " replayed heartbeats from a peer that did not read, the heap held "
                        + (grown >> 20) + " MiB more; the peer then read " + answers + " answers");
            }
        } finally {
            clientLog.removeHandler(joins);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
