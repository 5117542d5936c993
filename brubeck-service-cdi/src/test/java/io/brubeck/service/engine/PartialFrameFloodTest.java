package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.ChildProcess;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that complete the ZMTP handshake, which needs no passphrase, and then send only the 9-byte
 * header of a frame of the largest size the client accepts, keeping their connections open, one after
 * the other. JeroMQ
 * allocates a frame's whole size when it reads its header: on a client whose heap is small, without a
 * bound, the allocations soon fail and the client's only I/O thread dies, and every connection with it.
 * The client must keep serving its worker while they hold their connections, and close as usual.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartialFrameFloodTest {
    /** 40 frames of 8 MiB claim 320 MiB, five times the client's heap. */
    private static final int PEERS = 40;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * A JSON answer over 8 KiB. Its first byte, read as a frame header once the frame got no bytes, claims a long
     * frame, so ZeroMQ closes the connection and the message never reaches the client's loop: the budget itself
     * must say what was lost.
     */
    private static final byte[] LARGE_JSON = ("{\"text\":\"" + "x".repeat(64 * 1024) + "\"}").getBytes(US_ASCII);

    private final Fixtures fixtures = new Fixtures();
    private final List<Socket> peers = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Socket peer : peers) {
            peer.close();
        }
        fixtures.close();
    }

    @Test
    void headersOfLargeFramesOnManyConnectionsLeaveASmallHeapClientServing() throws Exception {
        try (ChildProcess client = startClient()) {
            Matcher bound = client.awaitLine(Pattern.compile(Pattern.quote(SmallHeapClient.ENDPOINT) + "(\\S+)"), WAIT);
            String endpoint = bound.group(1);
            RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                    .route("^/ping$", Method.REQUEST, request -> ServiceReply.ok("pong"))
                    .route("^/large$", Method.REQUEST, request -> ServiceReply.ok().withBody(LARGE_JSON))
                    .build();
            fixtures.track(ServiceWorker.start(WorkerConfig.builder(SmallHeapClient.SERVICE).endpoints(endpoint)
                    .passphrase(Fixtures.SECRET).routes(routes).build()));
            assertEquals("200", call(client, 1), "the client serves before");
            assertEquals("200", call(client, SmallHeapClient.CALL_LARGE, 1), "and answers over 8 KiB");

            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            for (int i = 0; i < PEERS; i++) {
                Socket peer = new Socket(InetAddress.getLoopbackAddress(), port);
                peers.add(peer);
                peer.setSoTimeout((int) WAIT.toMillis());
                peer.getOutputStream().write(RawZmtp.concat(RawZmtp.greeting(), RawZmtp.readyCommand()));
                // The client's I/O thread answers with its READY: one that died of an earlier header never does.
                awaitReady(peer.getInputStream(), i);
                peer.getOutputStream().write(
                        RawZmtp.longFrameHeader(RawZmtp.LAST_FRAME, SmallHeapClient.MAX_MESSAGE_SIZE));
                peer.getOutputStream().flush();
            }

            for (int i = 2; i < 12; i++) {
                assertEquals("200", call(client, i), "the client still serves, call " + i);
            }
            // While the peers hold the budget, a genuine answer over 8 KiB is lost too, and the client says why.
            assertTrue(call(client, SmallHeapClient.CALL_LARGE, 2).contains("ServiceUnavailableException"),
                    "a large answer is lost");
            client.awaitLine(Pattern.compile("got none: the frame budget was full"), WAIT);
            client.send(SmallHeapClient.STOP);
            Matcher closed = client.awaitLine(Pattern.compile(Pattern.quote(SmallHeapClient.CLOSED)
                    + "running=(\\w+) ms=(\\d+) left=\\[(.*)]"), WAIT);
            assertEquals("true", closed.group(1), "the client runs until closed");
            assertEquals("", closed.group(3), "no thread of the client is left once closed");
            assertTrue(Long.parseLong(closed.group(2)) < 1_000, "the client closes at once: " + closed.group(2) + " ms");
        }
    }

    /** Has the client call {@code /ping}, and returns its status or the exception, as the client says it. */
    private static String call(ChildProcess client, int nth) {
        return call(client, SmallHeapClient.CALL, nth);
    }

    private static String call(ChildProcess client, String command, int nth) {
        client.send(command + " " + nth);
        String answered = SmallHeapClient.ANSWERED + command + nth + ": ";
        return client.awaitLine(Pattern.compile(Pattern.quote(answered) + "(.+)"), WAIT).group(1);
    }

    private static ChildProcess startClient() {
        return ChildProcess.builder("small-heap-client", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:MaxDirectMemorySize=64m",
                "-cp", System.getProperty("java.class.path"),
                SmallHeapClient.class.getName())).start();
    }

    /** Reads the client's greeting and commands up to its READY. */
    private static void awaitReady(InputStream in, int peer) throws IOException {
        if (in.readNBytes(64).length < 64) {
            throw new IOException("peer " + peer + ": the client closed the connection in its greeting");
        }
        while (true) {
            int flags = in.read();
            if (flags < 0) {
                throw new IOException("peer " + peer + ": the client closed the connection");
            }
            long size = (flags & 0x02) != 0 ? ByteBuffer.wrap(in.readNBytes(8)).getLong() : in.read();
            byte[] body = in.readNBytes((int) size);
            if ((flags & 0x04) != 0 && body.length > 5 && new String(body, 1, 5, US_ASCII).equals("READY")) {
                return;
            }
        }
    }
}
