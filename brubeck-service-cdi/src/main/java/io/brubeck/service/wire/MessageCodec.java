package io.brubeck.service.wire;

import static io.brubeck.service.wire.MalformedMessageException.Kind.BAD_SIGNATURE;
import static io.brubeck.service.wire.MalformedMessageException.Kind.MALFORMED;
import static io.brubeck.service.wire.MalformedMessageException.Kind.UNSUPPORTED_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;

/**
 * Turns {@link WireMessage}s into signed frames and back, as {@code docs/PROTOCOL.md} specifies.
 *
 * <p>Frame 0 of every message starts with the signature {@code "BRB"}, the version byte and the
 * command byte, followed by the command's fixed-size fields in network byte order. Variable fields
 * follow one per frame, and the last frame is the HMAC-SHA256 of all frames before it.
 * Thread-safe.
 */
public final class MessageCodec {

    /** The protocol version this codec speaks. */
    public static final byte VERSION = 1;

    /** The most frames any message has; a peer reading frames may stop keeping them past this. */
    public static final int MAX_FRAMES = 7;

    /** The shortest and longest heartbeat interval a peer may announce, in milliseconds. */
    public static final int MIN_HEARTBEAT_MILLIS = 1;
    public static final int MAX_HEARTBEAT_MILLIS = 600_000;

    /** The smallest maximum message size a worker may announce. */
    public static final int MIN_MESSAGE_SIZE = 1024;

    private static final int PREFIX_LENGTH = 5;
    /** Frames per command, indexed by command code; 0 for unused codes. */
    private static final int[] FRAME_COUNTS = {0, 4, 7, 7, 2, 2, 2};
    /** Bytes of fixed fields after the 5-byte prefix in frame 0, indexed by command code. */
    private static final int[] FIXED_LENGTHS = {0, 12, 20, 26, 4, 0, 8};
    private static final byte[] EMPTY = new byte[0];

    private final MessageAuthenticator authenticator;

