package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.zeromq.ZMQ;
import zmq.pipe.Pipe;
import zmq.socket.reqrep.Router;

/**
 * Works around JeroMQ 0.6.0 keeping for good what a ROUTER's connection sends once the ROUTER has refused
 * it a routing id. A peer may choose its own routing id; a connection that presents one another connection
 * holds is refused it, and the ROUTER then reads nothing more from it, ever: what it sends stays in the
 * socket, up to the receive high-water mark of messages of up to the maximum message size each, and stays
 * there after the connection closes. Anyone who reaches the endpoint can open such connections, one after
 * another, without the passphrase.
 *
 * <p>Called on the socket's own thread at each heartbeat, {@link #drop()} detaches from the socket each such
 * connection that has had a message waiting at two calls in a row, which discards its messages; ZeroMQ then
 * reads nothing more from it, and forgets it when it closes. (A new connection also has no routing id for
 * a moment, until its first message, which names it, is read; the ROUTER reads that message before the next
 * call.) It needs JeroMQ's private fields; where they are not as expected it does nothing.
 */
final class StrandedConnections {
    private static final System.Logger LOG = System.getLogger(StrandedConnections.class.getName());
    private static final Field UNNAMED_PIPES = unnamedPipesField();

    /** The ROUTER's own set of the connections it has given no routing id; read on its thread only. */
    private final Set<Pipe> unnamed;
    /** Those that had a message waiting at the last call. */
    private Set<Pipe> waitingBefore = new HashSet<>();

    private StrandedConnections(Set<Pipe> unnamed) {
        this.unnamed = unnamed;
    }

    /** For a ROUTER socket; does nothing when JeroMQ's internals are not as expected. */
    @SuppressWarnings("unchecked")
    static StrandedConnections of(ZMQ.Socket router) {
        Set<Pipe> unnamed = null;
        if (UNNAMED_PIPES != null && router.base() instanceof Router) {
            try {
                unnamed = (Set<Pipe>) UNNAMED_PIPES.get(router.base());
            } catch (IllegalAccessException | ClassCastException e) {
                LOG.log(Level.DEBUG, () -> "Connections refused a routing id are left as JeroMQ leaves them: " + e);
            }
        }
        return new StrandedConnections(unnamed);
    }

    /** Drops the connections stranded since the last call; returns how many. Only on the socket's thread. */
    int drop() {
        if (unnamed == null || unnamed.isEmpty() && waitingBefore.isEmpty()) {
            return 0;
        }
        Set<Pipe> waiting = new HashSet<>();
        List<Pipe> stranded = new ArrayList<>();
        for (Pipe pipe : List.copyOf(unnamed)) {
            // checkRead also lets go of a connection that has closed with nothing waiting
            if (pipe.checkRead()) {
                (waitingBefore.contains(pipe) ? stranded : waiting).add(pipe);
            }
        }
        for (Pipe pipe : stranded) {
            pipe.terminate(false); // the ROUTER forgets it once the connection's side has agreed
        }
        waitingBefore = waiting;
        return stranded.size();
    }

    private static Field unnamedPipesField() {
        try {
            Field field = Router.class.getDeclaredField("anonymousPipes");
            field.setAccessible(true);
            return Set.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "JeroMQ's ROUTER is not as expected: " + e);
            return null;
        }
    }
}
