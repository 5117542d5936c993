package io.brubeck.service.wire;

import static io.brubeck.service.wire.MalformedMessageException.Kind.BAD_SIGNATURE;
import static io.brubeck.service.wire.MalformedMessageException.Kind.MALFORMED;
import static io.brubeck.service.wire.MalformedMessageException.Kind.UNSUPPORTED_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire codec against the layout of protocol version 2: frame 0, the header, is {@code "BRB"},
 * version 2, the command byte, the sender's and the receiver's 8-byte nonces (the session), the
 * command's fixed fields in network byte order and then its variable fields, each a 4-byte big-endian
 * length and that many bytes, filling the header exactly; REQUEST and REPLY then have a body frame;
 * the last frame is an HMAC-SHA256 keyed by the passphrase over every frame before it, each preceded
 * by its length as a 4-byte big-endian integer. Decoding checks, in this order: signature and
 * version, command, frame count and fixed fields, variable fields, HMAC, field ranges (a READY's
 * nonces among them).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageCodecTest {
    static final String SECRET = "codec-test-secret";
    private static final byte[] NONE = new byte[0];
    /** The session the sample messages are sent in; bytes that appear nowhere else in them. */
    static final long SENDER_NONCE = 0xA1A2A3A4A5A6A7A8L;
    static final long RECEIVER_NONCE = 0xB1B2B3B4B5B6B7B8L;
    private static final byte[] SENDER_NONCE_BYTES = HexFormat.of().parseHex("a1a2a3a4a5a6a7a8");
    private static final byte[] RECEIVER_NONCE_BYTES = HexFormat.of().parseHex("b1b2b3b4b5b6b7b8");

    private final MessageAuthenticator authenticator = new MessageAuthenticator(SECRET);
    private final MessageCodec codec = new MessageCodec(authenticator);
    private final SpecDecoder spec = new SpecDecoder(SECRET);

    // ---- sample messages

    static byte[] allByteValues() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    static WireMessage.Request sampleRequest() {
        return new WireMessage.Request(0x0102030405060708L, 30_000, 1_700_000_000_123L,
                "request".getBytes(UTF_8), "/service/slow".getBytes(UTF_8),
                "{\"X-Trace\":\"abc\"}".getBytes(UTF_8), "{\"RETURN_DATA\":\"héllo ✓\"}".getBytes(UTF_8),
                allByteValues());
    }

    static WireMessage.Reply sampleReply() {
        return new WireMessage.Reply(-2L, 207, 1_700_000_000_200L, 1_700_000_000_900L,
                "Took a while, but I am back.".getBytes(UTF_8), "response".getBytes(UTF_8),
                "{\"a\":\"b\"}".getBytes(UTF_8), "{\"RETURN_DATA\":\"x\"}".getBytes(UTF_8), allByteValues());
    }

    static WireMessage.Ready sampleReady() {
        return new WireMessage.Ready(16, 1000, 8 * 1024 * 1024, "slow-ü", "4711@host");
    }

    static Stream<WireMessage> everyMessageType() {
        return Stream.of(sampleReady(), sampleRequest(), sampleReply(), new WireMessage.Heartbeat(250),
                new WireMessage.Disconnect(), new WireMessage.Refuse(0x0A0B0C0D0E0F1011L));
    }

    // ---- helpers

    /** A READY has no receiver nonce yet; every other message carries both of the session. */
    static long receiverNonceOf(int command) {
        return command == Command.READY.code() ? 0 : RECEIVER_NONCE;
    }

    /** The message encoded in the sample session, as its sender would send it. */
    static byte[][] encoded(MessageCodec codec, WireMessage message) {
        return codec.encode(message, SENDER_NONCE, receiverNonceOf(message.command().code()));
    }

    /** Frames with a correct signature over the given unsigned frames. */
    private byte[][] signed(byte[]... unsigned) {
        byte[][] frames = Arrays.copyOf(unsigned, unsigned.length + 1);
        frames[unsigned.length] = authenticator.sign(frames, unsigned.length);
        return frames;
    }

    /** The frames without the last (the signature). */
    private static byte[][] withoutSignature(byte[][] frames) {
        return Arrays.copyOf(frames, frames.length - 1);
    }

    /** The 21-byte prefix of the sample session and room for {@code fixedLength} bytes of fixed fields. */
    private static ByteBuffer frame0(int command, int fixedLength) {
        return prefix(ByteBuffer.allocate(21 + fixedLength), command);
    }

    /** Writes {@code "BRB"}, version 2, the command and the sample session's nonces. */
    private static ByteBuffer prefix(ByteBuffer header, int command) {
        return header.put((byte) 'B').put((byte) 'R').put((byte) 'B').put((byte) 2).put((byte) command)
                .put(SENDER_NONCE_BYTES).put(command == 1 ? new byte[8] : RECEIVER_NONCE_BYTES);
    }

    /** A header: the prefix, the given fixed fields, then each variable field with its 4-byte length. */
    static byte[] header(int command, byte[] fixed, byte[]... fields) {
        int length = 21 + fixed.length;
        for (byte[] field : fields) {
            length += 4 + field.length;
        }
        ByteBuffer header = prefix(ByteBuffer.allocate(length), command).put(fixed);
        for (byte[] field : fields) {
            header.putInt(field.length).put(field);
        }
        return header.array();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private MalformedMessageException rejected(byte[][] frames) {
        return rejected(frames, frames.length);
    }

    /** Expects a rejection, and that it is the one the specification gives. */
    private MalformedMessageException rejected(byte[][] frames, int count) {
        MalformedMessageException error = assertThrows(MalformedMessageException.class, () -> codec.decode(frames, count),
                () -> "expected rejection of " + describe(frames, count));
        assertEquals(spec.decode(frames, count).rejection(), error.kind(),
                () -> "the specification's reason: " + spec.decode(frames, count).reason() + "; the codec's: "
                        + error.getMessage());
        return error;
    }

    private WireMessage decode(byte[][] frames) throws MalformedMessageException {
        WireMessage message = codec.decode(frames, frames.length);
        SpecDecoder.assertDecodedAsSpecified(spec.decode(frames, frames.length), message, frames[0],
                describe(frames, frames.length));
        return message;
    }

    private static String describe(byte[][] frames, int count) {
        StringBuilder out = new StringBuilder(count + " frames:");
        for (int i = 0; i < count; i++) {
            out.append(' ').append(frames[i].length).append('B');
        }
        return out.toString();
    }

    private static byte[][] deepCopy(byte[][] frames) {
        byte[][] copy = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            copy[i] = frames[i].clone();
        }
        return copy;
    }

    static void assertSameMessage(WireMessage expected, WireMessage actual) {
        assertEquals(expected.command(), actual.command());
        if (expected instanceof WireMessage.Request e && actual instanceof WireMessage.Request a) {
            assertEquals(e.correlationId(), a.correlationId());
            assertEquals(e.ttlMillis(), a.ttlMillis());
            assertEquals(e.requestTime(), a.requestTime());
            assertArrayEquals(e.method(), a.method());
            assertArrayEquals(e.path(), a.path());
            assertArrayEquals(e.headers(), a.headers());
            assertArrayEquals(e.arguments(), a.arguments());
            assertArrayEquals(e.body(), a.body());
        } else if (expected instanceof WireMessage.Reply e && actual instanceof WireMessage.Reply a) {
            assertEquals(e.correlationId(), a.correlationId());
            assertEquals(e.statusCode(), a.statusCode());
            assertEquals(e.startTime(), a.startTime());
            assertEquals(e.endTime(), a.endTime());
            assertArrayEquals(e.statusMessage(), a.statusMessage());
            assertArrayEquals(e.method(), a.method());
            assertArrayEquals(e.headers(), a.headers());
            assertArrayEquals(e.payload(), a.payload());
            assertArrayEquals(e.body(), a.body());
        } else {
            // Ready, Heartbeat, Disconnect and Refuse are records without arrays: equals compares every field.
            assertEquals(expected, actual);
        }
    }

    // ---- round trips

    @Nested
    class RoundTrip {
        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void everyMessageTypeSurvivesEncodeAndDecode(WireMessage message) throws Exception {
            byte[][] frames = encoded(codec, message);
            assertSameMessage(message, decode(frames));
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void aPeerWithTheSamePassphraseDecodesIt(WireMessage message) throws Exception {
            MessageCodec peer = new MessageCodec(new MessageAuthenticator(SECRET));
            assertSameMessage(message, peer.decode(encoded(codec, message), encoded(codec, message).length));
        }

        @Test
        void emptyVariableFieldsAndBodySurvive() throws Exception {
            WireMessage.Request request = new WireMessage.Request(0, 0, 0, NONE, NONE, NONE, NONE, NONE);
            assertSameMessage(request, decode(encoded(codec, request)));
            WireMessage.Reply reply = new WireMessage.Reply(0, 100, 0, 0, NONE, NONE, NONE, NONE, NONE);
            assertSameMessage(reply, decode(encoded(codec, reply)));
            WireMessage.Ready ready = new WireMessage.Ready(1, 1, MessageCodec.MIN_MESSAGE_SIZE, "", "");
            assertSameMessage(ready, decode(encoded(codec, ready)));
        }

        @Test
        void extremeFixedFieldValuesSurvive() throws Exception {
            byte[] body = new byte[1 << 20];
            new java.util.Random(7).nextBytes(body);
            WireMessage.Request request = new WireMessage.Request(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
                    "delete".getBytes(UTF_8), "/".getBytes(UTF_8), NONE, NONE, body);
            assertSameMessage(request, decode(encoded(codec, request)));
            WireMessage.Reply reply = new WireMessage.Reply(Long.MAX_VALUE, 599, Long.MIN_VALUE, -1L,
                    NONE, NONE, NONE, NONE, body);
            assertSameMessage(reply, decode(encoded(codec, reply)));
            for (WireMessage message : List.of(
                    new WireMessage.Ready(Integer.MAX_VALUE, MessageCodec.MAX_HEARTBEAT_MILLIS, Integer.MAX_VALUE, "s", "l"),
                    new WireMessage.Ready(1, MessageCodec.MIN_HEARTBEAT_MILLIS, MessageCodec.MIN_MESSAGE_SIZE, "s", "l"),
                    new WireMessage.Heartbeat(MessageCodec.MAX_HEARTBEAT_MILLIS),
                    new WireMessage.Heartbeat(MessageCodec.MIN_HEARTBEAT_MILLIS),
                    new WireMessage.Refuse(Long.MIN_VALUE), new WireMessage.Refuse(Long.MAX_VALUE),
                    new WireMessage.Refuse(0))) {
                assertSameMessage(message, decode(encoded(codec, message)));
            }
        }

        @Test
        void decodeReadsOnlyTheFirstCountFramesOfAReusedBuffer() throws Exception {
            // The socket loops read into one reusable array; entries past the count are stale.
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] frames = encoded(codec, message);
                byte[][] buffer = new byte[MessageCodec.MAX_FRAMES + 1][];
                Arrays.fill(buffer, "stale".getBytes(UTF_8));
                System.arraycopy(frames, 0, buffer, 0, frames.length);
                assertSameMessage(message, codec.decode(buffer, frames.length));
            }
        }

        @Test
        void encodingIsDeterministicAndDoesNotDependOnTheInstance() {
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] first = encoded(codec, message);
                byte[][] second = encoded(new MessageCodec(new MessageAuthenticator(SECRET)), message);
                assertEquals(first.length, second.length);
                for (int i = 0; i < first.length; i++) {
                    assertArrayEquals(first[i], second[i], message.command() + " frame " + i);
                }
            }
        }
    }

    // ---- byte layout

    @Nested
    class Layout {
        private void assertPrefix(byte[] frame0, int command) {
            assertEquals('B', frame0[0]);
            assertEquals('R', frame0[1]);
            assertEquals('B', frame0[2]);
            assertEquals(2, frame0[3], "version");
            assertEquals(command, frame0[4], "command code");
            assertArrayEquals(SENDER_NONCE_BYTES, Arrays.copyOfRange(frame0, 5, 13), "sender nonce");
            assertArrayEquals(command == 1 ? new byte[8] : RECEIVER_NONCE_BYTES, Arrays.copyOfRange(frame0, 13, 21),
                    "receiver nonce");
        }

        @Test
        void commandCodesAndLimits() {
            assertEquals(1, Command.READY.code());
            assertEquals(2, Command.REQUEST.code());
            assertEquals(3, Command.REPLY.code());
            assertEquals(4, Command.HEARTBEAT.code());
            assertEquals(5, Command.DISCONNECT.code());
            assertEquals(6, Command.REFUSE.code());
            assertEquals(6, Command.values().length);
            assertEquals(2, MessageCodec.VERSION);
            assertEquals(3, MessageCodec.MAX_FRAMES);
            assertEquals(1, MessageCodec.MIN_HEARTBEAT_MILLIS);
            assertEquals(600_000, MessageCodec.MAX_HEARTBEAT_MILLIS);
            assertEquals(1024, MessageCodec.MIN_MESSAGE_SIZE);
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void framesPerCommand(WireMessage message) {
            byte[][] frames = encoded(codec, message);
            int expected = message.command() == Command.REQUEST || message.command() == Command.REPLY ? 3 : 2;
            assertEquals(expected, frames.length, message.command() + " frames");
            assertTrue(frames.length <= MessageCodec.MAX_FRAMES);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[frames.length - 1].length);
        }

        @Test
        void ready() {
            byte[][] frames = encoded(codec,
                    new WireMessage.Ready(0x01020304, 0x0A0B0C0D, 0x10203040, "slow-ü", "4711@host"));
            assertEquals(2, frames.length);
            assertPrefix(frames[0], 1);
            ByteBuffer expected = ByteBuffer.allocate(33 + 4 + 7 + 4 + 9)
                    .put(new byte[] {'B', 'R', 'B', 2, 1})
                    .put(SENDER_NONCE_BYTES).put(new byte[8]) // no receiver nonce yet
                    .put(new byte[] {1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D, 0x10, 0x20, 0x30, 0x40})
                    .putInt(7).put("slow-ü".getBytes(UTF_8)) // 'ü' takes two bytes in UTF-8
                    .putInt(9).put("4711@host".getBytes(UTF_8));
            assertArrayEquals(expected.array(), frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @Test
        void request() {
            WireMessage.Request request = sampleRequest();
            byte[][] frames = encoded(codec, request);
            assertEquals(3, frames.length);
            assertPrefix(frames[0], 2);
            byte[] fixed = {
                1, 2, 3, 4, 5, 6, 7, 8,                    // correlation id
                0, 0, 0x75, 0x30,                          // ttl 30000
                0, 0, 0x01, (byte) 0x8B, (byte) 0xCF, (byte) 0xE5, 0x68, 0x7B}; // 1700000000123
            assertArrayEquals(header(2, fixed, request.method(), request.path(), request.headers(), request.arguments()),
                    frames[0]);
            assertEquals(41 + 4 * 4 + request.method().length + request.path().length + request.headers().length
                    + request.arguments().length, frames[0].length);
            assertArrayEquals(request.body(), frames[1]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[2].length);
        }

        @Test
        void reply() {
            WireMessage.Reply reply = new WireMessage.Reply(0x1122334455667788L, 404, 0x0102030405060708L, -1L,
                    "No route".getBytes(UTF_8), "response".getBytes(UTF_8), NONE, "{}".getBytes(UTF_8),
                    new byte[] {0, (byte) 0xFF});
            byte[][] frames = encoded(codec, reply);
            assertEquals(3, frames.length);
            assertPrefix(frames[0], 3);
            byte[] fixed = {
                0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, // correlation id
                0x01, (byte) 0x94,                                  // status 404
                1, 2, 3, 4, 5, 6, 7, 8,                             // start
                -1, -1, -1, -1, -1, -1, -1, -1};                   // end
            assertArrayEquals(header(3, fixed, bytes("No route"), bytes("response"), NONE, bytes("{}")), frames[0]);
            assertEquals(47 + 16 + 8 + 8 + 0 + 2, frames[0].length);
            assertArrayEquals(new byte[] {0, (byte) 0xFF}, frames[1]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[2].length);
        }

        @Test
        void theBodyTravelsInAFrameOfItsOwnCopiedOnceWhenSent() throws Exception {
            WireMessage.Request request = sampleRequest();
            byte[][] requestFrames = encoded(codec, request);
            assertNotSame(request.body(), requestFrames[1], "the sender signs and hands ZeroMQ a copy the application cannot change");
            assertArrayEquals(request.body(), requestFrames[1]);
            assertSame(requestFrames[1], ((WireMessage.Request) decode(requestFrames)).body(),
                    "the receiver passes the received frame on as it is");
            WireMessage.Reply reply = sampleReply();
            byte[][] replyFrames = encoded(codec, reply);
            assertNotSame(reply.body(), replyFrames[1]);
            assertArrayEquals(reply.body(), replyFrames[1]);
            assertSame(replyFrames[1], ((WireMessage.Reply) decode(replyFrames)).body());
        }

        @Test
        void statusAbove32767IsUnsignedOnTheWire() throws Exception {
            // Not a valid HTTP status, but shows the field is an unsigned 16-bit integer.
            byte[] fixed = ByteBuffer.allocate(26).putLong(1).putShort((short) 0x8000).putLong(0).putLong(0).array();
            MalformedMessageException error = rejected(signed(header(3, fixed, NONE, NONE, NONE, NONE), NONE));
            assertEquals(MALFORMED, error.kind());
            assertTrue(error.getMessage().contains("32768"), error.getMessage());
        }

        @Test
        void heartbeat() {
            byte[][] frames = encoded(codec, new WireMessage.Heartbeat(0x00012345));
            assertEquals(2, frames.length);
            assertArrayEquals(ByteBuffer.allocate(25).put(new byte[] {'B', 'R', 'B', 2, 4}).put(SENDER_NONCE_BYTES)
                    .put(RECEIVER_NONCE_BYTES).put(new byte[] {0, 1, 0x23, 0x45}).array(), frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @Test
        void disconnect() {
            byte[][] frames = encoded(codec, new WireMessage.Disconnect());
            assertEquals(2, frames.length);
            assertArrayEquals(ByteBuffer.allocate(21).put(new byte[] {'B', 'R', 'B', 2, 5}).put(SENDER_NONCE_BYTES)
                    .put(RECEIVER_NONCE_BYTES).array(), frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @Test
        void refuse() {
            byte[][] frames = encoded(codec, new WireMessage.Refuse(0x0102030405060708L));
            assertEquals(2, frames.length);
            assertArrayEquals(ByteBuffer.allocate(29).put(new byte[] {'B', 'R', 'B', 2, 6}).put(SENDER_NONCE_BYTES)
                    .put(RECEIVER_NONCE_BYTES).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).array(), frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void lastFrameIsHmacSha256OverLengthPrefixedFrames(WireMessage message) throws Exception {
            byte[][] frames = encoded(codec, message);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(UTF_8), "HmacSHA256"));
            for (int i = 0; i < frames.length - 1; i++) {
                mac.update(ByteBuffer.allocate(4).putInt(frames[i].length).array());
                mac.update(frames[i]);
            }
            assertArrayEquals(mac.doFinal(), frames[frames.length - 1]);
        }

        @Test
        void thePassphraseNeverTravels() {
            for (WireMessage message : everyMessageType().toList()) {
                for (byte[] frame : encoded(codec, message)) {
                    assertFalse(new String(frame, java.nio.charset.StandardCharsets.ISO_8859_1).contains(SECRET));
                }
            }
        }
    }

    // ---- the session: a nonce of each side in every header

    @Nested
    class Sessions {
        /** Sender and receiver nonces any message but READY may carry; zero means "not known yet". */
        static Stream<Arguments> noncePairs() {
            return Stream.of(Arguments.of(1L, 2L), Arguments.of(-1L, Long.MIN_VALUE), Arguments.of(Long.MAX_VALUE, 0L),
                    Arguments.of(0x0123456789ABCDEFL, 0xFEDCBA9876543210L), Arguments.of(0L, 0L), Arguments.of(0L, 5L));
        }

        /** The message with the given nonces; a READY keeps the sender's (or 1 for 0) and has no receiver nonce. */
        private byte[][] inSession(WireMessage message, long sender, long receiver) {
            return message instanceof WireMessage.Ready
                    ? codec.encode(message, sender == 0 ? 1 : sender, 0)
                    : codec.encode(message, sender, receiver);
        }

        @ParameterizedTest
        @MethodSource("noncePairs")
        void theNoncesAreWrittenAtOffsets5And13AndReadBack(long sender, long receiver) throws Exception {
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] frames = inSession(message, sender, receiver);
                long expectedSender = message instanceof WireMessage.Ready && sender == 0 ? 1 : sender;
                long expectedReceiver = message instanceof WireMessage.Ready ? 0 : receiver;
                String what = message.command() + " " + Long.toHexString(sender) + "/" + Long.toHexString(receiver);
                assertEquals(String.format("%016x%016x", expectedSender, expectedReceiver),
                        HexFormat.of().formatHex(frames[0], 5, 21), what + ": bytes 5 to 20, big-endian");
                assertEquals(expectedSender, MessageCodec.senderNonce(frames[0]), what);
                assertEquals(expectedReceiver, MessageCodec.receiverNonce(frames[0]), what);
                assertSameMessage(message, decode(frames)); // decode also compares the nonces with the specification
                // the nonces change nothing else: the rest of the header and the body are those of the sample session
                byte[][] sample = encoded(codec, message);
                assertArrayEquals(Arrays.copyOf(sample[0], 5), Arrays.copyOf(frames[0], 5), what);
                assertArrayEquals(Arrays.copyOfRange(sample[0], 21, sample[0].length),
                        Arrays.copyOfRange(frames[0], 21, frames[0].length), what);
                for (int i = 1; i < frames.length - 1; i++) {
                    assertArrayEquals(sample[i], frames[i], what + " frame " + i);
                }
            }
        }

        @Test
        void theNonceReadersReadBigEndianLongsAtTheirOffsets() {
            byte[] header = HexFormat.of().parseHex(
                    "4252420204" + "0102030405060708" + "8090a0b0c0d0e0f0" + "000003e8");
            assertEquals(0x0102030405060708L, MessageCodec.senderNonce(header));
            assertEquals(0x8090a0b0c0d0e0f0L, MessageCodec.receiverNonce(header));
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void theSignatureCoversTheNonces(WireMessage message) {
            byte[][] original = encoded(codec, message);
            for (int b = 5; b < 21; b++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[][] tampered = deepCopy(original);
                    tampered[0][b] ^= (byte) (1 << bit);
                    MalformedMessageException error = rejected(tampered);
                    assertEquals(BAD_SIGNATURE, error.kind(), message.command() + " byte " + b + " bit " + bit);
                }
            }
            // a code recorded in one session does not sign the same message in another
            byte[][] otherSession = message instanceof WireMessage.Ready
                    ? codec.encode(message, SENDER_NONCE + 1, 0)
                    : codec.encode(message, SENDER_NONCE, RECEIVER_NONCE + 1);
            assertFalse(Arrays.equals(original[original.length - 1], otherSession[otherSession.length - 1]));
            otherSession[otherSession.length - 1] = original[original.length - 1];
            assertEquals(BAD_SIGNATURE, rejected(otherSession).kind(), message.command() + " in another session");
            if (!(message instanceof WireMessage.Ready)) {
                // nor the message sent back the other way, the nonces exchanged
                byte[][] reflected = deepCopy(original);
                System.arraycopy(RECEIVER_NONCE_BYTES, 0, reflected[0], 5, 8);
                System.arraycopy(SENDER_NONCE_BYTES, 0, reflected[0], 13, 8);
                assertEquals(BAD_SIGNATURE, rejected(reflected).kind(), message.command() + " reflected");
            }
        }

        @Test
        void aReadyWithoutASenderNonceOrWithAReceiverNonceIsMalformed() throws Exception {
            WireMessage.Ready ready = sampleReady();
            long[][] wrong = {{0, 0}, {0, RECEIVER_NONCE}, {SENDER_NONCE, RECEIVER_NONCE}, {SENDER_NONCE, 1},
                {SENDER_NONCE, -1}, {-1, Long.MIN_VALUE}};
            for (long[] nonces : wrong) {
                String what = "READY " + nonces[0] + "/" + nonces[1];
                MalformedMessageException error = rejected(codec.encode(ready, nonces[0], nonces[1]));
                assertEquals(MALFORMED, error.kind(), what);
                assertEquals("READY must carry a sender nonce and no receiver nonce", error.getMessage(), what);
                // like every range check, made only once the signature is known to be right
                MessageCodec intruder = new MessageCodec(new MessageAuthenticator(SECRET + "x"));
                assertEquals(BAD_SIGNATURE, rejected(intruder.encode(ready, nonces[0], nonces[1])).kind(), what);
            }
            for (long sender : new long[] {1, -1, Long.MIN_VALUE, Long.MAX_VALUE, SENDER_NONCE}) {
                byte[][] frames = codec.encode(ready, sender, 0);
                assertEquals(ready, decode(frames));
                assertEquals(sender, MessageCodec.senderNonce(frames[0]));
                assertEquals(0, MessageCodec.receiverNonce(frames[0]));
            }
        }

        @Test
        void aVersion1MessageIsRefusedWhateverItsSignature() {
            // Messages of protocol version 1 as its document shows them, with the passphrase my_shared_secret.
            MessageCodec sameSecret = new MessageCodec(new MessageAuthenticator("my_shared_secret"));
            String[][] version1 = {
                {"425242010100000004000003e80080000000000004736c6f770000000c3437313140776f726b657231",
                    "256588572e82f4fcae9663ee0e2d9f747f87178bb90544552aec7ddb6f0e8bbf"},
                {"4252420104000003e8", "c25cd519d8f88ff82ad7cfe6a6d47d25195730e841de56ba33dafd5131c99286"},
                {"4252420105", "e05b84bd6ec0c4c8a9c2ec38b196b806682a7b42705e9c26a787351948b4383b"},
                {"42524201060000000000000001", "9d20cade51c30943956b94c2475d2b87465aa9ff02a5f39bb53d789281890791"}};
            for (String[] hex : version1) {
                byte[][] frames = {HexFormat.of().parseHex(hex[0]), HexFormat.of().parseHex(hex[1])};
                for (MessageCodec receiver : List.of(sameSecret, codec)) {
                    MalformedMessageException error = assertThrows(MalformedMessageException.class,
                            () -> receiver.decode(frames, frames.length), hex[0]);
                    assertEquals(UNSUPPORTED_VERSION, error.kind(), hex[0]);
                    assertEquals("protocol version 1 (this peer speaks 2)", error.getMessage(), hex[0]);
                }
                assertEquals(UNSUPPORTED_VERSION, spec.decode(frames, frames.length).rejection(), hex[0]);
            }
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest$Malformed#commandsWithShapes")
        void aHeaderShorterThanThePrefixFailsTheShapeCheckNotTheSignature(Command command, int frameCount,
                                                                          int fixedLength) {
            WireMessage message = everyMessageType().filter(m -> m.command() == command).findFirst().orElseThrow();
            byte[][] valid = encoded(codec, message);
            for (int length = 5; length < 21; length++) {
                byte[][] cut = valid.clone();
                cut[0] = Arrays.copyOf(valid[0], length);
                String expected = command + " header must be at least " + fixedLength + " bytes, was " + length;
                // with the code of the whole header, now wrong
                MalformedMessageException unsigned = rejected(cut);
                assertEquals(MALFORMED, unsigned.kind(), command + " cut to " + length);
                assertEquals(expected, unsigned.getMessage());
                // and correctly signed
                byte[][] resigned = signed(withoutSignature(cut));
                MalformedMessageException signedError = rejected(resigned);
                assertEquals(MALFORMED, signedError.kind(), command + " cut to " + length + ", re-signed");
                assertEquals(expected, signedError.getMessage());
            }
        }
    }

    // ---- byte-level examples, in the manner of PROTOCOL.md, section 14

    /**
     * Whole messages of one session, with the passphrase {@code my_shared_secret}: the worker's nonce
     * {@code 3f6a91c207e45bd8}, the client's {@code c9147ea052bb086f}. The expected frames, HMACs
     * included, were computed from the layout alone with Python's {@code hmac} and {@code hashlib},
     * not taken from this codec.
     */
    @Nested
    class ProtocolDocumentExamples {
        private static final long WORKER = 0x3f6a91c207e45bd8L;
        private static final long CLIENT = 0xc9147ea052bb086fL;
        private final MessageCodec documented = new MessageCodec(new MessageAuthenticator("my_shared_secret"));
        private final byte[] payload = bytes("{\"RETURN_DATA\":\"I made a round trip\"}");

        private void assertFrames(WireMessage message, long sender, long receiver, String... hexFrames)
                throws Exception {
            byte[][] frames = documented.encode(message, sender, receiver);
            assertEquals(hexFrames.length, frames.length, message.command() + " frames");
            for (int i = 0; i < frames.length; i++) {
                assertEquals(hexFrames[i], HexFormat.of().formatHex(frames[i]), message.command() + " frame " + i);
            }
            byte[][] parsed = new byte[hexFrames.length][];
            for (int i = 0; i < hexFrames.length; i++) {
                parsed[i] = HexFormat.of().parseHex(hexFrames[i]);
            }
            assertSameMessage(message, documented.decode(parsed, parsed.length));
            assertEquals(sender, MessageCodec.senderNonce(parsed[0]), message.command() + " sender nonce");
            assertEquals(receiver, MessageCodec.receiverNonce(parsed[0]), message.command() + " receiver nonce");
        }

        @Test
        void ready() throws Exception {
            // worker to client, which it does not know yet
            assertFrames(new WireMessage.Ready(4, 1000, 8 * 1024 * 1024, "slow", "4711@worker1"), WORKER, 0,
                    "42524202013f6a91c207e45bd8000000000000000000000004000003e80080000000000004736c6f770000000c34373131"
                            + "40776f726b657231",
                    "14d3faf85f384ea1fd65d308c7fedd82d0c87c0166ce48322336ef7a527a312c");
        }

        @Test
        void request() throws Exception {
            assertFrames(new WireMessage.Request(1, 30_000, 1_700_000_000_000L, bytes("request"), bytes("/service/slow"),
                            NONE, payload, NONE), CLIENT, WORKER,
                    "4252420202c9147ea052bb086f3f6a91c207e45bd80000000000000001000075300000018bcfe5680000000007726571"
                            + "756573740000000d2f736572766963652f736c6f7700000000000000257b2252455455524e5f44415441223a"
                            + "2249206d616465206120726f756e642074726970227d",
                    "",
                    "a6e4e4cf322f91ed561d6a23b39fbeda21608e8b5ec187d0422e473067234064");
        }

        @Test
        void reply() throws Exception {
            assertFrames(new WireMessage.Reply(1, 200, 1_700_000_000_012L, 1_700_000_005_015L,
                            bytes("Took a while, but I am back."), bytes("response"), NONE, payload, NONE),
                    WORKER, CLIENT,
                    "42524202033f6a91c207e45bd8c9147ea052bb086f000000000000000100c80000018bcfe5680c0000018bcfe57b9700"
                            + "00001c546f6f6b2061207768696c652c20627574204920616d206261636b2e00000008726573706f6e736500"
                            + "000000000000257b2252455455524e5f44415441223a2249206d616465206120726f756e6420747269"
                            + "70227d",
                    "",
                    "808961bdfa8c10674a8a7b306e929df4c948dd7863eba31f9e0dc4b5b2a7ac42");
        }

        @Test
        void heartbeatDisconnectAndRefuse() throws Exception {
            // the client's answer to the READY
            assertFrames(new WireMessage.Heartbeat(1000), CLIENT, WORKER,
                    "4252420204c9147ea052bb086f3f6a91c207e45bd8000003e8",
                    "473dcec2b3a400e3d00f9b5c851e0cd776f29bca472069265c6a8d570e3a4b74");
            assertFrames(new WireMessage.Disconnect(), WORKER, CLIENT,
                    "42524202053f6a91c207e45bd8c9147ea052bb086f",
                    "74d03fc436ff0118c4c3852e21e66046d19e151c3f6a1120649708e837bfb3ec");
            assertFrames(new WireMessage.Refuse(1), WORKER, CLIENT,
                    "42524202063f6a91c207e45bd8c9147ea052bb086f0000000000000001",
                    "03e527121d114c7d59225cd9500bfda6f6ff906a18211b659c3647e701396669");
        }
    }

    // ---- rejections: not this protocol / version

    @Nested
    class NotThisProtocol {
        @Test
        void noFramesOrOnlyOne() {
            byte[][] heartbeat = encoded(codec, new WireMessage.Heartbeat(100));
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[0][], 0).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(heartbeat, 1).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {heartbeat[0]}).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {new byte[0]}).kind());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "B", "BR", "BRB", "BRB\u0002", "brb\u0002\u0004", "XRB\u0002\u0004",
                "BXB\u0002\u0004", "BRX\u0002\u0004", "GET / HTTP/1.1"})
        void wrongOrShortSignature(String first) {
            byte[] f0 = first.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            // Even when correctly signed, a frame 0 without the "BRB" signature is not ours.
            MalformedMessageException error = rejected(signed(f0));
            assertEquals(UNSUPPORTED_VERSION, error.kind());
            assertTrue(error.getMessage().contains("not a brubeck-service message"), error.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 3, 0x7F, 0x80, 0xFF})
        void otherVersion(int version) {
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] frames = withoutSignature(encoded(codec, message));
                frames[0][3] = (byte) version;
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(UNSUPPORTED_VERSION, error.kind(), message.command() + " version " + version);
                assertEquals("protocol version " + version + " (this peer speaks 2)", error.getMessage());
                // and unsigned, as another version's peer would sign differently
                byte[][] unsigned = encoded(codec, message);
                unsigned[0][3] = (byte) version;
                assertEquals(UNSUPPORTED_VERSION, rejected(unsigned).kind());
                // another version may have another shape: the version is checked before anything else
                byte[][] otherShape = {Arrays.copyOf(frames[0], 5), NONE, NONE, NONE, NONE};
                assertEquals(UNSUPPORTED_VERSION, rejected(otherShape).kind());
            }
        }
    }

    // ---- rejections: signature

    @Nested
    class Signature {
        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void wrongPassphrase(WireMessage message) {
            MessageCodec intruder = new MessageCodec(new MessageAuthenticator(SECRET + "x"));
            assertEquals(BAD_SIGNATURE, rejected(encoded(intruder, message)).kind());
            MessageCodec caseOnly = new MessageCodec(new MessageAuthenticator(SECRET.toUpperCase()));
            assertEquals(BAD_SIGNATURE, rejected(encoded(caseOnly, message)).kind());
            // and the other way round
            MalformedMessageException error = assertThrows(MalformedMessageException.class,
                    () -> intruder.decode(encoded(codec, message), encoded(codec, message).length));
            assertEquals(BAD_SIGNATURE, error.kind());
            assertTrue(error.getMessage().contains("signature does not match"), error.getMessage());
        }

        /**
         * A changed bit is never accepted. Where it changes the message's shape (the command byte, a
         * length prefix of a variable field) the shape check, made first, rejects it as malformed;
         * everywhere else the signature does.
         */
        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void everySingleBitFlipPastTheVersionIsCaught(WireMessage message) {
            byte[][] original = encoded(codec, message);
            int badSignatures = 0;
            for (int f = 0; f < original.length; f++) {
                for (int b = f == 0 ? 4 : 0; b < original[f].length; b++) {
                    for (int bit = 0; bit < 8; bit++) {
                        byte[][] tampered = deepCopy(original);
                        tampered[f][b] ^= (byte) (1 << bit);
                        MalformedMessageException error = rejected(tampered); // the kind the specification gives
                        boolean shapeByte = f == 0 && (b == 4 || isLengthPrefixByte(message.command(), original[0], b));
                        if (!shapeByte) {
                            assertEquals(BAD_SIGNATURE, error.kind(), "frame " + f + " byte " + b + " bit " + bit);
                            badSignatures++;
                        }
                    }
                }
            }
            assertTrue(badSignatures > 0);
        }

        private boolean isLengthPrefixByte(Command command, byte[] header, int at) {
            int pos = SpecDecoder.PREFIX + SpecDecoder.FIXED[command.code()];
            for (int field = 0; field < SpecDecoder.VARIABLE[command.code()]; field++) {
                if (at >= pos && at < pos + 4) {
                    return true;
                }
                pos += 4 + ByteBuffer.wrap(header).getInt(pos);
            }
            return false;
        }

        @Test
        void missingShortLongOrEmptyCode() {
            byte[][] frames = encoded(codec, sampleRequest());
            byte[] code = frames[2];
            for (byte[] bad : List.of(new byte[0], Arrays.copyOf(code, 31), Arrays.copyOf(code, 33),
                    Arrays.copyOfRange(code, 1, 33), new byte[32])) {
                byte[][] tampered = frames.clone();
                tampered[2] = bad;
                assertEquals(BAD_SIGNATURE, rejected(tampered).kind());
            }
            // Without its signature frame, or with the code appended twice, a REQUEST has the wrong
            // number of frames: that is found before the signature is looked at.
            MalformedMessageException missing = rejected(frames, 2);
            assertEquals(MALFORMED, missing.kind());
            assertEquals("REQUEST must have 3 frames, had 2", missing.getMessage());
            byte[][] doubled = Arrays.copyOf(frames, 4);
            doubled[3] = code;
            MalformedMessageException twice = rejected(doubled);
            assertEquals(MALFORMED, twice.kind());
            assertEquals("REQUEST must have 3 frames, had 4", twice.getMessage());
            // the body taken for the code
            assertEquals(BAD_SIGNATURE, rejected(new byte[][] {frames[0], frames[1], frames[1]}).kind());
        }

        @Test
        void fieldsExchangedOrResizedWithinTheHeader() {
            WireMessage.Request request = new WireMessage.Request(9, 1000, 0, bytes("request"), bytes("/ab"), NONE,
                    bytes("{}"), bytes("body"));
            byte[][] frames = encoded(codec, request);
            byte[] fixed = Arrays.copyOfRange(frames[0], 21, 41);
            assertArrayEquals(header(2, fixed, bytes("request"), bytes("/ab"), NONE, bytes("{}")), frames[0]);

            // the same bytes with a boundary moved: "/a" + "b" instead of "/ab" + ""
            byte[][] moved = frames.clone();
            moved[0] = header(2, fixed, bytes("request"), bytes("/a"), bytes("b"), bytes("{}"));
            assertEquals(BAD_SIGNATURE, rejected(moved).kind());
            // path and METHOD exchanged, lengths and all
            byte[][] exchanged = frames.clone();
            exchanged[0] = header(2, fixed, bytes("/ab"), bytes("request"), NONE, bytes("{}"));
            assertEquals(BAD_SIGNATURE, rejected(exchanged).kind());
            // a field that was empty given the arguments' bytes
            byte[][] copied = frames.clone();
            copied[0] = header(2, fixed, bytes("request"), bytes("/ab"), bytes("{}"), bytes("{}"));
            assertEquals(BAD_SIGNATURE, rejected(copied).kind());
        }

        @Test
        void framesSplitOrJoinedOrBytesMovedAcrossAFrameBoundary() {
            WireMessage.Request request = new WireMessage.Request(9, 1000, 0, bytes("request"), bytes("/ab"), NONE,
                    bytes("{}"), bytes("body"));
            byte[][] frames = encoded(codec, request);
            byte[] fixed = Arrays.copyOfRange(frames[0], 21, 41);
            byte[] code = frames[2];

            // the last byte of the arguments moved to the front of the body
            byte[][] moved = {header(2, fixed, bytes("request"), bytes("/ab"), NONE, bytes("{")), bytes("}body"), code};
            assertEquals(BAD_SIGNATURE, rejected(moved).kind());

            // the body split in two frames: one frame too many
            byte[][] split = {frames[0], bytes("bo"), bytes("dy"), code};
            assertEquals(MALFORMED, rejected(split).kind());

            // header and body joined in one frame: the header no longer ends with its last field
            byte[] joinedHeader = Arrays.copyOf(frames[0], frames[0].length + 4);
            System.arraycopy(bytes("body"), 0, joinedHeader, frames[0].length, 4);
            assertEquals(MALFORMED, rejected(new byte[][] {joinedHeader, NONE, code}).kind());
            assertEquals(MALFORMED, rejected(new byte[][] {joinedHeader, code}).kind());

            // header and body exchanged
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {frames[1], frames[0], code}).kind());
        }

        @Test
        void aSignatureDoesNotCarryOverToAnotherMessage() {
            byte[][] one = encoded(codec, new WireMessage.Heartbeat(100));
            byte[][] other = encoded(codec, new WireMessage.Heartbeat(101));
            assertEquals(BAD_SIGNATURE, rejected(new byte[][] {one[0], other[1]}).kind());
            byte[][] refuseOne = encoded(codec, new WireMessage.Refuse(1));
            byte[][] refuseTwo = encoded(codec, new WireMessage.Refuse(2));
            assertEquals(BAD_SIGNATURE, rejected(new byte[][] {refuseOne[0], refuseTwo[1]}).kind());
        }
    }

    // ---- rejections: signed correctly but malformed

    @Nested
    class Malformed {
        @ParameterizedTest
        @ValueSource(ints = {0, 7, 8, 0x10, 0x7F, 0x80, 0xFF})
        void unknownCommand(int code) {
            MalformedMessageException error = rejected(signed(frame0(code, 0).array()));
            assertEquals(MALFORMED, error.kind());
            assertEquals("unknown command " + code, error.getMessage());
            // also with the frames of a real message around it
            byte[][] request = withoutSignature(encoded(codec, sampleRequest()));
            request[0][4] = (byte) code;
            assertEquals(MALFORMED, rejected(signed(request)).kind());
        }

        static Stream<Arguments> commandsWithShapes() {
            // command, frames including the signature, length of the prefix and fixed fields
            return Stream.of(Arguments.of(Command.READY, 2, 33), Arguments.of(Command.REQUEST, 3, 41),
                    Arguments.of(Command.REPLY, 3, 47), Arguments.of(Command.HEARTBEAT, 2, 25),
                    Arguments.of(Command.DISCONNECT, 2, 21), Arguments.of(Command.REFUSE, 2, 29));
        }

        private byte[][] validUnsigned(Command command) {
            WireMessage message = everyMessageType().filter(m -> m.command() == command).findFirst().orElseThrow();
            return withoutSignature(encoded(codec, message));
        }

        @ParameterizedTest
        @MethodSource("commandsWithShapes")
        void wrongFrameCount(Command command, int frameCount, int fixedLength) throws Exception {
            byte[][] valid = validUnsigned(command);
            assertEquals(frameCount - 1, valid.length);
            assertEquals(command, decode(signed(valid)).command(), "the unchanged frames are valid");
            for (int unsignedCount = 1; unsignedCount <= MessageCodec.MAX_FRAMES + 2; unsignedCount++) {
                if (unsignedCount == frameCount - 1) {
                    continue;
                }
                byte[][] frames = new byte[unsignedCount][];
                for (int i = 0; i < unsignedCount; i++) {
                    frames[i] = i < valid.length ? valid[i] : "extra".getBytes(UTF_8);
                }
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(MALFORMED, error.kind(), command + " with " + (unsignedCount + 1) + " frames");
                assertEquals(command + " must have " + frameCount + " frames, had " + (unsignedCount + 1),
                        error.getMessage());
            }
        }

        @ParameterizedTest
        @MethodSource("commandsWithShapes")
        void headerShorterThanItsFixedFields(Command command, int frameCount, int fixedLength) {
            byte[][] valid = validUnsigned(command);
            for (int length = 5; length < fixedLength; length++) {
                byte[][] frames = valid.clone();
                frames[0] = Arrays.copyOf(valid[0], length);
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(MALFORMED, error.kind(), command + " header of " + length + " bytes");
                assertEquals(command + " header must be at least " + fixedLength + " bytes, was " + length,
                        error.getMessage());
            }
        }

        @ParameterizedTest
        @MethodSource("commandsWithShapes")
        void nothingMayFollowTheLastField(Command command, int frameCount, int fixedLength) {
            byte[][] valid = validUnsigned(command);
            for (int extra : new int[] {1, 3, 4, 8, 64}) {
                byte[][] frames = valid.clone();
                frames[0] = Arrays.copyOf(valid[0], valid[0].length + extra);
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(MALFORMED, error.kind(), command + " header with " + extra + " bytes more");
                assertEquals(command + " header has " + extra + " bytes after its last field", error.getMessage());
            }
        }

        static Stream<Arguments> commandsWithVariableFields() {
            return Stream.of(Arguments.of(Command.READY, 2), Arguments.of(Command.REQUEST, 4),
                    Arguments.of(Command.REPLY, 4));
        }

        /** A header of the command whose fields are given as length prefixes and contents, taken as they are. */
        private byte[][] withRawFields(Command command, byte[] rawFields) {
            byte[][] frames = validUnsigned(command);
            int fixedEnd = SpecDecoder.PREFIX + SpecDecoder.FIXED[command.code()];
            frames[0] = ByteBuffer.allocate(fixedEnd + rawFields.length).put(frames[0], 0, fixedEnd).put(rawFields).array();
            return signed(frames);
        }

        @ParameterizedTest
        @MethodSource("commandsWithVariableFields")
        void theHeaderEndsInsideAFieldsLength(Command command, int fields) {
            for (int field = 1; field <= fields; field++) {
                for (int partial = 0; partial < 4; partial++) {
                    // the fields before are empty, then only part of the next length prefix
                    byte[] raw = new byte[4 * (field - 1) + partial];
                    MalformedMessageException error = rejected(withRawFields(command, raw));
                    assertEquals(MALFORMED, error.kind());
                    assertEquals(command + " header ends inside field " + field, error.getMessage());
                }
            }
        }

        @ParameterizedTest
        @MethodSource("commandsWithVariableFields")
        void aFieldClaimsMoreBytesThanRemainOrANegativeLength(Command command, int fields) throws Exception {
            for (int field = 1; field <= fields; field++) {
                int remaining = 4 * (fields - field) + 3; // room for the lengths of the fields after it, nearly
                for (int claim : new int[] {remaining + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
                    ByteBuffer raw = ByteBuffer.allocate(4 * field + remaining);
                    raw.position(4 * (field - 1));
                    raw.putInt(claim);
                    MalformedMessageException error = rejected(withRawFields(command, raw.array()));
                    assertEquals(MALFORMED, error.kind());
                    assertEquals(command + " header field " + field + " claims " + Integer.toUnsignedString(claim)
                            + " bytes; " + remaining + " remain", error.getMessage());
                }
                if (field == fields) {
                    // exactly what remains is right for the last field
                    ByteBuffer raw = ByteBuffer.allocate(4 * field + remaining);
                    raw.position(4 * (field - 1));
                    raw.putInt(remaining);
                    assertEquals(command, decode(withRawFields(command, raw.array())).command());
                }
            }
        }

        @Test
        void theProtocolDocumentsReasons() {
            // the examples of docs/PROTOCOL.md, section 6, check 7
            byte[] readyFixed = ByteBuffer.allocate(12).putInt(1).putInt(1000).putInt(4096).array();
            byte[] ready = ByteBuffer.allocate(33 + 4 + 20).put(frame0(1, 12).put(readyFixed).array()).putInt(-1)
                    .array();
            assertEquals("READY header field 1 claims 4294967295 bytes; 20 remain", rejected(signed(ready)).getMessage());
            byte[] request = ByteBuffer.allocate(41 + 8 + 2).put(validUnsigned(Command.REQUEST)[0], 0, 41).array();
            assertEquals("REQUEST header ends inside field 3", rejected(signed(request, NONE)).getMessage());
            byte[] heartbeat = frame0(4, 5).putInt(1000).array();
            assertEquals("HEARTBEAT header has 1 bytes after its last field", rejected(signed(heartbeat)).getMessage());
            // check 6
            assertEquals("READY must have 2 frames, had 3",
                    rejected(signed(validUnsigned(Command.READY)[0], NONE)).getMessage());
            assertEquals("READY header must be at least 33 bytes, was 29",
                    rejected(signed(Arrays.copyOf(validUnsigned(Command.READY)[0], 29))).getMessage());
            assertEquals("READY header must be at least 33 bytes, was 13",
                    rejected(signed(Arrays.copyOf(validUnsigned(Command.READY)[0], 13))).getMessage());
            // check 9
            assertEquals("HEARTBEAT heartbeat interval must be between 1 and 600000 ms, was 0",
                    rejected(signed(frame0(4, 4).putInt(0).array())).getMessage());
        }

        @Test
        void checksAreMadeInTheSpecifiedOrder() {
            MessageAuthenticator other = new MessageAuthenticator("another");
            byte[] badCode = new byte[MessageAuthenticator.CODE_LENGTH];
            // 1. signature and version before anything else
            byte[] otherVersion = frame0(0x7F, 0).array();
            otherVersion[3] = 1;
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {otherVersion, NONE, NONE, NONE, badCode}).kind());
            // 2. the command before the shape
            assertEquals("unknown command 9",
                    rejected(new byte[][] {frame0(9, 0).array(), NONE, NONE, NONE, badCode}).getMessage());
            // 3. the frame count and fixed fields before the variable fields and the signature
            assertEquals("REQUEST must have 3 frames, had 2",
                    rejected(new byte[][] {frame0(2, 0).array(), badCode}).getMessage());
            assertEquals("REFUSE header must be at least 29 bytes, was 25",
                    rejected(new byte[][] {frame0(6, 4).array(), badCode}).getMessage());
            // 4. the variable fields before the signature
            byte[][] ready = {frame0(1, 12).putInt(1).putInt(1000).putInt(4096).array(), null};
            ready[1] = other.sign(ready, 1);
            assertEquals("READY header ends inside field 1", rejected(ready).getMessage());
            // 5. the signature before the ranges: a peer without the secret learns nothing about them
            byte[][] heartbeat = {frame0(4, 4).putInt(0).array(), null};
            heartbeat[1] = other.sign(heartbeat, 1);
            assertEquals(BAD_SIGNATURE, rejected(heartbeat).kind());
        }

        private byte[][] reply(int status) {
            byte[] fixed = ByteBuffer.allocate(26).putLong(5).putShort((short) status).putLong(1).putLong(2).array();
            return signed(header(3, fixed, bytes("m"), bytes("response"), NONE, NONE), NONE);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 99, 600, 999, 0x7FFF, 0xFFFF})
        void replyStatusOutOfRange(int status) {
            MalformedMessageException error = rejected(reply(status));
            assertEquals(MALFORMED, error.kind());
            assertEquals("REPLY status " + status + " is not between 100 and 599", error.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {100, 200, 404, 503, 599})
        void replyStatusInRange(int status) throws Exception {
            assertEquals(status, assertInstanceOf(WireMessage.Reply.class, decode(reply(status))).statusCode());
        }

        private byte[][] ready(int capacity, int heartbeat, int maxMessageSize) {
            byte[] fixed = ByteBuffer.allocate(12).putInt(capacity).putInt(heartbeat).putInt(maxMessageSize).array();
            return signed(header(1, fixed, bytes("svc"), bytes("label")));
        }

        @Test
        void readyFieldsOutOfRange() throws Exception {
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                assertTrue(rejected(ready(bad, 1000, 4096)).getMessage().contains("capacity"), "capacity " + bad);
            }
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE, 600_001, Integer.MAX_VALUE}) {
                assertTrue(rejected(ready(4, bad, 4096)).getMessage().contains("heartbeat interval"), "heartbeat " + bad);
            }
            for (int bad : new int[] {1023, 0, -1, Integer.MIN_VALUE}) {
                MalformedMessageException error = rejected(ready(4, 1000, bad));
                assertEquals("READY maximum message size must be at least 1024, was " + bad, error.getMessage());
            }
            assertEquals(new WireMessage.Ready(1, 1, 1024, "svc", "label"), decode(ready(1, 1, 1024)));
            assertEquals(new WireMessage.Ready(Integer.MAX_VALUE, 600_000, Integer.MAX_VALUE, "svc", "label"),
                    decode(ready(Integer.MAX_VALUE, 600_000, Integer.MAX_VALUE)));
        }

        @Test
        void heartbeatIntervalOutOfRange() throws Exception {
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE, 600_001, Integer.MAX_VALUE}) {
                byte[][] frames = signed(frame0(4, 4).putInt(bad).array());
                MalformedMessageException error = rejected(frames);
                assertEquals(MALFORMED, error.kind(), "interval " + bad);
                assertEquals("HEARTBEAT heartbeat interval must be between 1 and 600000 ms, was " + bad, error.getMessage());
            }
            assertEquals(new WireMessage.Heartbeat(1), decode(signed(frame0(4, 4).putInt(1).array())));
            assertEquals(new WireMessage.Heartbeat(600_000), decode(signed(frame0(4, 4).putInt(600_000).array())));
        }

        @Test
        void requestTimeToLiveOutOfRange() throws Exception {
            byte[][] valid = withoutSignature(encoded(codec, sampleRequest()));
            for (int bad : new int[] {-1, -30_000, Integer.MIN_VALUE}) {
                byte[][] frames = valid.clone();
                frames[0] = valid[0].clone();
                ByteBuffer.wrap(frames[0]).putInt(29, bad); // after the prefix (21) and the correlation id (8)
                assertEquals(MALFORMED, rejected(signed(frames)).kind(), "ttl " + bad);
            }
            for (int good : new int[] {0, 1, Integer.MAX_VALUE}) {
                byte[][] frames = valid.clone();
                frames[0] = valid[0].clone();
                ByteBuffer.wrap(frames[0]).putInt(29, good);
                assertEquals(good, assertInstanceOf(WireMessage.Request.class, decode(signed(frames))).ttlMillis());
            }
        }

        @Test
        void disconnectWithExtraBytesOrFrames() {
            assertEquals(MALFORMED, rejected(signed(frame0(5, 1).array())).kind());
            assertEquals(MALFORMED, rejected(signed(frame0(5, 0).array(), new byte[0])).kind());
        }

        @Test
        void refuseHasExactlyItsCorrelationId() throws Exception {
            assertEquals(MALFORMED, rejected(signed(frame0(6, 7).array())).kind());
            assertEquals(MALFORMED, rejected(signed(frame0(6, 9).array())).kind());
            assertEquals(MALFORMED, rejected(signed(frame0(6, 8).putLong(1).array(), NONE)).kind());
            // any id is accepted: it is the client's to match
            for (long id : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
                assertEquals(new WireMessage.Refuse(id), decode(signed(frame0(6, 8).putLong(id).array())));
            }
        }

        @Test
        void malformedIsOnlyReportedForCorrectlySignedFrames() {
            // The same out-of-range heartbeat, signed with another passphrase: the signature is checked first.
            MessageAuthenticator other = new MessageAuthenticator("another");
            byte[][] frames = {frame0(4, 4).putInt(0).array(), null};
            frames[1] = other.sign(frames, 1);
            assertEquals(BAD_SIGNATURE, rejected(frames).kind());
        }
    }

    // ---- the authenticator

    @Nested
    class Authenticator {
        @Test
        void rejectsAMissingOrEmptyPassphrase() {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> new MessageAuthenticator(""));
            assertTrue(empty.getMessage().toLowerCase().contains("passphrase"), empty.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new MessageAuthenticator(null));
        }

        @Test
        void acceptsAnyNonEmptyPassphrase() {
            for (String passphrase : List.of(" ", "x", "pässwörd ✓", "a".repeat(1000))) {
                MessageAuthenticator auth = new MessageAuthenticator(passphrase);
                byte[][] frames = {"hello".getBytes(UTF_8)};
                byte[] code = auth.sign(frames, 1);
                assertEquals(MessageAuthenticator.CODE_LENGTH, code.length);
                assertTrue(auth.verify(frames, 1, code));
                assertTrue(new MessageAuthenticator(passphrase).verify(frames, 1, code));
            }
        }

        @Test
        void verifyAcceptsOnlyTheExactCode() {
            byte[][] frames = {"a".getBytes(UTF_8), new byte[0], allByteValues()};
            byte[] code = authenticator.sign(frames, 3);
            assertTrue(authenticator.verify(frames, 3, code));
            assertTrue(authenticator.verify(frames, 3, code.clone()));
            for (int i = 0; i < code.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] other = code.clone();
                    other[i] ^= (byte) (1 << bit);
                    assertFalse(authenticator.verify(frames, 3, other), "byte " + i + " bit " + bit);
                }
            }
            assertFalse(authenticator.verify(frames, 3, new byte[0]));
            assertFalse(authenticator.verify(frames, 3, Arrays.copyOf(code, 31)));
            assertFalse(authenticator.verify(frames, 3, Arrays.copyOf(code, 33)));
            assertFalse(authenticator.verify(frames, 3, Arrays.copyOf(code, 64)));
            assertFalse(authenticator.verify(frames, 2, code));
            assertFalse(new MessageAuthenticator(SECRET + " ").verify(frames, 3, code));
        }

        @Test
        void signCoversOnlyTheFirstCountFrames() {
            byte[][] frames = {"a".getBytes(UTF_8), "b".getBytes(UTF_8), "c".getBytes(UTF_8)};
            assertArrayEquals(authenticator.sign(new byte[][] {frames[0], frames[1]}, 2), authenticator.sign(frames, 2));
            assertFalse(Arrays.equals(authenticator.sign(frames, 2), authenticator.sign(frames, 3)));
            assertFalse(Arrays.equals(authenticator.sign(frames, 0), authenticator.sign(new byte[][] {new byte[0]}, 1)),
                    "no frames and one empty frame must differ");
        }

        @Test
        void signIsThreadSafe() throws Exception {
            byte[][] frames = encoded(codec, sampleRequest());
            byte[] expected = frames[2];
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    tasks.add(() -> IntStream.range(0, 2000).allMatch(i ->
                            Arrays.equals(expected, authenticator.sign(frames, 2))
                                    && authenticator.verify(frames, 2, expected)));
                }
                for (Future<Boolean> result : pool.invokeAll(tasks)) {
                    assertTrue(result.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
