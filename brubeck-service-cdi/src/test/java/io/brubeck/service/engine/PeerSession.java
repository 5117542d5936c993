package io.brubeck.service.engine;

import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;

/**
 * One end of a connection's session, for protocol-level test peers: draws its own nonce, learns the
 * other end's from the first message to it that carries one (the client's first HEARTBEAT), or from each
 * READY, which starts a new session as it does at a client; and signs what it sends in the session. It checks nothing about what it receives beyond the codec's own
 * checks, so that tests can see what the real peer sends; {@link #isOurs} tells whether a message names
 * this session.
 */
final class PeerSession {
    private final MessageCodec codec;
    private long own;
    private long peer;

    PeerSession(MessageCodec codec) {
        this.codec = codec;
        this.own = SessionNonces.draw();
    }

    /** Our nonce. */
    long own() {
        return own;
    }

    /** The other end's nonce; 0 until a message carried it. */
    long peer() {
        return peer;
    }

    /** Forgets the other end and draws a new nonce of our own, as a new connection does. */
    void restart() {
        own = SessionNonces.draw();
        peer = 0;
    }

    /** A message in this session: from us, to the other end as far as we know it. */
    byte[][] encode(WireMessage message) {
        return codec.encode(message, own, peer);
    }

    /** A message with nonces of the caller's choosing, for tests of messages of other sessions. */
    byte[][] encode(WireMessage message, long sender, long receiver) {
        return codec.encode(message, sender, receiver);
    }

    /**
     * Decodes a message and learns the other end's nonce from it: from a READY, with a new nonce of our
     * own, as a client starts a session; else from the first message to us that carries one.
     */
    WireMessage decode(byte[][] frames, int count) throws MalformedMessageException {
        WireMessage message = codec.decode(frames, count);
        long sender = MessageCodec.senderNonce(frames[0]);
        if (message instanceof WireMessage.Ready) {
            own = SessionNonces.draw();
            peer = sender;
        } else if (peer == 0 && sender != 0 && MessageCodec.receiverNonce(frames[0]) == own) {
            peer = sender;
        }
        return message;
    }

    /** Whether a decoded message's header names this session, from the other end to us. */
    boolean isOurs(byte[] header) {
        return MessageCodec.senderNonce(header) == peer && MessageCodec.receiverNonce(header) == own;
    }

    /**
     * Whether a decoded message is for this session: it names it, or it is the DISCONNECT by which a
     * client that does not know the connection names our nonce only.
     */
    boolean isForUs(WireMessage message, byte[] header) {
        return isOurs(header) || message instanceof WireMessage.Disconnect && MessageCodec.senderNonce(header) == 0
                && MessageCodec.receiverNonce(header) == own;
    }
}
