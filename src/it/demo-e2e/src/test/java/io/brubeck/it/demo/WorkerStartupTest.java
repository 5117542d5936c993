package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.JavaProgram;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker program refuses a setting it cannot follow before it connects anywhere. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartupTest {

    @Test
    void aParentProcessIdThatIsNotANumberStopsTheWorkerBeforeItIsReady() {
        try (JavaProgram worker = JavaProgram.start("worker-bad-parent", Jars.worker(),
                List.of("-Xmx256m", "-Dworker.exit-with-pid=not-a-pid", "-Dbrubeck.worker.connect=tcp://127.0.0.1:1"),
                List.of())) {
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker cannot start: worker.exit-with-pid must be a process id, "
                    + "was 'not-a-pid'"), worker.tail());
            assertFalse(worker.said("brubeck-service worker ready"), "announced itself ready before refusing: " + worker.tail());
        }
    }

    @Test
    void demoRouteSettingsEveryCallWouldFailWithStopTheWorkerBeforeItIsReady() {
        try (JavaProgram worker = JavaProgram.start("worker-bad-demo-settings", Jars.worker(),
                List.of("-Xmx256m", "-Ddemo.slow.delay=-PT1S", "-Ddemo.primes.max-below=1",
                        "-Dbrubeck.worker.connect=tcp://127.0.0.1:1",
                        "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()),
                List.of())) {
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker cannot start: demo.slow.delay is '-PT1S', which is not "
                    + "an ISO-8601 duration from zero to 365 days, such as PT5S"), worker.tail());
            assertTrue(worker.said("demo.primes.max-below is '1', which is not a whole number between 2 and 2147483647"),
                    worker.tail());
            assertFalse(worker.said("brubeck-service worker ready"), "announced itself ready before refusing: " + worker.tail());
        }
    }
}
