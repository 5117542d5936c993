package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Text an authenticated peer sends (a worker's label and service name, a request's path) reaches the log cut to
 * 200 code points and with its control characters escaped: a peer can neither forge log lines nor fill the log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerTextInLogsTest {
    private static final String SERVICE = "peer-text";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HEARTBEAT_MILLIS = 100;
    /** A label that would start a forged line of its own, and colour the terminal, if logged as it is. */
    private static final String EVIL = "evil\nSEVERE: forged line\r\u001b[31mred\u0085\u2028\u2029\u007f\u0000";
    private static final String EVIL_ESCAPED = "evil\\nSEVERE: forged line\\r\\u001b[31mred\\u0085\\u2028\\u2029\\u007f\\u0000";

    private final Fixtures fixtures = new Fixtures();
    private final ZContext rawContext = fixtures.track(new ZContext(1));

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void aWorkerOfAnotherServiceIsRefusedInOneShortLine() {
        KeptLog log = fixtures.track(KeptLog.of(ClientLoop.class, Level.WARNING));
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        String otherService = "other\n" + "x".repeat(100_000);
        try (RawWorker worker = new RawWorker(client, otherService, EVIL + "y".repeat(100_000))) {
            worker.pumpUntil("the refusal to be logged", () -> log.has("refused worker"));
        }
        String line = only(log, "refused worker");
        assertTrue(line.contains("refused worker " + EVIL_ESCAPED + "y"), line);
        assertTrue(line.contains("y… (" + (EVIL.length() + 100_000 - 200) + " more characters cut)"), line);
        assertTrue(line.contains("that serves 'other\\n" + "x".repeat(194) + "… (99806 more characters cut)'"), line);
        assertNoControls(line);
        assertTrue(line.length() < 1_000, "a line of " + line.length() + " characters");
    }

    @Test
    void aJoiningWorkersLabelIsEscapedInTheLogAndInTheStatus() {
        KeptLog log = fixtures.track(KeptLog.of(ClientLoop.class, Level.INFO));
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        try (RawWorker worker = new RawWorker(client, SERVICE, EVIL)) {
            worker.pumpUntil("the worker to join", () -> log.has("joined"));
            assertEquals(List.of(EVIL_ESCAPED), client.status().toCompletableFuture().join().workers().stream()
                    .map(ClientStatus.WorkerStatus::label).toList());
        }
        String line = only(log, "joined");
        assertTrue(line.contains("worker " + EVIL_ESCAPED + " joined"), line);
        assertNoControls(line);
    }

    /** A worker logs a failed handler with the request's path, cut short. */
    @Test
    void aLongPathIsCutShortInAWorkersLog() throws Exception {
        KeptLog log = fixtures.track(KeptLog.of(Level.WARNING, WorkerLoop.class, HandlerTask.class));
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        fixtures.worker(client, Fixtures.routes("^/fail/", request -> {
            throw new IllegalStateException("on purpose");
        }));
        String path = "/fail/" + "é".repeat(10_000);
        ServiceResult result = client.request(path).send();
        assertEquals(500, result.response().statusCode());
        Fixtures.awaitCondition(WAIT, "the failure to be logged", () -> log.has("failed"));
        String line = only(log, "failed");
        assertTrue(line.startsWith("Handler for /fail/" + "é".repeat(194) + "… (9806 more characters cut) failed: "), line);
    }

    private static String only(KeptLog log, String text) {
        List<String> lines = log.records().stream().map(LogRecord::getMessage).filter(m -> m.contains(text)).toList();
        assertEquals(1, lines.size(), () -> "lines with '" + text + "': " + lines);
        return lines.get(0);
    }

    private static void assertNoControls(String line) {
        assertFalse(line.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029),
                () -> "a control character in " + line.replaceAll("\\p{Cc}", "?"));
    }

    /** A worker at the protocol level: announces itself with the given service name and label, and joins. */
    private final class RawWorker implements AutoCloseable {
        private final ZMQ.Socket dealer = rawContext.createSocket(SocketType.DEALER);
        private final PeerSession session = new PeerSession(new MessageCodec(new MessageAuthenticator(Fixtures.SECRET)));

        RawWorker(ServiceClientEndpoint client, String service, String label) {
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(20);
            dealer.setHandshakeIvl(1_000); // as the real worker does: see FakeWorker
            dealer.connect(client.endpoint());
            send(new WireMessage.Ready(1, HEARTBEAT_MILLIS, 8 * 1024 * 1024, service, label));
        }

        /** Answers the client's heartbeats, which is how a worker joins, until the condition holds. */
        void pumpUntil(String what, BooleanSupplier condition) {
            Fixtures.awaitCondition(WAIT, what, () -> {
                receive();
                return condition.getAsBoolean();
            });
        }

        private void receive() {
            List<byte[]> frames = new ArrayList<>();
            byte[] frame = dealer.recv(0);
            while (frame != null) {
                frames.add(frame);
                frame = dealer.hasReceiveMore() ? dealer.recv(0) : null;
            }
            if (frames.isEmpty()) {
                return;
            }
            try {
                if (session.decode(frames.toArray(new byte[0][]), frames.size()) instanceof WireMessage.Heartbeat) {
                    send(new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
                }
            } catch (MalformedMessageException e) {
                throw new AssertionError("the client sent a malformed message: " + e.getMessage(), e);
            }
        }

        private void send(WireMessage message) {
            byte[][] frames = session.encode(message);
            for (int i = 0; i < frames.length; i++) {
                assertTrue(dealer.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0), "send frame " + i);
            }
        }

        @Override
        public void close() {
            dealer.close();
        }
    }
}
