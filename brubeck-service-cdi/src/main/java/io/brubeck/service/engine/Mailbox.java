package io.brubeck.service.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands items from any thread to a socket thread and wakes that thread's poll loop. The wake-up is a
 * byte on a pipe the loop polls next to its sockets; posts that come while a wake-up is already
 * pending share it, so a busy loop costs one system call per batch rather than per item.
 */
final class Mailbox<T> implements AutoCloseable {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ByteBuffer drain = ByteBuffer.allocate(64);
    private final Pipe pipe;

    Mailbox() {
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the wake-up pipe of a socket thread", e);
        }
    }

    /** The channel the owning loop polls for readability. */
    SelectableChannel wakeupChannel() {
        return pipe.source();
    }

    /** Queues an item and wakes the loop. Any thread. */
    void post(T item) {
        items.add(item);
        if (wakeupPending.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException closed) {
                // The loop has stopped; it drains what is left when it closes.
            }
        }
    }

    /**
     * Re-arms the wake-up. The owning loop calls this before it takes items, so that an item posted
     * after the last {@link #take()} always causes a new wake-up.
     */
    void rearm() {
        // Drain first, then clear: clearing first could let us swallow the byte of a post whose
        // flag is still set, and later posts would then never write another.
        try {
            while (pipe.source().read(drain.clear()) > 0) {
                // discard wake-up bytes
            }
        } catch (IOException closed) {
            // nothing to drain
        }
        wakeupPending.set(false);
    }

    /** The next item, or {@code null}. Owning loop only. */
    T take() {
        return items.poll();
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
            pipe.source().close();
        } catch (IOException ignored) {
            // closing a pipe we own; nothing useful to do
        }
    }
}
