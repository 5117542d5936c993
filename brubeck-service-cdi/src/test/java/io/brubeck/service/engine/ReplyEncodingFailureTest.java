package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reply the worker cannot write (here JSON-B overflows its stack on a deeply nested payload) is
 * still answered, with a 500, so the caller hears at once and the slot returns for the next call.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyEncodingFailureTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private static Object deeplyNested() {
        Object value = "leaf";
        for (int i = 0; i < 100_000; i++) {
            value = List.of(value);
        }
        return value;
    }

    @Test
    void aReplyWhosePayloadCannotBeWrittenIsStillAnsweredAndFreesItsSlot() {
        ServiceClientEndpoint client = fixtures.client("encode");
        Object tree = deeplyNested();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/deep$", Method.REQUEST, request -> ServiceReply.ok("deep").with("tree", tree))
                .route("^/ok$", Method.REQUEST, request -> ServiceReply.ok("fine"))
                .build();
        // concurrency 1, prefetch 0: the worker announces one slot per connection
        fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).build());
        Fixtures.awaitWorkers(client, 1);

        ServiceResponse first;
        try {
            first = client.request("/deep").timeout(Duration.ofSeconds(3)).send().response();
        } catch (ServiceException e) {
            // Without an answer the caller waits for its whole deadline; say what the next call gets.
            first = null;
            String second;
            try {
                second = client.request("/ok").timeout(Duration.ofSeconds(3)).send().response().statusMessage();
            } catch (ServiceException e2) {
                second = e2.getClass().getSimpleName() + ": " + e2.getMessage();
            }
            fail("a reply that cannot be encoded got no answer (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the next call on the same worker got: " + second);
        }
        assertEquals(500, first.statusCode(), "the caller gets a clear 500, as for a handler that throws");
        assertEquals("fine", client.request("/ok").timeout(Duration.ofSeconds(3)).send().response().statusMessage());
    }
}
