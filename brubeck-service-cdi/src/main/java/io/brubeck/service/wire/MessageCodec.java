package io.brubeck.service.wire;

import static io.brubeck.service.wire.MalformedMessageException.Kind.BAD_SIGNATURE;
import static io.brubeck.service.wire.MalformedMessageException.Kind.MALFORMED;
import static io.brubeck.service.wire.MalformedMessageException.Kind.UNSUPPORTED_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns {@link WireMessage}s into signed frames and back, as {@code docs/PROTOCOL.md} specifies.
 *
 * <p>Every message has a header frame, then a body frame for REQUEST and REPLY, then a signature
 * frame. The header starts with {@code "BRB"}, the version byte, the command byte and the session's
 * two nonces (the sender's, then the receiver's), followed by the command's fixed-size fields and
 * then its variable fields, each a 4-byte length and the bytes, all in network byte order. The
 * signature is the HMAC-SHA256 of all frames before it, so it covers the session too. Few frames
 * keep ZeroMQ's per-frame work small; the body travels in a frame of its own, copied once when encoded.
 * Thread-safe.
 */
public final class MessageCodec {

    /** The protocol version this codec speaks. */
    public static final byte VERSION = 2;

    /** The most frames any message has; a peer reading frames may stop keeping them past this. */
    public static final int MAX_FRAMES = 3;

    /** The shortest and longest heartbeat interval a peer may announce, in milliseconds. */
    public static final int MIN_HEARTBEAT_MILLIS = 1;
    /** See {@link #MIN_HEARTBEAT_MILLIS}. */
    public static final int MAX_HEARTBEAT_MILLIS = 600_000;

    /** The smallest maximum message size a worker may announce. */
    public static final int MIN_MESSAGE_SIZE = 1024;

    /** Signature, version and command: what is read before anything else. */
    private static final int LEAD_LENGTH = 5;
    private static final int SENDER_NONCE_OFFSET = 5;
    private static final int RECEIVER_NONCE_OFFSET = 13;
    /** The lead and the two nonces; the command's fixed fields follow. */
    private static final int PREFIX_LENGTH = 21;
    /** Frames per command, indexed by command code; 0 for unused codes. */
    private static final int[] FRAME_COUNTS = {0, 2, 3, 3, 2, 2, 2};
    /** Bytes of fixed fields after the prefix in the header, indexed by command code. */
    private static final int[] FIXED_LENGTHS = {0, 12, 20, 26, 4, 0, 8};
    /** Variable fields after the fixed ones in the header, indexed by command code. */
    private static final int[] VARIABLE_FIELDS = {0, 2, 4, 4, 0, 0, 0};
    private static final byte[] EMPTY = new byte[0];

    private final MessageAuthenticator authenticator;

