package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Applications that refill a body array they handed over: the message already signed must not change under
 * ZeroMQ, which sends the array later on its own thread, or the peer would drop it as forged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReusedBodyTest {
    private static final int CALLS = 200;
    private static final int BODY_BYTES = 64 * 1024;

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /** A handler that fills one reply buffer for every request gets each reply to its caller as it filled it. */
    @Test
    void aHandlerMayRefillItsReplyBodyForItsNextRequest() throws Exception {
        byte[] replyBuffer = new byte[BODY_BYTES];
        ServiceClientEndpoint client = fixtures.client("reused-reply");
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/", request -> {
            Arrays.fill(replyBuffer, (byte) (int) request.argument("n", Integer.class).orElseThrow());
            return ServiceReply.ok().withBody(replyBuffer);
        })).concurrency(1).prefetch(8).build());
        Fixtures.awaitWorkers(client, 1);

        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        for (int n = 0; n < CALLS; n++) {
            calls.add(client.request("/fill").argument("n", n).sendAsync().toCompletableFuture());
        }

        for (int n = 0; n < CALLS; n++) {
            byte[] expected = new byte[BODY_BYTES];
            Arrays.fill(expected, (byte) n);
            assertEquals(Arrays.hashCode(expected), Arrays.hashCode(calls.get(n).get(20, TimeUnit.SECONDS).response().body()),
                    "the body of reply " + n);
        }
        assertEquals(0, client.statistics().unavailable(), "no call lost its worker");
    }

    /**
     * A caller that refills one request body for call after call, before they are answered, as it should not:
     * each call is still answered, and the worker's slots are all free again afterwards.
     */
    @Test
    void aCallerThatRefillsItsRequestBodyTooEarlyHarmsNoCall() throws Exception {
        byte[] requestBuffer = new byte[BODY_BYTES];
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("reused-request").timeout(Duration.ofSeconds(10)).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/", request -> ServiceReply.ok()))
                .concurrency(4).build());
        Fixtures.awaitWorkers(client, 1);

        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        for (int n = 0; n < CALLS; n++) {
            Arrays.fill(requestBuffer, (byte) n);
            calls.add(client.request("/any").body(requestBuffer).sendAsync().toCompletableFuture());
        }

        for (CompletableFuture<ServiceResult> call : calls) {
            assertEquals(200, call.get(20, TimeUnit.SECONDS).response().statusCode());
        }
        Fixtures.awaitCondition(Duration.ofSeconds(10), "every slot of the worker to be free",
                () -> client.statistics().inFlight() == 0);
    }
}
