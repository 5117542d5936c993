package io.brubeck.service.worker;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that the program finishes itself, so that it can exit
 * with status 0 after the requests in flight are done. A JVM left to its default handling would run
 * the shutdown hooks and then exit with 143 (or 130).
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which every current JDK has.
 * Where it is missing, or a signal is reserved (for example with {@code -Xrs}), the program falls back
 * to its shutdown hook: it still finishes its work, but the exit status is the JVM's.
 */
final class TerminationSignals {
    private static final System.Logger LOG = System.getLogger(TerminationSignals.class.getName());
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private TerminationSignals() {
    }

    /**
     * Routes the termination signals to the given action, called with a reason such as {@code "SIGTERM"}.
     *
     * @return the signals that are handled
     */
    static List<String> install(Consumer<String> onSignal) {
        List<String> handled = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                // javac warns of sun.misc.Signal whatever the options or annotations; the JDK has no public signal API
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.accept("SIG" + signal.getName()));
                handled.add("SIG" + name);
            } catch (IllegalArgumentException | LinkageError e) {
                LOG.log(Level.DEBUG, "SIG" + name + " is left to the JVM: " + e);
            }
        }
        return handled;
    }
}
