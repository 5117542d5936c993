package io.brubeck.it.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.roundtrip.ChaosCallers.Outcome;
import io.brubeck.it.roundtrip.ChaosWorkers.Worker;
import io.brubeck.it.support.Await;
import io.brubeck.it.support.LibraryThreads;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ClientStatus;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes die (SIGKILL, no goodbye), hang (SIGSTOP) and stop (SIGTERM, drain) one after another while
 * 16 callers in this JVM keep calling, every other call idempotent: no call is lost (each ends within its
 * deadline, with its own answer or a clear {@link ServiceUnavailableException} or {@link ServiceTimeoutException}),
 * none is crossed (every answer carries its own call's id), every idempotent call succeeds, sent again to a live
 * worker when its worker was lost, a call that is not idempotent never runs twice, and each new worker, and each
 * worker that comes back, takes calls.
 *
 * <p>The chaos always strikes the oldest worker, in turn killing it, stopping it, freezing it (killed once the
 * client has dropped it for its silence) and freezing it for a while only, so that it comes back; it starts a
 * replacement for each worker that does not come back, so that two workers at least run throughout. It goes on for
 * about 20 s, and until it has struck each way twice and an idempotent call was seen to be sent again. Only its
 * timing varies between runs: what is asserted does not.
 */
@Timeout(180)
class WorkersDyingTest {
    private static final String SERVICE = "chaos";
    private static final String PASSPHRASE = "chaos_secret";
    private static final int WORKERS = 3;
    private static final int CALLERS = 16;
    private static final Duration CHAOS_TIME = Duration.ofSeconds(20);
    /** The chaos stops at the latest after this, whatever it has seen. */
    private static final Duration CHAOS_LIMIT = Duration.ofSeconds(90);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** How late after its deadline a call may end: the client's socket thread may be held up on a busy machine. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    /** How many calls end between two blows of the chaos. */
    private static final int CALLS_BETWEEN_BLOWS = 40;

    @TempDir
    Path records;

    @Test
    void noCallIsLostOrCrossedWhileWorkersAreKilledStoppedAndFrozen() throws Exception {
        ClientConfig config = ClientConfig.builder(SERVICE)
                .endpoint("tcp://127.0.0.1:*")
                .passphrase(PASSPHRASE)
                .timeout(CALL_TIMEOUT)
                .heartbeatInterval(Duration.ofMillis(200))
                // A silent worker is dropped after 1 s: short, but longer than a busy machine holds up a healthy one.
                .liveness(5)
                // An idempotent call may meet several lost workers in a row: its deadline bounds it, not its attempts.
                .maxAttempts(20)
                .build();
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(config);
             ChaosWorkers workers = new ChaosWorkers(client.endpoint(), SERVICE, PASSPHRASE, records)) {
            Deque<Worker> running = new ArrayDeque<>();
            for (int i = 0; i < WORKERS; i++) {
                running.addLast(workers.start());
            }
            awaitConnected(client, running);
            List<String> firstWorkers = names(running);

            List<Outcome> outcomes;
            Set<String> lost = new HashSet<>();
            List<Blow> blows = new ArrayList<>();
            try (ChaosCallers callers = new ChaosCallers(client, CALLERS)) {
                long chaosStart = System.nanoTime();
                while (goOn(chaosStart, blows, workers)) {
                    awaitCallsFlowingToAll(running, callers);
                    Blow blow = Blow.values()[blows.size() % Blow.values().length];
                    Worker victim = running.removeFirst();
                    blow.strike(victim);
                    if (blow != Blow.TERMINATE) {
                        lost.add(victim.name());
                    }
                    Worker successor = blow.comesBack() ? victim : workers.start();
                    blow.settle(victim, () -> awaitConnected(client, running));
                    running.addLast(successor);
                    awaitConnected(client, running);
                    blow.cleanUp(victim);
                    blows.add(blow);
                }
                awaitCallsFlowingToAll(running, callers);
                outcomes = callers.stop(CALL_TIMEOUT.plus(DEADLINE_MARGIN));
            }

            List<String> problems = problems(outcomes, workers.runs(), lost);
            assertEquals(List.of(), problems.subList(0, Math.min(problems.size(), 30)),
                    problems.size() + " problems in " + outcomes.size() + " calls");
            List<String> resent = resentIdempotentCalls(workers);
            assertFalse(resent.isEmpty(), "an idempotent call was sent again after its worker was lost");

            // The callers have stopped: a call of each kind is answered by one of the replacements.
            List<String> replacements = names(running);
            assertTrue(replacements.stream().noneMatch(firstWorkers::contains), "every first worker was replaced");
            for (boolean idempotent : new boolean[] {true, false}) {
                Outcome last = ChaosCallers.call(client, "last-" + idempotent, idempotent);
                assertNull(last.error(), last.describe());
                assertEquals(last.id(), last.result().response().payload().getString("id"), last.describe());
                assertTrue(replacements.contains(last.worker().orElseThrow()), last.describe());
            }
            System.out.println("WorkersDyingTest: " + outcomes.size() + " calls; blows " + blows + "; lost " + lost
                    + "; idempotent calls sent again: " + resent.size() + "; calls that are not idempotent failed: "
                    + outcomes.stream().filter(outcome -> !outcome.idempotent() && outcome.error() != null).count());

            for (Worker worker : running) {
                worker.program().terminate();
            }
            for (Worker worker : running) {
                assertEquals(0, worker.program().awaitExit(Duration.ofSeconds(30)), worker.name() + " stopped cleanly");
            }
        }
        assertEquals(List.of(), LibraryThreads.awaitEnded(Duration.ofSeconds(10)), "library threads left behind");
    }

    /** What the chaos does to the oldest worker. */
    private enum Blow {
        /** SIGKILL: the process dies at once, and its connections close with it; a replacement is started. */
        KILL {
            @Override
            void strike(Worker victim) {
                victim.program().kill();
            }
        },
        /** SIGTERM: the worker drains (finishes its calls, says goodbye) and exits 0; a replacement is started. */
        TERMINATE {
            @Override
            void strike(Worker victim) {
                victim.program().terminate();
            }

            @Override
            void settle(Worker victim, Runnable awaitDropped) {
                int status = victim.program().awaitExit(Duration.ofSeconds(30));
                assertEquals(0, status, victim.name() + " drained and exited");
            }
        },
        /**
         * SIGSTOP: the process hangs with its connections open, so that only its silence tells; a replacement is
         * started, and once the client has dropped the frozen worker it is killed.
         */
        FREEZE {
            @Override
            void strike(Worker victim) {
                signal(victim, "STOP");
            }

            @Override
            void cleanUp(Worker victim) {
                victim.program().kill();
            }
        },
        /** SIGSTOP, and SIGCONT once the client has dropped the worker for its silence: it comes back itself. */
        THAW {
            @Override
            void strike(Worker victim) {
                signal(victim, "STOP");
            }

            @Override
            boolean comesBack() {
                return true;
            }

            @Override
            void settle(Worker victim, Runnable awaitDropped) {
                awaitDropped.run();
                signal(victim, "CONT");
            }
        };

        abstract void strike(Worker victim);

        /** Whether the worker struck serves again, so that no replacement is started. */
        boolean comesBack() {
            return false;
        }

        /** Waits for the blow to take effect, before the client is awaited with the worker that takes its place. */
        void settle(Worker victim, Runnable awaitDropped) {
        }

        /** What is left to do once the client is connected to the worker that took its place. */
        void cleanUp(Worker victim) {
        }

        private static void signal(Worker victim, String signal) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(victim.program().pid()))
                        .inheritIO().start();
                boolean sent = kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
                assertTrue(sent, "kill -" + signal + " " + victim.program().pid() + " (" + victim.name() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Whether the chaos strikes again: for {@link #CHAOS_TIME}, and until it saw all it should, within a limit. */
    private static boolean goOn(long startNanos, List<Blow> blows, ChaosWorkers workers) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        return elapsed.compareTo(CHAOS_LIMIT) < 0 && (elapsed.compareTo(CHAOS_TIME) < 0
                || blows.size() < 2 * Blow.values().length || resentIdempotentCalls(workers).isEmpty());
    }

    /**
     * Waits until some more calls have ended, and every worker running has answered more calls: the callers keep
     * more calls waiting than the workers have slots, so a worker connected takes calls at once.
     */
    private static void awaitCallsFlowingToAll(Deque<Worker> running, ChaosCallers callers) {
        int before = callers.ended();
        Map<String, Long> answeredBefore = callers.answersByWorker();
        List<String> names = names(running);
        Await.until(Duration.ofSeconds(30), "calls to flow, answered by each of " + names, () -> {
            Map<String, Long> answered = callers.answersByWorker();
            return callers.ended() >= before + CALLS_BETWEEN_BLOWS && names.stream()
                    .allMatch(name -> answered.getOrDefault(name, 0L) > answeredBefore.getOrDefault(name, 0L));
        }, () -> "; answers by worker before " + answeredBefore + ", now " + callers.answersByWorker());
    }

    /** Everything wrong with the calls' outcomes, given what the workers ran and which workers were lost. */
    private static List<String> problems(List<Outcome> outcomes, Map<String, List<String>> runs, Set<String> lost) {
        List<String> problems = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.tookMillis() > CALL_TIMEOUT.plus(DEADLINE_MARGIN).toMillis()) {
                problems.add("ended late: " + outcome.describe());
            }
            if (outcome.error() == null) {
                checkAnswer(outcome, runs, problems);
            } else if (outcome.idempotent()) {
                problems.add("an idempotent call failed while two workers at least ran: " + outcome.describe());
            } else {
                checkFailure(outcome, lost, problems);
            }
        }
        runs.forEach((run, ranOn) -> {
            if (run.startsWith("once ") && ranOn.size() > 1) {
                problems.add("a call that is not idempotent ran more than once: " + run + " on " + ranOn);
            }
        });
        return problems;
    }

    /** An answer carries its own call's id; a call that is not idempotent ran once, on the worker that answered. */
    private static void checkAnswer(Outcome outcome, Map<String, List<String>> runs, List<String> problems) {
        var response = outcome.result().response();
        if (response.statusCode() != 200 || !outcome.id().equals(response.payload().getString("id", null))) {
            problems.add("answered with another call's answer or an error: " + outcome.describe());
        } else if (!outcome.idempotent()) {
            List<String> ranOn = runs.getOrDefault("once " + outcome.id(), List.of());
            if (!ranOn.equals(List.of(outcome.worker().orElseThrow()))) {
                problems.add("answered, but ran on " + ranOn + ": " + outcome.describe());
            }
        }
    }

    /**
     * A call that is not idempotent fails only because its worker was lost (a worker that drains finishes its
     * calls), or, if the machine held everything up, because its deadline passed; the message says which.
     */
    private static void checkFailure(Outcome outcome, Set<String> lost, List<String> problems) {
        String message = String.valueOf(outcome.error().getMessage());
        boolean namesTheCall = message.contains("/chaos/once") && message.contains("'" + SERVICE + "'");
        if (outcome.error() instanceof ServiceUnavailableException) {
            boolean byALostWorker = message.contains("became unavailable")
                    && lost.stream().anyMatch(name -> message.startsWith("Worker " + name + " "));
            if (!namesTheCall || !byALostWorker) {
                problems.add("failed, but not because a lost worker had it: " + outcome.describe());
            }
        } else if (!(outcome.error() instanceof ServiceTimeoutException && namesTheCall
                && message.contains("passed its deadline"))) {
            problems.add("failed unclearly: " + outcome.describe());
        }
    }

    /** The idempotent calls that started on more than one worker. */
    private static List<String> resentIdempotentCalls(ChaosWorkers workers) {
        return workers.runs().entrySet().stream()
                .filter(run -> run.getKey().startsWith("idempotent ") && run.getValue().size() > 1)
                .map(Map.Entry::getKey).toList();
    }

    /** Waits until exactly these workers are connected, none of them leaving. */
    private static void awaitConnected(ServiceClientEndpoint client, Deque<Worker> running) {
        Set<String> expected = Set.copyOf(names(running));
        Await.until(JOIN_LIMIT, "workers " + expected + " to be connected", () -> {
            List<ClientStatus.WorkerStatus> connected = client.status().toCompletableFuture().join().workers();
            Set<String> labels = connected.stream().map(ClientStatus.WorkerStatus::label).collect(Collectors.toSet());
            return labels.equals(expected) && connected.stream().noneMatch(ClientStatus.WorkerStatus::leaving);
        }, () -> "; connected: " + client.status().toCompletableFuture().join().workers());
    }

    private static List<String> names(Deque<Worker> workers) {
        return workers.stream().map(Worker::name).toList();
    }
}