    /** A codec that signs what it encodes, and checks what it decodes, with the given authenticator. */
    public MessageCodec(MessageAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * The frames of a message, its signature in the last one.
     *
     * @param senderNonce   the sending side's nonce of the connection's session
     * @param receiverNonce the receiving side's nonce, or 0 while the sender does not know it yet
     */
    public byte[][] encode(WireMessage message, long senderNonce, long receiverNonce) {
        byte[][] frames;
        if (message instanceof WireMessage.Request request) {
            ByteBuffer header = header(Command.REQUEST, senderNonce, receiverNonce, request.method(), request.path(), request.headers(),
                    request.arguments());
            header.putLong(request.correlationId()).putInt(request.ttlMillis()).putLong(request.requestTime());
            frames = new byte[][] {
                variables(header, request.method(), request.path(), request.headers(), request.arguments()),
                ownCopy(request.body()), null};
        } else if (message instanceof WireMessage.Reply reply) {
            ByteBuffer header = header(Command.REPLY, senderNonce, receiverNonce, reply.statusMessage(), reply.method(), reply.headers(),
                    reply.payload());
            header.putLong(reply.correlationId()).putShort((short) reply.statusCode()).putLong(reply.startTime())
                    .putLong(reply.endTime());
            frames = new byte[][] {
                variables(header, reply.statusMessage(), reply.method(), reply.headers(), reply.payload()),
                ownCopy(reply.body()), null};
        } else if (message instanceof WireMessage.Heartbeat heartbeat) {
            frames = new byte[][] {header(Command.HEARTBEAT, senderNonce, receiverNonce).putInt(heartbeat.intervalMillis()).array(), null};
        } else if (message instanceof WireMessage.Refuse refuse) {
            frames = new byte[][] {header(Command.REFUSE, senderNonce, receiverNonce).putLong(refuse.correlationId()).array(), null};
        } else if (message instanceof WireMessage.Ready ready) {
            byte[] service = ready.serviceName().getBytes(UTF_8);
            byte[] label = ready.label().getBytes(UTF_8);
            ByteBuffer header = header(Command.READY, senderNonce, receiverNonce, service, label);
            header.putInt(ready.capacity()).putInt(ready.heartbeatMillis()).putInt(ready.maxMessageSize());
            frames = new byte[][] {variables(header, service, label), null};
        } else {
            frames = new byte[][] {header(Command.DISCONNECT, senderNonce, receiverNonce).array(), null};
        }
        int last = frames.length - 1;
        frames[last] = authenticator.sign(frames, last);
        return frames;
    }

    /**
     * A body the frames own: ZeroMQ sends a frame's array as it is, later and on its own thread, so an
     * application that refills the array it handed over (a reply buffer a handler reuses) would otherwise
     * change a message after it was signed, and its peer would take it for forged.
     */
    private static byte[] ownCopy(byte[] body) {
        return body.length == 0 ? body : body.clone();
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
        ByteBuffer header = expectShape(command, frames, count);
        int[] fieldBounds = locateVariables(command, header);
        if (!authenticator.verify(frames, count - 1, frames[count - 1])) {
            throw new MalformedMessageException(BAD_SIGNATURE, "signature does not match (wrong passphrase?)");
        }
        byte[][] variables = copyVariables(frames[0], fieldBounds); // only once the sender is known
        header.position(PREFIX_LENGTH);
        return switch (command) {
            case READY -> decodeReady(frames[0], header, variables);
            case REQUEST -> decodeRequest(header, variables, frames[1]);
            case REPLY -> decodeReply(header, variables, frames[1]);
            case HEARTBEAT -> new WireMessage.Heartbeat(heartbeatInterval("HEARTBEAT", header.getInt()));
            case DISCONNECT -> WireMessage.Disconnect.INSTANCE;
            case REFUSE -> new WireMessage.Refuse(header.getLong());
        };
    }

    private static WireMessage decodeReady(byte[] frame, ByteBuffer header, byte[][] variables)
            throws MalformedMessageException {
        if (senderNonce(frame) == 0 || receiverNonce(frame) != 0) {
            throw new MalformedMessageException(MALFORMED, "READY must carry a sender nonce and no receiver nonce");
        }
        int capacity = header.getInt();
        int heartbeat = heartbeatInterval("READY", header.getInt());
        int maxMessageSize = header.getInt();
        if (capacity < 1) {
            throw new MalformedMessageException(MALFORMED, "READY capacity must be at least 1, was " + capacity);
        }
        if (maxMessageSize < MIN_MESSAGE_SIZE) {
            throw new MalformedMessageException(MALFORMED, "READY maximum message size must be at least "
                    + MIN_MESSAGE_SIZE + ", was " + maxMessageSize);
        }
        return new WireMessage.Ready(capacity, heartbeat, maxMessageSize, new String(variables[0], UTF_8),
                new String(variables[1], UTF_8));
    }

    /** The sender's nonce in the header of a message {@link #decode} accepted. */
    public static long senderNonce(byte[] header) {
        return ByteBuffer.wrap(header).getLong(SENDER_NONCE_OFFSET);
    }

    /** The receiver's nonce in the header of a message {@link #decode} accepted; 0 when the sender did not know it. */
    public static long receiverNonce(byte[] header) {
        return ByteBuffer.wrap(header).getLong(RECEIVER_NONCE_OFFSET);
    }

    private static WireMessage decodeRequest(ByteBuffer header, byte[][] variables, byte[] body)
            throws MalformedMessageException {
        long id = header.getLong();
        int ttl = header.getInt();
        long requestTime = header.getLong();
        if (ttl < 0) {
            throw new MalformedMessageException(MALFORMED, "REQUEST time to live out of range");
        }
        return new WireMessage.Request(id, ttl, requestTime, variables[0], variables[1], variables[2], variables[3], body);
    }

    private static WireMessage decodeReply(ByteBuffer header, byte[][] variables, byte[] body)
            throws MalformedMessageException {
        long id = header.getLong();
        int status = Short.toUnsignedInt(header.getShort());
        long start = header.getLong();
        long end = header.getLong();
        if (status < 100 || status > 599) {
            throw new MalformedMessageException(MALFORMED, "REPLY status " + status + " is not between 100 and 599");
        }
        return new WireMessage.Reply(id, status, start, end, variables[0], variables[1], variables[2], variables[3],
                body);
    }

    /** Checks the frame count and that the header holds the fixed fields; returns it positioned after them. */
    private static ByteBuffer expectShape(Command command, byte[][] frames, int count)
            throws MalformedMessageException {
        int frameCount = FRAME_COUNTS[command.code()];
        if (count != frameCount) {
            throw new MalformedMessageException(MALFORMED,
                    command + " must have " + frameCount + " frames, had " + count);
        }
        int fixedEnd = PREFIX_LENGTH + FIXED_LENGTHS[command.code()];
        if (frames[0].length < fixedEnd) {
            throw new MalformedMessageException(MALFORMED,
                    command + " header must be at least " + fixedEnd + " bytes, was " + frames[0].length);
        }
        return ByteBuffer.wrap(frames[0]).position(fixedEnd);
    }

    /**
     * Checks the length-prefixed fields after the fixed ones, which must fill the header exactly.
     *
     * @return start and length of each field, in pairs
     */
    private static int[] locateVariables(Command command, ByteBuffer header) throws MalformedMessageException {
        int fields = VARIABLE_FIELDS[command.code()];
        int[] bounds = new int[2 * fields];
        for (int i = 0; i < fields; i++) {
            if (header.remaining() < 4) {
                throw new MalformedMessageException(MALFORMED, command + " header ends inside field " + (i + 1));
            }
            int length = header.getInt();
            if (length < 0 || length > header.remaining()) {
                throw new MalformedMessageException(MALFORMED, command + " header field " + (i + 1)
                        + " claims " + Integer.toUnsignedString(length) + " bytes; " + header.remaining() + " remain");
            }
            bounds[2 * i] = header.position();
            bounds[2 * i + 1] = length;
            header.position(header.position() + length);
        }
        if (header.hasRemaining()) {
            throw new MalformedMessageException(MALFORMED, command + " header has " + header.remaining()
                    + " bytes after its last field");
        }
        return bounds;
    }

    private static byte[][] copyVariables(byte[] header, int[] bounds) {
        byte[][] fields = new byte[bounds.length / 2][];
        for (int i = 0; i < fields.length; i++) {
            int start = bounds[2 * i];
            int length = bounds[2 * i + 1];
            fields[i] = length == 0 ? EMPTY : Arrays.copyOfRange(header, start, start + length);
        }
        return fields;
    }

    private static int heartbeatInterval(String where, int millis) throws MalformedMessageException {
        if (millis < MIN_HEARTBEAT_MILLIS || millis > MAX_HEARTBEAT_MILLIS) {
            throw new MalformedMessageException(MALFORMED, where + " heartbeat interval must be between "
                    + MIN_HEARTBEAT_MILLIS + " and " + MAX_HEARTBEAT_MILLIS + " ms, was " + millis);
        }
        return millis;
    }

    private static boolean hasSignature(byte[] first) {
        return first.length >= LEAD_LENGTH && first[0] == 'B' && first[1] == 'R' && first[2] == 'B';
    }

    /** A header buffer sized for the command's fixed fields and the given variable fields, prefix written. */
    private static ByteBuffer header(Command command, long senderNonce, long receiverNonce, byte[]... variableFields) {
        int length = PREFIX_LENGTH + FIXED_LENGTHS[command.code()];
        for (byte[] field : variableFields) {
            length += 4 + field.length;
        }
        return ByteBuffer.allocate(length)
                .put((byte) 'B').put((byte) 'R').put((byte) 'B').put(VERSION).put(command.code())
                .putLong(senderNonce).putLong(receiverNonce);
    }

    private static byte[] variables(ByteBuffer header, byte[]... fields) {
        for (byte[] field : fields) {
            header.putInt(field.length).put(field);
        }
        return header.array();
    }
}
