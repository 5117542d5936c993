package io.brubeck.service.wire;

/** A message that cannot be accepted: the peer is not speaking this protocol, or not with our secret. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The broad reason, used to group log lines. */
    public enum Kind {
        /** Not this protocol, or another version of it. */
        UNSUPPORTED_VERSION,
        /** The message authentication code does not match: wrong secret or altered frames. */
        BAD_SIGNATURE,
        /** Signed correctly but not shaped as the command requires. */
        MALFORMED
    }

    private final Kind kind;

    public MalformedMessageException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
