package io.brubeck.service.engine;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import zmq.Msg;

/**
 * Bounds the memory that ZeroMQ's I/O threads hold, over the whole process, in frames of more than
 * {@link #SMALL_FRAME} bytes: frames being read and frames read but not yet taken by the socket's owner.
 * JeroMQ allocates a frame's whole size as soon as it has read the frame's header, before the HMAC of the
 * message or even the CURVE handshake, so without this bound a peer that sends only the 9-byte headers of
 * large frames, on a few connections it keeps open, makes the I/O thread fail to allocate: it dies of the
 * {@link OutOfMemoryError}, and every connection of its context with it.
 *
 * <p>A frame the budget has no room for is given no bytes: JeroMQ then reads it as an empty frame and the
 * bytes that follow as further frames, so the message fails validation and is dropped as any malformed
 * message is (PROTOCOL §6). A frame's bytes return to the budget when its socket's owner takes it, or,
 * for a frame JeroMQ dropped unread (its connection closed, or CURVE decrypted it into a new frame), once
 * the garbage collector found it unreachable; the next allocation collects those. When the budget is
 * full, an allocation asks for a garbage collection first, so that frames of connections gone since the
 * last one do not hold the budget while the heap is idle: at most once a second, and, while that frees
 * nothing (peers keep their connections open), ever less often, down to once a minute.
 */
final class FrameBudget {
    /** Frames up to this size are not counted: one per connection is being read at most, each bounded by the receive high-water mark. */
    static final int SMALL_FRAME = 8192;
    /** The system property that sets the budget of the process, in bytes ({@code k}, {@code m}, {@code g} allowed). */
    static final String PROPERTY = "brubeck.frame-budget";
    /**
     * The budget of the process: {@value #PROPERTY} if set, else half the maximum heap, where the frames live. It
     * leaves the application half its heap whatever peers send, and holds as many large frames at once as the
     * application would otherwise hold without a bound: dozens of the default maximum message size (8 MiB) for a
     * heap of 1 GiB.
     */
    static final FrameBudget PROCESS = new FrameBudget(configuredLimit(System.getProperty(PROPERTY),
            Runtime.getRuntime().maxMemory() / 2));
    private static final long MIN_COLLECTION_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_COLLECTION_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How long an allocation waits, after a collection, for the frames it found to be enqueued. */
    private static final long ENQUEUE_WAIT_MILLIS = 100;

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    /**
     * Said where a frame is refused, on an I/O thread: the message it belonged to may never reach a receiver to be
     * logged, as when the bytes that follow, read as frame headers, make ZeroMQ close the connection.
     */
    private final RateLimitedLogger refusedLog = new RateLimitedLogger(System.getLogger(FrameBudget.class.getName()),
            10_000);
    private final ReferenceQueue<Msg> unreachable = new ReferenceQueue<>();
    /** Keeps every reservation reachable until it is released, as a phantom reference must be to be enqueued. */
    private final Set<Reservation> reservations = ConcurrentHashMap.newKeySet();
    private long nextCollectionNanos = System.nanoTime(); // guarded by this
    private long collectionPauseNanos = MIN_COLLECTION_PAUSE_NANOS; // guarded by this

    FrameBudget(long limit) {
        this.limit = limit;
    }

