package io.brubeck.service.engine;

import org.zeromq.ZMQ;

/**
 * A worker's connection to one client endpoint. Each reconnect makes a new socket and a new
 * generation; replies made for an older generation are dropped, since that client session is gone.
 */
final class ClientLink {
    final int index;
    final String endpoint;

    /** {@code null} while a reconnect waits for the client's host name to be looked up, or to resolve again. */
    ZMQ.Socket socket;
    /** A lookup of the client's host name is under way, on a thread of its own. */
    boolean lookingUp;
    /** When the lookup under way started. */
    long lookupStartedNanos;
    /** The lookup under way has been reported as slow. */
    boolean slowLookupReported;
    /** Written by the socket thread only; read by handler threads to skip work for a replaced connection. */
    volatile int generation;
    /** This connection's nonce of the session, drawn anew for each connection (each generation). */
    long nonce;
    /** The client's nonce of the session, from its first message to us on this connection; 0 until then. */
    long clientNonce;
    long lastHeardNanos;
    long silenceLimitNanos;
    /** The client has answered this generation's READY, so a DISCONNECT from it means "announce yourself again". */
    boolean registered;
    /** An authenticated message has come on this generation's connection. */
    boolean heardFromClient;
    /**
     * Why the last reconnect before joining was logged at INFO since the client last registered this
     * worker, or null: the ones after it for the same reason, one every silence limit while the client
     * stays away or refuses it, go to DEBUG; a reason that changes is logged at INFO again.
     */
    NotJoined notJoinedReported;

    /** Why a connection was given up before the client took the worker. */
    enum NotJoined {
        /** Nothing authentic came on it. */
        UNANSWERED,
        /** The client answered only that it does not know the worker. */
        REFUSED
    }
    /**
     * Draining: the client has not yet answered our goodbye, so a REQUEST it sent before reading it
     * may still be on its way, to be refused rather than lost; or, after the last replies, that it
     * has not yet confirmed reading them.
     */
    boolean goodbyeUnanswered;
    /** Requests of this generation running or queued on the pool; at most the announced capacity. */
    int inFlight;
    /** Attempts to connect again that failed in a row, while {@link #socket} is {@code null}. */
    int failedConnects;
    /** When the next attempt to connect again is due. */
    long nextConnectNanos;

    ClientLink(int index, String endpoint) {
        this.index = index;
        this.endpoint = endpoint;
    }

    /** Whether the link has no connection and waits for its next attempt to make one (not for a lookup). */
    boolean awaitsConnectAttempt() {
        return socket == null && !lookingUp;
    }

    boolean isSilentAt(long nowNanos) {
        return nowNanos - lastHeardNanos > silenceLimitNanos;
    }
}
