package io.brubeck.service.engine;

/** The client's view of one worker connection: its slots, its load and when it was last heard. */
final class ConnectedWorker {
    final byte[] identity;
    /** The worker's nonce of this connection's session, from its READY. */
    final long workerNonce;
    /** Our nonce of the session, drawn when we took the READY. */
    final long nonce;
    /** Our HEARTBEAT in this session, the same at every tick: signed once. */
    byte[][] heartbeatFrames;
    /** The worker's label as a log line may show it: it is for logs and status pages, and up to maxWorkers are kept. */
    final String label;
    final int capacity;
    final int maxMessageSize;
    final int liveness;

    long silenceLimitNanos;
    /**
     * How long it may stay joining, counted from its READY: a limit of the client's, since a worker answers
     * our first HEARTBEAT at once, whatever interval the READY (perhaps a recording) announced.
     */
    final long joinLimitNanos;
    /** Slots in use: calls sent and not yet answered, including those whose caller gave up. */
    int inFlight;
    /** Calls sent whose caller still waits. */
    int activeCalls;
    long lastHeardNanos;
    long lastDispatchSequence;
    /** The worker said it is leaving: send it no new calls, but accept the replies it still owes. */
    boolean leaving;
    /**
     * The worker has not yet shown that it knows our nonce, so its READY may be a recording: it gets no
     * calls, and nothing but a message naming our nonce counts as a sign of life.
     */
    boolean joining = true;
    /** It took the place of an earlier session on the same connection (logged less). */
    boolean reannounced;

    ConnectedWorker(byte[] identity, long workerNonce, long nonce, String label, int capacity, int maxMessageSize,
                    int liveness, int heartbeatMillis, long joinLimitNanos, long nowNanos) {
        this.identity = identity;
        this.workerNonce = workerNonce;
        this.nonce = nonce;
        this.label = PeerText.forLog(label);
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.liveness = liveness;
        this.joinLimitNanos = joinLimitNanos;
        this.lastHeardNanos = nowNanos;
        heartbeatEvery(heartbeatMillis);
    }

    /** Records the worker's announced heartbeat interval; it may stay silent for {@code liveness} of them. */
    void heartbeatEvery(int heartbeatMillis) {
        silenceLimitNanos = heartbeatMillis * 1_000_000L * liveness;
    }

    int freeSlots() {
        return leaving || joining ? 0 : capacity - inFlight;
    }

    boolean isSilentAt(long nowNanos) {
        return nowNanos - lastHeardNanos > (joining ? joinLimitNanos : silenceLimitNanos);
    }

    /** Whether this worker is less loaded than {@code other}, comparing the share of slots in use. */
    boolean lessLoadedThan(ConnectedWorker other) {
        long mine = (long) inFlight * other.capacity;
        long theirs = (long) other.inFlight * capacity;
        return mine < theirs || (mine == theirs && lastDispatchSequence < other.lastDispatchSequence);
    }
}