    public MessageCodec(MessageAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The frames of a message, its signature in the last one. */
    public byte[][] encode(WireMessage message) {
        byte[][] frames;
        if (message instanceof WireMessage.Request request) {
            frames = new byte[][] {
                head(Command.REQUEST, 20).putLong(request.correlationId()).putInt(request.ttlMillis())
                        .putLong(request.requestTime()).array(),
                request.method(), request.path(), request.headers(), request.arguments(), request.body(),
                null};
        } else if (message instanceof WireMessage.Reply reply) {
            frames = new byte[][] {
                head(Command.REPLY, 26).putLong(reply.correlationId()).putShort((short) reply.statusCode())
                        .putLong(reply.startTime()).putLong(reply.endTime()).array(),
                reply.statusMessage(), reply.method(), reply.headers(), reply.payload(), reply.body(),
                null};
        } else if (message instanceof WireMessage.Heartbeat heartbeat) {
            frames = new byte[][] {head(Command.HEARTBEAT, 4).putInt(heartbeat.intervalMillis()).array(), null};
        } else if (message instanceof WireMessage.Refuse refuse) {
            frames = new byte[][] {head(Command.REFUSE, 8).putLong(refuse.correlationId()).array(), null};
        } else if (message instanceof WireMessage.Ready ready) {
            frames = new byte[][] {
                head(Command.READY, 12).putInt(ready.capacity()).putInt(ready.heartbeatMillis())
                        .putInt(ready.maxMessageSize()).array(),
                ready.serviceName().getBytes(UTF_8),
                ready.label().getBytes(UTF_8),
                null};
        } else {
            frames = new byte[][] {head(Command.DISCONNECT, 0).array(), null};
        }
        int last = frames.length - 1;
        frames[last] = authenticator.sign(frames, last);
        return frames;
    }

    /**
     * Checks and decodes the first {@code count} frames of {@code frames}.
     *
     * @throws MalformedMessageException when the frames are not a message of this protocol version
     *                                   signed with our secret
     */
    public WireMessage decode(byte[][] frames, int count) throws MalformedMessageException {
        if (count < 2 || !hasSignature(frames[0])) {
            throw new MalformedMessageException(UNSUPPORTED_VERSION, "not a brubeck-service message");
        }
        if (frames[0][3] != VERSION) {
            throw new MalformedMessageException(UNSUPPORTED_VERSION,
                    "protocol version " + (frames[0][3] & 0xFF) + " (this peer speaks " + VERSION + ")");
        }
        Command command = Command.fromCode(frames[0][4]);
        if (command == null) {
            throw new MalformedMessageException(MALFORMED, "unknown command " + (frames[0][4] & 0xFF));
        }
        // The shape is checked before the signature: it is cheaper, and reveals nothing.
        ByteBuffer fixed = expectShape(command, frames, count);
        if (!authenticator.verify(frames, count - 1, frames[count - 1])) {
            throw new MalformedMessageException(BAD_SIGNATURE, "signature does not match (wrong passphrase?)");
        }
        return switch (command) {
            case READY -> decodeReady(fixed, frames);
            case REQUEST -> decodeRequest(fixed, frames);
            case REPLY -> decodeReply(fixed, frames);
            case HEARTBEAT -> new WireMessage.Heartbeat(heartbeatInterval("HEARTBEAT", fixed.getInt()));
            case DISCONNECT -> WireMessage.Disconnect.INSTANCE;
            case REFUSE -> new WireMessage.Refuse(fixed.getLong());
        };
    }

    private static WireMessage decodeReady(ByteBuffer fixed, byte[][] frames) throws MalformedMessageException {
        int capacity = fixed.getInt();
        int heartbeat = heartbeatInterval("READY", fixed.getInt());
        int maxMessageSize = fixed.getInt();
        if (capacity < 1) {
            throw new MalformedMessageException(MALFORMED, "READY capacity must be at least 1, was " + capacity);
        }
        if (maxMessageSize < MIN_MESSAGE_SIZE) {
            throw new MalformedMessageException(MALFORMED, "READY maximum message size must be at least "
                    + MIN_MESSAGE_SIZE + ", was " + maxMessageSize);
        }
        return new WireMessage.Ready(capacity, heartbeat, maxMessageSize, new String(frames[1], UTF_8),
                new String(frames[2], UTF_8));
    }

    private static WireMessage decodeRequest(ByteBuffer fixed, byte[][] frames) throws MalformedMessageException {
        long id = fixed.getLong();
        int ttl = fixed.getInt();
        long requestTime = fixed.getLong();
        if (ttl < 0) {
            throw new MalformedMessageException(MALFORMED, "REQUEST time to live out of range");
        }
        return new WireMessage.Request(id, ttl, requestTime, frames[1], frames[2], frames[3], frames[4], frames[5]);
    }

    private static WireMessage decodeReply(ByteBuffer fixed, byte[][] frames) throws MalformedMessageException {
        long id = fixed.getLong();
        int status = Short.toUnsignedInt(fixed.getShort());
        long start = fixed.getLong();
        long end = fixed.getLong();
        if (status < 100 || status > 599) {
            throw new MalformedMessageException(MALFORMED, "REPLY status " + status + " is not between 100 and 599");
        }
        return new WireMessage.Reply(id, status, start, end, frames[1], frames[2], frames[3], frames[4], frames[5]);
    }

    private static ByteBuffer expectShape(Command command, byte[][] frames, int count)
            throws MalformedMessageException {
        int frameCount = FRAME_COUNTS[command.code()];
        int fixedLength = FIXED_LENGTHS[command.code()];
        if (count != frameCount) {
            throw new MalformedMessageException(MALFORMED,
                    command + " must have " + frameCount + " frames, had " + count);
        }
        if (frames[0].length != PREFIX_LENGTH + fixedLength) {
            throw new MalformedMessageException(MALFORMED,
                    command + " frame 0 must be " + (PREFIX_LENGTH + fixedLength) + " bytes, was " + frames[0].length);
        }
        return ByteBuffer.wrap(frames[0], PREFIX_LENGTH, fixedLength);
    }

    private static int heartbeatInterval(String where, int millis) throws MalformedMessageException {
        if (millis < MIN_HEARTBEAT_MILLIS || millis > MAX_HEARTBEAT_MILLIS) {
            throw new MalformedMessageException(MALFORMED, where + " heartbeat interval must be between "
                    + MIN_HEARTBEAT_MILLIS + " and " + MAX_HEARTBEAT_MILLIS + " ms, was " + millis);
        }
        return millis;
    }

    private static boolean hasSignature(byte[] first) {
        return first.length >= PREFIX_LENGTH && first[0] == 'B' && first[1] == 'R' && first[2] == 'B';
    }

    private static ByteBuffer head(Command command, int fixedLength) {
        return ByteBuffer.allocate(PREFIX_LENGTH + fixedLength)
                .put((byte) 'B').put((byte) 'R').put((byte) 'B').put(VERSION).put(command.code());
    }

    /** An empty frame, shared. */
    public static byte[] empty() {
        return EMPTY;
    }
}
