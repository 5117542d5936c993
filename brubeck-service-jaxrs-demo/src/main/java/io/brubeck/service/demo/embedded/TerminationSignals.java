package io.brubeck.service.demo.embedded;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into a stop that the demo's main thread carries out itself, then
 * exits with the status the signal gives a JVM (143, 130, 129). Left to the JVM's default handling, the
 * demo would stop from a shutdown hook while the JVM's own hooks run: the one of java.util.logging
 * closes the log handlers then, and what the demo logs while it stops (a child worker killed, requests
 * answered 503) would be lost. Installed first thing in {@code main}: a signal that comes before gets
 * the JVM's default handling.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which every current JDK has.
 * Where it is missing, the demo still stops from its shutdown hook. A signal the JVM was started to
 * ignore (SIGHUP under {@code nohup}) stays ignored.
 */
final class TerminationSignals {
    private static final System.Logger LOG = System.getLogger(TerminationSignals.class.getName());
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");

    private final CountDownLatch received = new CountDownLatch(1);
    private final AtomicInteger first = new AtomicInteger();
    private final List<String> unhandled = new ArrayList<>();

    private TerminationSignals() {
    }

    /** Routes the termination signals here. Logs nothing, as it runs before logging is set up. */
    static TerminationSignals install() {
        TerminationSignals signals = new TerminationSignals();
        for (String name : SIGNALS) {
            try {
                // javac warns of sun.misc.Signal whatever the options or annotations; the JDK has no public signal API
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.receive(signal.getNumber()));
            } catch (IllegalArgumentException | LinkageError e) {
                signals.unhandled.add("SIG" + name + " (" + e + ")");
            }
        }
        return signals;
    }

    /** Warns that the signals that could not be routed end the demo from the JVM's shutdown. */
    void warnAboutUnhandled() {
        if (!unhandled.isEmpty()) {
            LOG.log(Level.WARNING, "The JVM keeps " + String.join(", ", unhandled) + " to itself: such a signal stops "
                    + "the demo from the JVM's shutdown, which may lose the lines it logs while it stops");
        }
    }

    /** Takes a signal; the first one decides the exit status. */
    void receive(int signalNumber) {
        first.compareAndSet(0, signalNumber);
        received.countDown();
    }

    /**
     * Waits for a signal and returns the exit status a JVM ended by it has: 128 plus its number, so 143 for
     * SIGTERM and 130 for SIGINT, as a shell reports it.
     */
    int awaitExitStatus() throws InterruptedException {
        received.await();
        return 128 + first.get();
    }
}
