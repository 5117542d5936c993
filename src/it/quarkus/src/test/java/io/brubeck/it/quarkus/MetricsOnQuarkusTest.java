package io.brubeck.it.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.PrometheusText;
import io.brubeck.it.support.Web;
import io.brubeck.service.api.ServiceClient;
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
 * The library's metrics, registered in Micrometer because the application has
 * quarkus-micrometer-registry-prometheus, read over HTTP from Quarkus's /q/metrics: the calls a real worker
 * answered are counted, and the connected worker is a level.
 */
@QuarkusTest
@Timeout(60)
class MetricsOnQuarkusTest {
    private static final Duration LIMIT = Duration.ofSeconds(15);
    private static final String TEXT = "text/plain";

    @TestHTTPResource("/")
    URI root;
    @Inject
    ServiceRuntime runtime;

    @Test
    void callsAnsweredByAWorkerAreCountedOnTheMetricsEndpoint() {
        Web web = new Web(root);
        // Other tests of this application call 'slow' too: what counts is how much the figures grow here.
        double callsBefore = metric(web, "brubeck_client_calls_total", "");
        double answeredBefore = metric(web, "brubeck_client_calls_answered_total", "status=\"2xx\"");

        try (ServiceWorker worker = SlowWorker.connectTo(runtime.boundEndpoint("slow").orElseThrow())) {
            ServiceClient client = runtime.client("slow");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.request("/service/slow").send().response().statusCode());
            }
            Await.until(LIMIT, "three more calls answered with 2xx on /q/metrics",
                    () -> metric(web, "brubeck_client_calls_answered_total", "status=\"2xx\"") == answeredBefore + 3);
            assertEquals(callsBefore + 3, metric(web, "brubeck_client_calls_total", ""));
            assertEquals(0.0, metric(web, "brubeck_client_calls_failed_total", "reason=\"rejected\""));
            assertEquals(1.0, metric(web, "brubeck_client_workers", ""), "the worker is connected");
        }
    }

    private static double metric(Web web, String name, String tag) {
        Web.Answer answer = web.get("q/metrics", TEXT, LIMIT);
        assertEquals(200, answer.status(), answer.body());
        return PrometheusText.value(answer.body(), name, "slow", tag);
    }
}
