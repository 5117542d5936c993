package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's close() does not wait for callbacks for good: one still running when it returns goes on, on the
 * client's callback thread. That is logged, since a callback that never returns keeps its thread for good.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbacksAfterCloseTest {
    private final Fixtures fixtures = new Fixtures();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        release.countDown();
        fixtures.close();
    }

    @Test
    void closingWhileAResponseRouteStillRunsIsLogged() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        ResponseHandler blocked = response -> {
            entered.countDown();
            return release.await(60, TimeUnit.SECONDS);
        };
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("stuck-route")
                .responseRoutes(RouteTable.<ResponseHandler>builder().route("^/r", Method.RESPONSE, blocked).build())
                .build());
        fixtures.worker(client, Fixtures.routes("^/r", request -> ServiceReply.ok()));
        client.request("/r/stuck").sendNoWait();
        assertTrue(entered.await(20, TimeUnit.SECONDS), "the response route runs");

        try (KeptLog log = KeptLog.of(CallbackExecutor.class, Level.INFO)) {
            client.close();
            List<LogRecord> lines = log.records();
            assertEquals(1, lines.size(), () -> "lines: " + log.messages());
            assertEquals("The client of service 'stuck-route' closed with callbacks still on its callback threads "
                    + "(1 running, 0 waiting); they go on until they return, and one that never returns keeps its "
                    + "thread for good", lines.get(0).getMessage());
            assertNull(lines.get(0).getThrown());
        }
    }
}
