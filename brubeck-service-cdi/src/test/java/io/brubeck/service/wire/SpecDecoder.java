package io.brubeck.service.wire;

import static io.brubeck.service.wire.MalformedMessageException.Kind.BAD_SIGNATURE;
import static io.brubeck.service.wire.MalformedMessageException.Kind.MALFORMED;
import static io.brubeck.service.wire.MalformedMessageException.Kind.UNSUPPORTED_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent reading of protocol version 2 ({@code docs/PROTOCOL.md}, sections 3 to 6, with the
 * sessions of version 2: a 21-byte prefix of {@code BRB}, version {@code 0x02}, command, the sender's
 * and the receiver's 8-byte nonces), written for the tests without using {@link MessageCodec} or
 * {@link MessageAuthenticator}: what {@link MessageCodec#decode} must make of any frames, in the order
 * the Java peers check them (signature and version, command, frame count and fixed fields, variable
 * fields, HMAC, ranges). The tests compare the codec with it, so that a check made in the wrong order,
 * a field read from the wrong place or a range that drifted shows up as a difference.
 */
final class SpecDecoder {
    static final int VERSION = 2;
    /** {@code BRB}, version and command: what the first checks read. */
    static final int LEAD = 5;
    /** The lead and the two nonces, sender's at 5 and receiver's at 13; the fixed fields follow. */
    static final int PREFIX = 21;
    static final int[] FRAMES = {0, 2, 3, 3, 2, 2, 2};
    /** Bytes of fixed fields after the prefix, by command code. */
    static final int[] FIXED = {0, 12, 20, 26, 4, 0, 8};
    static final int[] VARIABLE = {0, 2, 4, 4, 0, 0, 0};

    /**
     * What decoding must give: either a rejection of the given kind, or a message of the given
     * command with its session's nonces, its fixed fields (after the 21-byte prefix), variable fields
     * and body.
     */
    record Outcome(MalformedMessageException.Kind rejection, String reason, int command, long senderNonce,
                   long receiverNonce, ByteBuffer fixed, List<byte[]> variables, byte[] body) {
        boolean accepted() {
            return rejection == null;
        }

        static Outcome rejected(MalformedMessageException.Kind kind, String reason) {
            return new Outcome(kind, reason, 0, 0, 0, null, null, null);
        }
    }

    private final byte[] key;

    SpecDecoder(String passphrase) {
        this.key = passphrase.getBytes(UTF_8);
    }

    Outcome decode(byte[][] frames, int count) {
        if (count < 2 || frames[0].length < LEAD || frames[0][0] != 'B' || frames[0][1] != 'R' || frames[0][2] != 'B') {
            return Outcome.rejected(UNSUPPORTED_VERSION, "not a brubeck-service message");
        }
        byte[] header = frames[0];
        if (header[3] != VERSION) {
            return Outcome.rejected(UNSUPPORTED_VERSION, "version " + (header[3] & 0xFF));
        }
        int command = header[4] & 0xFF;
        if (command < 1 || command > 6) {
            return Outcome.rejected(MALFORMED, "unknown command " + command);
        }
        int fixedEnd = PREFIX + FIXED[command];
        if (count != FRAMES[command] || header.length < fixedEnd) {
            return Outcome.rejected(MALFORMED, "wrong shape");
        }
        List<byte[]> variables = new ArrayList<>();
        int pos = fixedEnd;
        for (int field = 0; field < VARIABLE[command]; field++) {
            if (header.length - pos < 4) {
                return Outcome.rejected(MALFORMED, "ends inside field " + (field + 1));
            }
            int length = ByteBuffer.wrap(header, pos, 4).getInt();
            pos += 4;
            if (length < 0 || length > header.length - pos) {
                return Outcome.rejected(MALFORMED, "field " + (field + 1) + " too long");
            }
            byte[] value = new byte[length];
            System.arraycopy(header, pos, value, 0, length);
            variables.add(value);
            pos += length;
        }
        if (pos != header.length) {
            return Outcome.rejected(MALFORMED, "bytes after the last field");
        }
        if (!MessageDigest.isEqual(hmac(frames, count - 1), frames[count - 1])) {
            return Outcome.rejected(BAD_SIGNATURE, "signature");
        }
        long senderNonce = bigEndianLong(header, 5);
        long receiverNonce = bigEndianLong(header, 13);
        ByteBuffer fixed = ByteBuffer.wrap(header, PREFIX, FIXED[command]).slice();
        String range = rangeProblem(command, senderNonce, receiverNonce, fixed.duplicate());
        if (range != null) {
            return Outcome.rejected(MALFORMED, range);
        }
        return new Outcome(null, null, command, senderNonce, receiverNonce, fixed, variables,
                count == 3 ? frames[1] : null);
    }

    /** Eight bytes as a big-endian two's complement integer, byte by byte. */
    private static long bigEndianLong(byte[] bytes, int at) {
        long value = 0;
        for (int i = at; i < at + 8; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static String rangeProblem(int command, long senderNonce, long receiverNonce, ByteBuffer fixed) {
        switch (command) {
            case 1 -> {
                if (senderNonce == 0 || receiverNonce != 0) {
                    return "READY nonces: the sender's must not be zero, the receiver's must be";
                }
                int capacity = fixed.getInt();
                int heartbeat = fixed.getInt();
                int maxMessageSize = fixed.getInt();
                if (capacity < 1 || heartbeat < 1 || heartbeat > 600_000 || maxMessageSize < 1024) {
                    return "READY field out of range";
                }
            }
            case 2 -> {
                fixed.getLong();
                if (fixed.getInt() < 0) {
                    return "ttl out of range";
                }
            }
            case 3 -> {
                fixed.getLong();
                int status = fixed.getShort() & 0xFFFF;
                if (status < 100 || status > 599) {
                    return "status out of range";
                }
            }
            case 4 -> {
                int interval = fixed.getInt();
                if (interval < 1 || interval > 600_000) {
                    return "heartbeat out of range";
                }
            }
            default -> {
                // DISCONNECT and REFUSE have no ranged fields
            }
        }
        return null;
    }

    /** HMAC-SHA256 over the first {@code count} frames, each preceded by its length as 4 big-endian bytes. */
    byte[] hmac(byte[][] frames, int count) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int i = 0; i < count; i++) {
                mac.update(ByteBuffer.allocate(4).putInt(frames[i].length).array());
                mac.update(frames[i]);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Checks that a decoded message, and the nonces {@link MessageCodec} reads from its header, are
     * exactly what the specification reads from its frames.
     */
    static void assertDecodedAsSpecified(Outcome expected, WireMessage actual, byte[] header, String what) {
        assertNull(expected.rejection(), what + ": the specification rejects it (" + expected.reason() + ")");
        assertEquals(expected.command(), actual.command().code(), what + ": command");
        assertEquals(expected.senderNonce(), MessageCodec.senderNonce(header), what + ": sender nonce");
        assertEquals(expected.receiverNonce(), MessageCodec.receiverNonce(header), what + ": receiver nonce");
        ByteBuffer fixed = expected.fixed().duplicate();
        List<byte[]> v = expected.variables();
        if (actual instanceof WireMessage.Ready ready) {
            assertEquals(fixed.getInt(), ready.capacity(), what);
            assertEquals(fixed.getInt(), ready.heartbeatMillis(), what);
            assertEquals(fixed.getInt(), ready.maxMessageSize(), what);
            assertEquals(new String(v.get(0), UTF_8), ready.serviceName(), what);
            assertEquals(new String(v.get(1), UTF_8), ready.label(), what);
        } else if (actual instanceof WireMessage.Request request) {
            assertEquals(fixed.getLong(), request.correlationId(), what);
            assertEquals(fixed.getInt(), request.ttlMillis(), what);
            assertEquals(fixed.getLong(), request.requestTime(), what);
            assertArrayEquals(v.get(0), request.method(), what);
            assertArrayEquals(v.get(1), request.path(), what);
            assertArrayEquals(v.get(2), request.headers(), what);
            assertArrayEquals(v.get(3), request.arguments(), what);
            assertSame(expected.body(), request.body(), what + ": the body frame is passed on as it is");
        } else if (actual instanceof WireMessage.Reply reply) {
            assertEquals(fixed.getLong(), reply.correlationId(), what);
            assertEquals(fixed.getShort() & 0xFFFF, reply.statusCode(), what);
            assertEquals(fixed.getLong(), reply.startTime(), what);
            assertEquals(fixed.getLong(), reply.endTime(), what);
            assertArrayEquals(v.get(0), reply.statusMessage(), what);
            assertArrayEquals(v.get(1), reply.method(), what);
            assertArrayEquals(v.get(2), reply.headers(), what);
            assertArrayEquals(v.get(3), reply.payload(), what);
            assertSame(expected.body(), reply.body(), what + ": the body frame is passed on as it is");
        } else if (actual instanceof WireMessage.Heartbeat heartbeat) {
            assertEquals(fixed.getInt(), heartbeat.intervalMillis(), what);
        } else if (actual instanceof WireMessage.Refuse refuse) {
            assertEquals(fixed.getLong(), refuse.correlationId(), what);
        } else {
            assertEquals(WireMessage.Disconnect.class, actual.getClass(), what);
        }
    }
}
