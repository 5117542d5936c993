package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.ZMQ;
import zmq.pipe.Pipe;
import zmq.socket.reqrep.Router;

/**
 * Works around JeroMQ 0.6.0 keeping for good what a ROUTER's connection sends once the ROUTER has refused
 * it a routing id. A peer may choose its own routing id; a connection that presents one another connection
 * holds is refused it, and the ROUTER then reads nothing more from it, ever: what it sends stays in the
 * socket, up to the receive high-water mark of messages, each of frames of up to the maximum message size,
 * and stays there after the connection closes. Anyone who reaches the endpoint can open such connections,
 * one after another, without the passphrase.
 *
 * <p>{@link #drop()}, called on the socket's own thread, detaches each such connection from the socket,
 * which discards what it sent; ZeroMQ then reads no more than one frame from it, and forgets it when it
 * closes. The ROUTER keeps the connections it has given no routing id in a set of their own: a new one
 * while its handshake lasts, whose first message, when it comes, names it, and the refused ones. A refused
 * one is marked readable there, since the ROUTER read its first message and nothing since. So is one whose
 * handshake failed (another passphrase's CURVE keys, or none), but the ROUTER has read that one to the mark
 * of its end, which a refused one never reaches, and forgets it by itself: it is left alone.
 *
 * <p>It needs JeroMQ's private fields. Where they are not as expected (another JeroMQ, or its module not
 * opened to this library on the module path) it does nothing, and says so once.
 */
final class StrandedConnections {
    private static final System.Logger LOG = System.getLogger(StrandedConnections.class.getName());
    private static final Field UNNAMED_PIPES = field(Router.class, "anonymousPipes");
    private static final Field READABLE = field(Pipe.class, "inActive");
    private static final Field STATE = field(Pipe.class, "state");
    private static final AtomicBoolean UNAVAILABLE_REPORTED = new AtomicBoolean();

    /** The ROUTER's own set of the connections it has given no routing id; read on its thread only. */
    private final Set<Pipe> unnamed;
    /** Those dropped already, which stay in the set until the connection's side has agreed. */
    private final Set<Pipe> dropping = new HashSet<>();

    private StrandedConnections(Set<Pipe> unnamed) {
        this.unnamed = unnamed;
    }

    /** For a ROUTER socket; does nothing when JeroMQ's internals are not as expected. */
    @SuppressWarnings("unchecked")
    static StrandedConnections of(ZMQ.Socket router) {
        try {
            if (UNNAMED_PIPES != null && READABLE != null && STATE != null && router.base() instanceof Router) {
                return new StrandedConnections((Set<Pipe>) UNNAMED_PIPES.get(router.base()));
            }
        } catch (IllegalAccessException | ClassCastException e) {
            // reported below
        }
        if (UNAVAILABLE_REPORTED.compareAndSet(false, true)) {
            Module library = StrandedConnections.class.getModule();
            String opener = library.isNamed() ? library.getName() : "ALL-UNNAMED";
            LOG.log(Level.WARNING, "This JeroMQ keeps what a connection refused its routing id sends, which this "
                    + "library cannot let go of here; on the module path, add --add-opens org.zeromq.jeromq/"
                    + "zmq.socket.reqrep=" + opener + " --add-opens org.zeromq.jeromq/zmq.pipe=" + opener);
        }
        return new StrandedConnections(null);
    }

    /** Whether the socket holds connections without a routing id, so that {@link #drop()} is worth calling soon. */
    boolean any() {
        return unnamed != null && !unnamed.isEmpty();
    }

    /** Drops the connections the ROUTER has refused a routing id; returns how many. Only on the socket's thread. */
    int drop() {
        if (!any()) {
            return 0;
        }
        dropping.retainAll(unnamed);
        int dropped = 0;
        for (Pipe pipe : List.copyOf(unnamed)) {
            if (isReadable(pipe) && !endRead(pipe) && dropping.add(pipe)) {
                pipe.terminate(false); // the ROUTER forgets it once the connection's side has agreed
                dropped++;
            }
        }
        return dropped;
    }

    private static boolean isReadable(Pipe pipe) {
        try {
            return READABLE.getBoolean(pipe);
        } catch (IllegalAccessException e) {
            return false;
        }
    }

    /** Whether the ROUTER has read the mark that ends the pipe's connection; it then forgets the pipe by itself. */
    private static boolean endRead(Pipe pipe) {
        try {
            String state = ((Enum<?>) STATE.get(pipe)).name();
            return !state.equals("ACTIVE") && !state.equals("WAITING_FOR_DELIMITER");
        } catch (IllegalAccessException | ClassCastException e) {
            return true;
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "JeroMQ's " + type.getSimpleName() + " is not as expected: " + e);
            return null;
        }
    }
}
