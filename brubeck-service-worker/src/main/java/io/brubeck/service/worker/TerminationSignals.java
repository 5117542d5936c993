package io.brubeck.service.worker;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that the program finishes itself, so that it can exit
 * with status 0 after the requests in flight are done. A JVM left to its default handling would run
 * the shutdown hooks and then exit with 143 (or 130). Installed first thing in {@code main}: a signal
 * that comes before gets the JVM's default handling.
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which every current JDK has.
 * Where it is missing, the program falls back to its shutdown hook: it still finishes its work, but the
 * exit status is the JVM's. Where a signal is reserved ({@code -Xrs}), the JVM runs no shutdown hook
 * either, and that signal ends it at once, without draining.
 */
final class TerminationSignals {
    private static final System.Logger LOG = System.getLogger(TerminationSignals.class.getName());
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private TerminationSignals() {
    }

    /**
     * Routes the termination signals to the given action, called with a reason such as {@code "SIGTERM"}.
     * Logs nothing, as it runs before logging is set up.
     *
     * @return why each signal that could not be routed was not, for {@link #warnAbout(List)}
     */
    static List<String> install(Consumer<String> onSignal) {
        List<String> unhandled = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                // javac warns of sun.misc.Signal whatever the options or annotations; the JDK has no public signal API
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onSignal.accept("SIG" + signal.getName()));
            } catch (IllegalArgumentException | LinkageError e) {
                unhandled.add("SIG" + name + " (" + e + ")");
            }
        }
        return unhandled;
    }

    /** Warns that the given signals end the program without letting it finish the requests in flight. */
    static void warnAbout(List<String> unhandled) {
        if (!unhandled.isEmpty()) {
            LOG.log(Level.WARNING, "The JVM keeps " + String.join(", ", unhandled) + " to itself: such a signal ends "
                    + "the worker at once, without letting the requests in flight finish");
        }
    }
}
