package io.brubeck.it.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.HealthData;
import io.brubeck.it.support.Web;
import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.engine.ServiceWorker;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The library's health checks, added by its build-compatible extension because the application has
 * quarkus-smallrye-health, read over HTTP from Quarkus's /q/health/ready and /q/health/live on the port Quarkus
 * chose for the tests: the application is not ready while no worker of 'slow' is connected and ready once one
 * is, and live throughout.
 */
@QuarkusTest
@Timeout(60)
class HealthOnQuarkusTest {
    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final String JSON = "application/json";

    @TestHTTPResource("/")
    URI root;
    @Inject
    ServiceRuntime runtime;

    @Test
    void readinessFollowsTheConnectedWorkerAndLivenessStaysUp() {
        Web web = new Web(root);
        Await.until(LIMIT, "no worker of 'slow' to be connected (another test's may be leaving)",
                () -> runtime.status("slow").toCompletableFuture().join().workers().isEmpty());
        Web.Answer notReady = web.get("q/health/ready", JSON, LIMIT);
        assertEquals(503, notReady.status(), notReady.body());
        assertTrue(HealthData.has(notReady.body(), "slow.workers", "0"), notReady.body());
        assertLive(web);

        try (ServiceWorker worker = SlowWorker.connectTo(runtime.boundEndpoint("slow").orElseThrow())) {
            Await.until(LIMIT, "/q/health/ready to answer 200 once the worker has joined",
                    () -> web.statusOrZero("q/health/ready") == 200, () -> ": " + web.bodyOrEmpty("q/health/ready"));
            Web.Answer ready = web.get("q/health/ready", JSON, LIMIT);
            assertEquals(200, ready.status(), ready.body());
            assertTrue(HealthData.has(ready.body(), "slow.workers", "1"), ready.body());
            assertTrue(HealthData.has(ready.body(), "slow.queued", "0"), ready.body());
            assertLive(web);
        }

        Await.until(LIMIT, "/q/health/ready to answer 503 again once the worker has left",
                () -> web.statusOrZero("q/health/ready") == 503, () -> ": " + web.bodyOrEmpty("q/health/ready"));
        assertLive(web);
    }

    private static void assertLive(Web web) {
        Web.Answer live = web.get("q/health/live", JSON, LIMIT);
        assertEquals(200, live.status(), live.body());
        assertTrue(HealthData.has(live.body(), "client.slow", "running"), live.body());
    }
}
