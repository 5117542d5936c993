package io.brubeck.service.wire;

/** A message that cannot be accepted: the peer is not speaking this protocol, or not with our secret. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The broad reason. */
    public enum Kind {
        /** Not a message of this protocol (no {@code BRB} prefix), or of another version of it. */
        UNSUPPORTED_VERSION,
        /** The message authentication code does not match: wrong secret or altered frames. */
        BAD_SIGNATURE,
        /** Not shaped as its command requires (found before or after the signature is checked). */
        MALFORMED
    }

    private final Kind kind;

    /** An exception of the given kind, with a message that says what was wrong. */
    public MalformedMessageException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** What kind of problem the message had. */
    public Kind kind() {
        return kind;
    }
}
