package io.brubeck.service.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.ZContext;

/**
 * Creates the ZeroMQ contexts the library owns: one I/O thread, threads named {@code brubeck-zmq-…}
 * (daemons, like JeroMQ's own), and the failures JeroMQ's threads report, or die of, written to the
 * library's log rather than as stack traces on standard error. When one of its threads dies (of an
 * {@link Error}), the clients and workers on the context stop, failing their calls, and closing the context
 * returns rather than wait for that thread. A context made here may also be shared with
 * {@link ServiceClientEndpoint#start(ClientConfig, ZContext)} and {@link ServiceWorker#start(WorkerConfig, ZContext)}.
 */
public final class ZeroMqContexts {
    private static final Logger LOG = System.getLogger(ZeroMqContexts.class.getName());

    private ZeroMqContexts() {
    }

    /** A new context; the caller closes it. */
    public static ZContext create() {
        WatchedContext context = new WatchedContext();
        AtomicInteger threads = new AtomicInteger();
        context.setThreadFactor((task, name) -> {
            Thread thread = new Thread(task, "brubeck-zmq-" + name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, failure) -> {
                LOG.log(Level.ERROR, "ZeroMQ thread " + dead.getName() + " stopped: every connection of its context is"
                        + " lost, and the clients and workers on it stop", failure);
                context.died(dead, failure);
            });
            context.started(task);
            return thread;
        });
        context.setNotificationExceptionHandler(ZeroMqContexts::report);
        return context;
    }

    /**
     * Logs a failure an I/O thread reported; the thread carries on. While a context closes, an I/O
     * thread may still signal a socket that is already gone, which JeroMQ reports as a closed channel:
     * that one is harmless and logged only for debugging.
     */
    static void report(Thread thread, Throwable failure) {
        boolean closing = Causes.find(failure, ClosedChannelException.class).isPresent();
        String name = thread == null ? "?" : thread.getName();
        if (closing) {
            LOG.log(Level.DEBUG, () -> "ZeroMQ thread " + name + " signalled a closed socket while closing: " + failure);
        } else {
            LOG.log(Level.WARNING, "ZeroMQ thread " + name + " reported a failure and carries on", failure);
        }
    }
}
