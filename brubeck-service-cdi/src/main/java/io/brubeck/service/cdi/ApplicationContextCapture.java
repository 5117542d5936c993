package io.brubeck.service.cdi;

import jakarta.enterprise.concurrent.ContextService;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Captures, in a Jakarta EE server, the context of the thread that starts the application: its naming context
 * ({@code java:comp}), class loader and whatever else the server's default {@link ContextService} propagates.
 * The library's own threads do not carry it, and some servers (WildFly) keep it on their own threads only, so the
 * runtime runs request handlers, response routes and the stages of {@code sendAsync()} through the executor this
 * returns. Uses Jakarta Concurrency's API: call it only once {@link OptionalApis} has found that API.
 */
final class ApplicationContextCapture {
    /** Where every Jakarta EE 10 server provides its default context service. */
    static final String CONTEXT_SERVICE = "java:comp/DefaultContextService";
    private static final System.Logger LOG = System.getLogger(ApplicationContextCapture.class.getName());

    private ApplicationContextCapture() {
    }

    /**
     * An executor that runs each task in place, on the thread that calls it, inside the context of the thread
     * calling this method now; empty where JNDI has no context service (Weld SE, Quarkus).
     */
    static Optional<Executor> currentContextExecutor() {
        Object found;
        try {
            InitialContext naming = new InitialContext();
            try {
                found = naming.lookup(CONTEXT_SERVICE);
            } finally {
                naming.close();
            }
        } catch (NamingException | RuntimeException notInAServer) {
            return Optional.empty();
        }
        if (!(found instanceof ContextService contextService)) {
            // A WAR that bundles its own copy of the Concurrency API sees the server's under another class loader.
            LOG.log(Level.INFO, CONTEXT_SERVICE + " is a " + found.getClass().getName() + ", not a ContextService "
                    + "of this application's class loader; handlers and callbacks run on the library's threads "
                    + "without the application's context");
            return Optional.empty();
        }
        try {
            return Optional.of(contextService.currentContextExecutor());
        } catch (RuntimeException | LinkageError e) { // a server of Jakarta Concurrency 2 lacks the method
            LOG.log(Level.WARNING, "The application's context could not be captured from " + CONTEXT_SERVICE + " (" + e
                    + "); handlers and callbacks run on the library's threads without it");
            return Optional.empty();
        }
    }
}
