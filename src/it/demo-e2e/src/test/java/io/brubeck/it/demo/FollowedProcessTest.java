package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ChildProcess;
import io.brubeck.it.support.FreePort;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker given {@code worker.exit-with-pid} stops, in order, when the process it follows is killed outright
 * (SIGKILL), as the demo's child worker does when the demo is killed: nothing else stops it then.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FollowedProcessTest {
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final Duration START = Duration.ofSeconds(60);
    /**
     * The JVM learns that a process other than its child ended by looking, at most 5 s apart; the worker then
     * waits up to its client's liveness window (3 s) when the client is gone too.
     */
    private static final Duration NOTICED = Duration.ofSeconds(30);

    @Test
    void aWorkerStopsWithStatusZeroWhenTheProcessItFollowsIsKilled() {
        try (ChildProcess followed = startFollowed();
             JavaProgram worker = startWorker("worker-following", "tcp://127.0.0.1:" + FreePort.pick(), followed.pid(),
                     List.of())) {
            worker.awaitSaid("brubeck-service worker ready", START);

            followed.kill();

            assertEquals(0, worker.awaitExit(NOTICED), worker.tail());
            assertTrue(worker.said("brubeck-service worker of service 'demo' stopping (process " + followed.pid()
                    + " ended)"), worker.tail());
            assertTrue(worker.said("brubeck-service worker of service 'demo' stopped; goodbye"), worker.tail());
        }
    }

    /** As on SIGTERM, the call in flight still gets its answer before the worker exits. */
    @Test
    void aCallInFlightWhenTheFollowedProcessIsKilledIsAnsweredBeforeTheWorkerExits() {
        try (RunningDemo demo = RunningDemo.start(List.of("-Ddemo.worker.start=false", "-Dbrubeck.service.demo.timeout=PT60S"));
             ChildProcess followed = startFollowed();
             JavaProgram worker = startWorker("worker-following-with-a-call", demo.endpoint(), followed.pid(),
                     List.of("-Ddemo.slow.delay=PT8S", "-Dbrubeck.worker.shutdown-grace=PT60S"))) {
            worker.awaitSaid("brubeck-service worker ready: service 'demo', connecting to " + demo.endpoint(), START);
            demo.awaitWorkers(START, worker.pid());
            CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", "text/html", Duration.ofSeconds(90));
            worker.awaitSaid("Slow echo started", Duration.ofSeconds(30));

            followed.kill();
            worker.awaitSaid("stopping (process " + followed.pid() + " ended)", NOTICED);
            // Else the call was no longer in flight when the worker began to stop, and this test shows nothing.
            assertFalse(worker.said("Slow echo done"), "the call ended before the worker noticed: " + worker.tail());

            Web.Answer answer = call.join();
            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.body().contains(SYNC_DATA), answer.body());
            assertEquals(0, worker.awaitExit(NOTICED), worker.tail());
            assertTrue(worker.said("brubeck-service worker of service 'demo' stopped; goodbye"), worker.tail());
        }
    }

    /**
     * The demo killed outright cannot stop its child worker; the child, which follows the demo's process id,
     * stops by itself. What it says meanwhile is not checked: it shares the demo's output, whose end in this JVM
     * the JDK closes once the demo has ended, so its last lines are lost here (the tests above check them).
     */
    @Test
    void theDemosChildWorkerStopsWhenTheDemoIsKilled() {
        try (RunningDemo demo = RunningDemo.start(List.of())) {
            assertTrue(demo.childWorker().isPresent(), "The demo started no worker" + demo.program().tail());
            long child = demo.childWorker().getAsLong();
            demo.awaitWorkers(START, child);
            // A handle taken while the child runs never stands for another process that later gets its id.
            ProcessHandle childProcess = demo.program().children().stream().filter(process -> process.pid() == child)
                    .findFirst().orElseThrow(() -> new AssertionError("the worker " + child + " is not the demo's child: "
                            + demo.program().children()));
            try {
                // Only the demo: JavaProgram.kill() would kill its child as well.
                ProcessHandle.of(demo.program().pid()).ifPresent(ProcessHandle::destroyForcibly);

                Await.until(NOTICED, "the child worker " + child + " to end", () -> !childProcess.isAlive(),
                        demo.program()::tail);
            } finally {
                // Once the demo is gone its child is no longer among its descendants, which closing the demo kills.
                childProcess.destroyForcibly();
            }
        }
    }

    /** A process that runs until it is killed, for a worker to follow. */
    private static ChildProcess startFollowed() {
        return ChildProcess.builder("followed", List.of("sleep", "600")).start();
    }

    private static JavaProgram startWorker(String name, String connect, long followedPid, List<String> options) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-Dbrubeck.worker.connect=" + connect,
                "-Dworker.exit-with-pid=" + followedPid));
        jvmOptions.addAll(options);
        return JavaProgram.start(name, Jars.worker(), jvmOptions, List.of());
    }
}
