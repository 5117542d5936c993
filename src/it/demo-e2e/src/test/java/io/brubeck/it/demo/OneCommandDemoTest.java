package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo as one command: {@code java -jar brubeck-service-jaxrs-demo.jar} finds the worker program the
 * build left beside it, starts it as a child (here with their connection encrypted), serves the pages with
 * it, and stops it when it stops.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneCommandDemoTest {

    /** A key made for this test with {@code io.brubeck.service.engine.CurveKeys}. */
    private static final String CURVE_SECRET_KEY = ")*l}J<(f7Sx/j)O>PT9KqrBk+aP?afU<:XPY%]B5";

    @Test
    void theDemoStartsItsOwnWorkerAndStopsItOnExit() {
        // Bound on every interface, as for workers on other machines: the ready line names the bound address too.
        try (RunningDemo demo = RunningDemo.start(List.of("-Ddemo.worker.jvm-options=-Ddemo.slow.delay=PT0.3S",
                "-Dbrubeck.service.demo.curve-secret-key=" + CURVE_SECRET_KEY, "-Dbrubeck.service.demo.endpoint=tcp://*:*"))) {
            String port = demo.endpoint().substring(demo.endpoint().lastIndexOf(':'));
            assertTrue(demo.program().said("connect to " + demo.endpoint() + " on this machine, where the client is bound to "
                    + "tcp://0.0.0.0" + port + "; started worker pid "), demo.program().tail());
            assertTrue(demo.childWorker().isPresent(), "The demo started no worker");
            long child = demo.childWorker().getAsLong();
            demo.awaitWorkers(Duration.ofSeconds(60), child);

            Web.Answer answer = demo.web().get("service/sync", "text/html", Duration.ofSeconds(30));
            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.body().contains("I made a round trip, it took a while but I bring results."), answer.body());
            assertTrue(demo.program().line(Pattern.compile("worker ready: .*, label " + child + "@.*, encrypted with CURVE"))
                    .isPresent(), demo.program().tail());

            demo.program().terminate();
            demo.program().awaitExit(Duration.ofSeconds(60));
            Await.until(Duration.ofSeconds(30), "the child worker " + child + " to end",
                    () -> ProcessHandle.of(child).map(process -> !process.isAlive()).orElse(true));
            assertTrue(demo.program().said("brubeck-service worker of service 'demo' stopped; goodbye"), demo.program().tail());
            assertTrue(demo.program().said("brubeck-service demo stopped"), demo.program().tail());
        }
    }
}
