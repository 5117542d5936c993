package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A client, here a raw one, that accepts the worker and then says goodbye at once, again and again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForgetfulClientTest {
    private static final int JOINS = 100;
    private static final long CLIENT_NONCE = 0x0C11E47L;

    private final Fixtures fixtures = new Fixtures();
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
    private final ZContext rawContext = fixtures.track(new ZContext(1));

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /** The worker joins again each time, as it should, but logs a few of its reconnects, not one line each. */
    @Test
    void aWorkerThatIsForgottenOverAndOverDoesNotFloodTheLog() throws Exception {
        KeptLog log = fixtures.track(KeptLog.of(WorkerLoop.class, Level.INFO));
        ZMQ.Socket router = rawContext.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setReceiveTimeOut(50);
        router.bind("tcp://127.0.0.1:*");
        fixtures.worker(WorkerConfig.builder("forgetful").endpoints(router.getLastEndpoint()).passphrase(Fixtures.SECRET)
                .routes(Fixtures.routes("^/", request -> ServiceReply.ok())).build());

        int joins = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (joins < JOINS && System.nanoTime() < deadline) {
            byte[] routingId = router.recv();
            if (routingId == null) {
                continue; // the receive timeout
            }
            List<byte[]> frames = new ArrayList<>();
            while (router.hasReceiveMore()) {
                frames.add(router.recv());
            }
            byte[][] received = frames.toArray(new byte[0][]);
            if (codec.decode(received, received.length) instanceof WireMessage.Ready) {
                long workerNonce = MessageCodec.senderNonce(received[0]);
                send(router, routingId, codec.encode(new WireMessage.Heartbeat(1000), CLIENT_NONCE, workerNonce));
                send(router, routingId, codec.encode(WireMessage.Disconnect.INSTANCE, CLIENT_NONCE, workerNonce));
                joins++;
            }
        }

        assertTrue(joins == JOINS, "the worker joined " + joins + " times");
        long lines = log.messages().stream().filter(line -> line.contains("reconnects to")).count();
        assertTrue(lines <= 30, lines + " reconnect lines for " + joins + " reconnects");
    }

    private static void send(ZMQ.Socket router, byte[] routingId, byte[][] frames) {
        router.sendMore(routingId);
        for (int i = 0; i < frames.length - 1; i++) {
            router.sendMore(frames[i]);
        }
        router.send(frames[frames.length - 1]);
    }
}
