package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LivenessTest {
    /** Short beats, but a window of a second, so that a busy machine does not drop healthy peers. */
    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 10);
    /** The window, plus one beat of check granularity. */
    private final long livenessWindowMillis = fixtures.livenessWindow().toMillis() + 100;

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /** A worker that hangs keeps its connection open: only its silence tells (one that closes it: ConnectionLossTest). */
    @Test
    void aSilentWorkersCallFailsAsUnavailableWithinTheLivenessWindow() throws Exception {
        ServiceClientEndpoint client = fixtures.client("silent");
        FakeWorker fake = fixtures.track(new FakeWorker(client.endpoint(), "silent", Fixtures.SECRET, 1));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        assertNotNull(fake.nextRequest(5000), "the fake worker got the call");
        long silentFrom = System.nanoTime();
        fake.fallSilent();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentFrom);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("became unavailable"), failure.getCause().getMessage());
        // Its last heartbeat may have come up to a beat before it fell silent.
        assertTrue(tookMillis >= fixtures.livenessWindow().toMillis() - 200, "failed after " + tookMillis + " ms");
        assertTrue(tookMillis < livenessWindowMillis + 1000, "failed after " + tookMillis + " ms");
        Fixtures.awaitWorkers(client, 0);
    }

    @Test
    void anIdempotentCallIsSentAgainToAnotherWorkerAndAWorkerThatComesBackIsUsedAgain() throws Exception {
        ServiceClientEndpoint client = fixtures.client("resend");
        FakeWorker fake = fixtures.track(new FakeWorker(client.endpoint(), "resend", Fixtures.SECRET, 1));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<ServiceResult> call = client.request("/work").idempotent().sendAsync().toCompletableFuture();
        assertNotNull(fake.nextRequest(5000), "the fake worker got the call first");
        ServiceWorker real = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$",
                request -> ServiceReply.ok("done by a real worker"))).label("real").build());
        Fixtures.awaitWorkers(client, 2);
        fake.close();

        assertEquals("done by a real worker", call.get(10, TimeUnit.SECONDS).response().statusMessage());

        // The real worker leaves; a new one joins and serves.
        real.close();
        Fixtures.awaitWorkers(client, 0);
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$",
                request -> ServiceReply.ok("done by a new worker"))).label("new").build());
        assertEquals("done by a new worker", client.request("/work").send().response().statusMessage());
    }

    @Test
    void workersRejoinAClientEndpointThatRestarts() throws Exception {
        ServiceClientEndpoint first = fixtures.client("restart");
        String endpoint = first.endpoint();
        fixtures.worker(fixtures.workerConfig(first, Fixtures.routes("^/ping$", request -> ServiceReply.ok("pong")))
                .build());
        assertEquals("pong", first.request("/ping").send().response().statusMessage());
        first.close();

        ServiceClientEndpoint second = fixtures.client(fixtures.clientConfig("restart").endpoint(endpoint).build());
        Fixtures.awaitWorkers(second, 1);
        assertEquals("pong", second.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    /**
     * A worker whose READY got lost (it went to a client endpoint that was closing) is unknown to the
     * client that now answers at that address, which answers each of its heartbeats with DISCONNECT.
     * Those DISCONNECTs must not keep the unregistered worker from reaching its silence limit, or it
     * would never announce itself again.
     */
    @Test
    void aWorkerTheClientDoesNotKnowAnnouncesItselfAgainDespiteTheClientsDisconnects() throws Exception {
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            router.setReceiveTimeOut(20);
            router.bind("tcp://127.0.0.1:*");
            fixtures.worker(WorkerConfig.builder("forgotten").endpoints(router.getLastEndpoint()).passphrase(Fixtures.SECRET)
                    .heartbeatInterval(Duration.ofMillis(100)).liveness(3).concurrency(1).build());

            int readies = 0;
            int disconnectsSent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (readies < 2 && System.nanoTime() < deadline) {
                ZMsg received = ZMsg.recvMsg(router);
                if (received == null) {
                    continue;
                }
                byte[] from = received.pop().getData();
                byte[][] frames = received.stream().map(ZFrame::getData).toArray(byte[][]::new);
                WireMessage message = codec.decode(frames, frames.length);
                if (message instanceof WireMessage.Ready) {
                    readies++; // ignored, as by a client that never saw it
                } else if (message instanceof WireMessage.Heartbeat) {
                    ZMsg answer = new ZMsg();
                    answer.add(from);
                    // as a client answers a connection it does not know: naming the sender's nonce only
                    for (byte[] frame : codec.encode(new WireMessage.Disconnect(), 0, MessageCodec.senderNonce(frames[0]))) {
                        answer.add(frame);
                    }
                    answer.send(router);
                    disconnectsSent++;
                }
            }
            assertEquals(2, readies, "the worker announced itself again after " + disconnectsSent + " DISCONNECTs");
            assertTrue(disconnectsSent > 0, "the worker heartbeat an unregistered connection");
        }
    }

    @Test
    void aWorkerThatShutsDownFinishesItsCallsAndTheirCallersGetTheirAnswers() throws Exception {
        ServiceClientEndpoint client = fixtures.client("draining");
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
            started.countDown();
            release.await(10, TimeUnit.SECONDS); // work that ends only once the worker is draining
            return ServiceReply.ok("finished");
        })).shutdownGrace(Duration.ofSeconds(5)).build());
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the worker to say goodbye and stay listed as leaving", () -> {
            List<ClientStatus.WorkerStatus> workers = client.status().toCompletableFuture().join().workers();
            return !workers.isEmpty() && workers.stream().allMatch(ClientStatus.WorkerStatus::leaving);
        });
        release.countDown();

        assertEquals("finished", call.get(5, TimeUnit.SECONDS).response().statusMessage());
        closed.get(5, TimeUnit.SECONDS);
        Fixtures.awaitWorkers(client, 0);
    }
}
