package io.brubeck.service.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands items from any thread to a socket thread and wakes that thread when it sleeps. The wake-up is
 * a byte on a pipe the loop's selector watches; it is written only while the loop sleeps, and once
 * per sleep, so a busy loop costs its posters no system call at all.
 */
final class Mailbox<T> implements AutoCloseable {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    /** False only while the loop sleeps, or is about to, and no post has woken it yet. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
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

    /** The channel the owning loop's selector watches for readability. */
    SelectableChannel wakeupChannel() {
        return pipe.source();
    }

    /** Queues an item and wakes the loop if it sleeps. Any thread. */
    void post(T item) {
        items.add(item);
        if (!awake.get() && awake.compareAndSet(false, true)) {
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException closed) {
                // The loop has stopped; it drains what is left when it closes.
            }
        }
    }

    /** Whether items are waiting. */
    boolean hasItems() {
        return !items.isEmpty();
    }

    /**
     * Called by the owning loop just before it blocks. Returns false, and leaves the loop awake, when
     * an item is already waiting; otherwise later posts write a wake-up byte.
     */
    boolean prepareToSleep() {
        awake.set(false);
        // A post that saw `awake` still true did not write; its item is visible here.
        if (!items.isEmpty()) {
            awake.set(true);
            return false;
        }
        return true;
    }

    /** Called by the owning loop after it blocked: discards wake-up bytes; posts stop writing. */
    void awake() {
        try {
            while (pipe.source().read(drain.clear()) > 0) {
                // discard wake-up bytes
            }
        } catch (IOException closed) {
            // nothing to drain
        }
        awake.set(true);
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