    /** The limit {@code property} sets, in bytes with an optional k, m or g; {@code otherwise} when unset or wrong. */
    static long configuredLimit(String property, long otherwise) {
        if (property == null || property.isBlank()) {
            return otherwise;
        }
        String text = property.strip().toLowerCase(Locale.ROOT);
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long value = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1));
            if (value > 0 && value <= Long.MAX_VALUE >> shift) {
                return value << shift;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.getLogger(FrameBudget.class.getName()).log(System.Logger.Level.WARNING, PROPERTY + "=" + property
                + " is not a number of bytes (as 512m or 2g); the frame budget is " + otherwise + " bytes");
        return otherwise;
    }

    /** A frame of {@code size} bytes on the heap, or an empty frame when the budget has no room for it. Any I/O thread. */
    Msg allocate(int size) {
        if (size <= SMALL_FRAME) {
            return new Msg(size);
        }
        releaseUnreachable();
        if (!tryReserve(size) && !(collectUnreachable() && tryReserve(size))) {
            refusedLog.log(System.Logger.Level.WARNING, "A frame of " + size + " bytes got none: " + fullness()
                    + ". Its message is lost (a connection ZeroMQ can no longer read may be closed with it)");
            return new Refused();
        }
        Frame frame = new Frame(size);
        Reservation reservation = new Reservation(frame, size);
        frame.reservation = reservation;
        reservations.add(reservation);
        return frame;
    }

    /**
     * Warns when the largest message {@code who} accepts is larger than the budget of the process: a frame that
     * large could never be received.
     */
    static void warnIfLargerThanBudget(String who, int maxMessageSize) {
        if (maxMessageSize > PROCESS.limit) {
            System.getLogger(FrameBudget.class.getName()).log(System.Logger.Level.WARNING, who + " accepts messages of "
                    + maxMessageSize + " bytes (maxMessageSize), more than the frame budget of this process, "
                    + PROCESS.limit + " bytes: a frame larger than that is never received. Give the JVM more heap "
                    + "(the budget is half of it) or set " + PROPERTY);
        }
    }

    /** What the budget is, for messages about a full one. */
    String fullness() {
        return "the frame budget was full (" + limit + " bytes for the library's frames in this JVM: half the maximum "
                + "heap unless " + PROPERTY + " says otherwise)";
    }

    /** The bytes reserved now. */
    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    private boolean tryReserve(long size) {
        long current;
        do {
            current = used.get();
            if (current + size > limit) {
                return false;
            }
        } while (!used.compareAndSet(current, current + size));
        return true;
    }

    private int releaseUnreachable() {
        int released = 0;
        Reference<? extends Msg> gone;
        while ((gone = unreachable.poll()) != null) {
            ((Reservation) gone).release();
            released++;
        }
        return released;
    }

    /** Has the garbage collector look for frames dropped unread, unless it did so lately; whether it found any. */
    private synchronized boolean collectUnreachable() {
        long now = System.nanoTime();
        if (now - nextCollectionNanos < 0 || reservations.isEmpty()) {
            return false;
        }
        System.gc();
        int released = 0;
        try {
            Reference<? extends Msg> first = unreachable.remove(ENQUEUE_WAIT_MILLIS);
            if (first != null) {
                ((Reservation) first).release();
                released = 1 + releaseUnreachable();
            }
        } catch (InterruptedException e) {
            // Not kept: on an I/O thread it would make every select return at once, and the thread spin.
        }
        collectionPauseNanos = released > 0 ? MIN_COLLECTION_PAUSE_NANOS
                : Math.min(2 * collectionPauseNanos, MAX_COLLECTION_PAUSE_NANOS);
        nextCollectionNanos = System.nanoTime() + collectionPauseNanos;
        return released > 0;
    }

    /** A frame the budget had no room for: empty, so that its message is dropped; {@link FrameIO} says why. */
    static final class Refused extends Msg {
    }

    /** A frame whose bytes are counted against the budget; {@link FrameIO} releases it when it takes it. */
    static final class Frame extends Msg {
        private Reservation reservation;

        private Frame(int size) {
            super(size);
        }

        /** Gives the frame's bytes back to the budget; its owner has taken them. Idempotent. */
        void release() {
            reservation.release();
        }
    }

    private final class Reservation extends PhantomReference<Msg> {
        private final long bytes;

        Reservation(Msg frame, long bytes) {
            super(frame, unreachable);
            this.bytes = bytes;
        }

        void release() {
            if (reservations.remove(this)) { // once, whether taken or collected first
                clear();
                used.addAndGet(-bytes);
            }
        }
    }
}
