package io.brubeck.service.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.ZMQ;

/**
 * Lets a socket loop wait for work: a message on one of its ZeroMQ sockets, an item in its
 * {@link Mailbox}, or a timeout. It blocks in one selector of its own over the sockets' and the
 * mailbox's descriptors, registered once, so a wait costs one system call. Owning loop only.
 */
final class SocketWaiter implements AutoCloseable {
    private static final long SPURIOUS_WAKEUP_PAUSE_NANOS = 50_000;
    private static final long MAX_WAIT_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Mailbox<?> mailbox;
    private final Selector selector;
    private final List<ZMQ.Socket> sockets = new ArrayList<>();

    SocketWaiter(Mailbox<?> mailbox) {
        this.mailbox = mailbox;
        try {
            selector = Selector.open();
            mailbox.wakeupChannel().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the selector of a socket thread", e);
        }
    }

    /** Starts waiting on a socket too. */
    void watch(ZMQ.Socket socket) {
        try {
            socket.getFD().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch a ZeroMQ socket", e);
        }
        sockets.add(socket);
    }

    /** Stops waiting on a socket; call it before closing the socket. */
    void unwatch(ZMQ.Socket socket) {
        SelectableChannel descriptor = socket.getFD(); // null once the socket's context closed it
        SelectionKey key = descriptor == null ? null : descriptor.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        sockets.remove(socket);
    }

    /** Returns when a socket or the mailbox may have work, or after about {@code timeoutNanos}. */
    void await(long timeoutNanos) {
        if (anyReadable() || !mailbox.prepareToSleep()) {
            return;
        }
        try {
            long nanos = Math.min(Math.max(0, timeoutNanos), MAX_WAIT_NANOS);
            long millis = TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
            int ready = millis == 0 ? selector.selectNow() : selector.select(millis);
            selector.selectedKeys().clear();
            if (ready > 0 && !mailbox.hasItems() && !anyReadable()) {
                // JeroMQ writes a socket's wake-up byte a moment before it counts the signal, so the
                // descriptor can be ready while the socket still looks empty. Selecting again at once
                // would spin and, on a small machine, keep from the CPU the very I/O thread that is
                // about to finish the signal.
                LockSupport.parkNanos(SPURIOUS_WAKEUP_PAUSE_NANOS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("A socket thread's selector failed", e);
        } catch (ClosedSelectorException e) {
            // closing; the loop notices on its next turn
        } finally {
            mailbox.awake();
        }
    }

    /**
     * Whether a socket has a message waiting. A socket's descriptor is edge-like: sending can swallow
     * the signal for messages that arrived meanwhile, so the socket itself is asked.
     */
    private boolean anyReadable() {
        for (int i = 0; i < sockets.size(); i++) {
            if ((sockets.get(i).getEvents() & ZMQ.Poller.POLLIN) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing a selector we own; nothing useful to do
        }
    }
}
