package io.brubeck.service.engine;

/** The client's view of one worker connection: its slots, its load and when it was last heard. */
final class ConnectedWorker {
    final byte[] identity;
    final String label;
    final int capacity;
    final long silenceLimitNanos;

    int inFlight;
    long lastHeardNanos;
    long lastDispatchSequence;
    /** The worker said it is leaving: send it nothing more, but accept the replies it still owes. */
    boolean leaving;

    ConnectedWorker(byte[] identity, String label, int capacity, long silenceLimitNanos, long nowNanos) {
        this.identity = identity;
        this.label = label;
        this.capacity = capacity;
        this.silenceLimitNanos = silenceLimitNanos;
        this.lastHeardNanos = nowNanos;
    }

    int freeSlots() {
        return leaving ? 0 : capacity - inFlight;
    }

    boolean isSilentAt(long nowNanos) {
        return nowNanos - lastHeardNanos > silenceLimitNanos;
    }

    /** Whether this worker is less loaded than {@code other}, comparing the share of slots in use. */
    boolean lessLoadedThan(ConnectedWorker other) {
        long mine = (long) inFlight * other.capacity;
        long theirs = (long) other.inFlight * capacity;
        return mine < theirs || (mine == theirs && lastDispatchSequence < other.lastDispatchSequence);
    }
}
