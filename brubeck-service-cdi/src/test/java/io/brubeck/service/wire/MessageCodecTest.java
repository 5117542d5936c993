package io.brubeck.service.wire;

import static io.brubeck.service.wire.MalformedMessageException.Kind.BAD_SIGNATURE;
import static io.brubeck.service.wire.MalformedMessageException.Kind.MALFORMED;
import static io.brubeck.service.wire.MalformedMessageException.Kind.UNSUPPORTED_VERSION;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The wire codec against the layout the protocol specifies: frame 0 is {@code "BRB"}, version 1, the
 * command byte and the command's fixed fields in network byte order; variable fields one per frame;
 * the last frame is an HMAC-SHA256 keyed by the passphrase over every frame before it, each frame
 * preceded by its length as a 4-byte big-endian integer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageCodecTest {
    static final String SECRET = "codec-test-secret";

    private final MessageAuthenticator authenticator = new MessageAuthenticator(SECRET);
    private final MessageCodec codec = new MessageCodec(authenticator);

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
        return new WireMessage.Ready(16, 1000, "slow-ü", "4711@host");
    }

    static Stream<WireMessage> everyMessageType() {
        return Stream.of(sampleReady(), sampleRequest(), sampleReply(), new WireMessage.Heartbeat(250),
                new WireMessage.Disconnect());
    }

    // ---- helpers

    /** Frames with a correct signature over the given unsigned frames. */
    private byte[][] signed(byte[]... unsigned) {
        byte[][] frames = Arrays.copyOf(unsigned, unsigned.length + 1);
        frames[unsigned.length] = authenticator.sign(frames, unsigned.length);
        return frames;
    }

    /** The first {@code n} frames of {@code frames}, copied. */
    private static byte[][] withoutSignature(byte[][] frames) {
        return Arrays.copyOf(frames, frames.length - 1);
    }

    private static ByteBuffer frame0(int command, int fixedLength) {
        return ByteBuffer.allocate(5 + fixedLength).put((byte) 'B').put((byte) 'R').put((byte) 'B').put((byte) 1)
                .put((byte) command);
    }

    private MalformedMessageException rejected(byte[][] frames) {
        return rejected(frames, frames.length);
    }

    private MalformedMessageException rejected(byte[][] frames, int count) {
        return assertThrows(MalformedMessageException.class, () -> codec.decode(frames, count),
                () -> "expected rejection of " + describe(frames, count));
    }

    private WireMessage decode(byte[][] frames) throws MalformedMessageException {
        return codec.decode(frames, frames.length);
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
            // Ready, Heartbeat and Disconnect are records without arrays: equals compares every field.
            assertEquals(expected, actual);
        }
    }

    // ---- round trips

    @Nested
    class RoundTrip {
        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void everyMessageTypeSurvivesEncodeAndDecode(WireMessage message) throws Exception {
            byte[][] frames = codec.encode(message);
            assertSameMessage(message, decode(frames));
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void aPeerWithTheSamePassphraseDecodesIt(WireMessage message) throws Exception {
            MessageCodec peer = new MessageCodec(new MessageAuthenticator(SECRET));
            assertSameMessage(message, peer.decode(codec.encode(message), codec.encode(message).length));
        }

        @Test
        void emptyVariableFieldsSurvive() throws Exception {
            byte[] none = MessageCodec.empty();
            WireMessage.Request request = new WireMessage.Request(0, 0, 0, none, none, none, none, none);
            assertSameMessage(request, decode(codec.encode(request)));
            WireMessage.Reply reply = new WireMessage.Reply(0, 100, 0, 0, none, none, none, none, none);
            assertSameMessage(reply, decode(codec.encode(reply)));
            WireMessage.Ready ready = new WireMessage.Ready(1, 1, "", "");
            assertSameMessage(ready, decode(codec.encode(ready)));
        }

        @Test
        void extremeFixedFieldValuesSurvive() throws Exception {
            byte[] body = new byte[1 << 20];
            new java.util.Random(7).nextBytes(body);
            WireMessage.Request request = new WireMessage.Request(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
                    "delete".getBytes(UTF_8), "/".getBytes(UTF_8), new byte[0], new byte[0], body);
            assertSameMessage(request, decode(codec.encode(request)));
            WireMessage.Reply reply = new WireMessage.Reply(Long.MAX_VALUE, 599, Long.MIN_VALUE, -1L,
                    new byte[0], new byte[0], new byte[0], new byte[0], body);
            assertSameMessage(reply, decode(codec.encode(reply)));
            assertSameMessage(new WireMessage.Ready(Integer.MAX_VALUE, Integer.MAX_VALUE, "s", "l"),
                    decode(codec.encode(new WireMessage.Ready(Integer.MAX_VALUE, Integer.MAX_VALUE, "s", "l"))));
            assertSameMessage(new WireMessage.Heartbeat(Integer.MAX_VALUE),
                    decode(codec.encode(new WireMessage.Heartbeat(Integer.MAX_VALUE))));
        }

        @Test
        void decodeReadsOnlyTheFirstCountFramesOfAReusedBuffer() throws Exception {
            // The socket loops read into one reusable array; entries past the count are stale.
            byte[][] heartbeat = codec.encode(new WireMessage.Heartbeat(99));
            byte[][] buffer = new byte[MessageCodec.MAX_FRAMES + 1][];
            Arrays.fill(buffer, "stale".getBytes(UTF_8));
            System.arraycopy(heartbeat, 0, buffer, 0, heartbeat.length);
            assertEquals(new WireMessage.Heartbeat(99), codec.decode(buffer, heartbeat.length));
        }

        @Test
        void encodingIsDeterministicAndDoesNotDependOnTheInstance() {
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] first = codec.encode(message);
                byte[][] second = new MessageCodec(new MessageAuthenticator(SECRET)).encode(message);
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
            assertEquals(1, frame0[3], "version");
            assertEquals(command, frame0[4], "command code");
        }

        @Test
        void commandCodes() {
            assertEquals(1, Command.READY.code());
            assertEquals(2, Command.REQUEST.code());
            assertEquals(3, Command.REPLY.code());
            assertEquals(4, Command.HEARTBEAT.code());
            assertEquals(5, Command.DISCONNECT.code());
            assertEquals(1, MessageCodec.VERSION);
        }

        @Test
        void ready() {
            byte[][] frames = codec.encode(new WireMessage.Ready(0x01020304, 0x0A0B0C0D, "slow-ü", "4711@host"));
            assertEquals(4, frames.length);
            assertPrefix(frames[0], 1);
            assertArrayEquals(new byte[] {'B', 'R', 'B', 1, 1, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D}, frames[0]);
            assertArrayEquals("slow-ü".getBytes(UTF_8), frames[1]);
            assertArrayEquals("4711@host".getBytes(UTF_8), frames[2]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[3].length);
        }

        @Test
        void request() {
            WireMessage.Request request = sampleRequest();
            byte[][] frames = codec.encode(request);
            assertEquals(7, frames.length);
            assertPrefix(frames[0], 2);
            assertEquals(25, frames[0].length);
            assertArrayEquals(new byte[] {'B', 'R', 'B', 1, 2,
                    1, 2, 3, 4, 5, 6, 7, 8,                    // correlation id
                    0, 0, 0x75, 0x30,                          // ttl 30000
                    0, 0, 0x01, (byte) 0x8B, (byte) 0xCF, (byte) 0xE5, 0x68, 0x7B}, // 1700000000123
                    frames[0]);
            assertArrayEquals(request.method(), frames[1]);
            assertArrayEquals(request.path(), frames[2]);
            assertArrayEquals(request.headers(), frames[3]);
            assertArrayEquals(request.arguments(), frames[4]);
            assertArrayEquals(request.body(), frames[5]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[6].length);
        }

        @Test
        void reply() {
            WireMessage.Reply reply = new WireMessage.Reply(0x1122334455667788L, 404, 0x0102030405060708L, -1L,
                    "No route".getBytes(UTF_8), "response".getBytes(UTF_8), new byte[0], "{}".getBytes(UTF_8),
                    new byte[] {0, (byte) 0xFF});
            byte[][] frames = codec.encode(reply);
            assertEquals(7, frames.length);
            assertPrefix(frames[0], 3);
            assertArrayEquals(new byte[] {'B', 'R', 'B', 1, 3,
                    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, // correlation id
                    0x01, (byte) 0x94,                                  // status 404
                    1, 2, 3, 4, 5, 6, 7, 8,                             // start
                    -1, -1, -1, -1, -1, -1, -1, -1},                   // end
                    frames[0]);
            assertArrayEquals("No route".getBytes(UTF_8), frames[1]);
            assertArrayEquals("response".getBytes(UTF_8), frames[2]);
            assertArrayEquals(new byte[0], frames[3]);
            assertArrayEquals("{}".getBytes(UTF_8), frames[4]);
            assertArrayEquals(new byte[] {0, (byte) 0xFF}, frames[5]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[6].length);
        }

        @Test
        void statusAbove32767IsUnsignedOnTheWire() throws Exception {
            // Not a valid HTTP status, but shows the field is an unsigned 16-bit integer.
            byte[] f0 = frame0(3, 26).putLong(1).putShort((short) 0x8000).putLong(0).putLong(0).array();
            byte[] e = new byte[0];
            MalformedMessageException error = rejected(signed(f0, e, e, e, e, e));
            assertEquals(MALFORMED, error.kind());
            assertTrue(error.getMessage().contains("32768"), error.getMessage());
        }

        @Test
        void heartbeat() {
            byte[][] frames = codec.encode(new WireMessage.Heartbeat(0x00012345));
            assertEquals(2, frames.length);
            assertArrayEquals(new byte[] {'B', 'R', 'B', 1, 4, 0, 1, 0x23, 0x45}, frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @Test
        void disconnect() {
            byte[][] frames = codec.encode(new WireMessage.Disconnect());
            assertEquals(2, frames.length);
            assertArrayEquals(new byte[] {'B', 'R', 'B', 1, 5}, frames[0]);
            assertEquals(MessageAuthenticator.CODE_LENGTH, frames[1].length);
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void lastFrameIsHmacSha256OverLengthPrefixedFrames(WireMessage message) throws Exception {
            byte[][] frames = codec.encode(message);
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
                for (byte[] frame : codec.encode(message)) {
                    assertFalse(new String(frame, java.nio.charset.StandardCharsets.ISO_8859_1).contains(SECRET));
                }
            }
        }
    }

    // ---- rejections: not this protocol / version

    @Nested
    class NotThisProtocol {
        @Test
        void noFramesOrOnlyOne() {
            byte[][] heartbeat = codec.encode(new WireMessage.Heartbeat(100));
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[0][], 0).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(heartbeat, 1).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {heartbeat[0]}).kind());
            assertEquals(UNSUPPORTED_VERSION, rejected(new byte[][] {new byte[0]}).kind());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "B", "BR", "BRB", "BRB\u0001", "brb\u0001\u0004", "XRB\u0001\u0004",
                "BXB\u0001\u0004", "BRX\u0001\u0004", "GET / HTTP/1.1"})
        void wrongOrShortSignature(String first) {
            byte[] f0 = first.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            // Even when correctly signed, a frame 0 without the "BRB" signature is not ours.
            MalformedMessageException error = rejected(signed(f0));
            assertEquals(UNSUPPORTED_VERSION, error.kind());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 2, 3, 0x7F, 0x80, 0xFF})
        void otherVersion(int version) {
            for (WireMessage message : everyMessageType().toList()) {
                byte[][] frames = withoutSignature(codec.encode(message));
                frames[0][3] = (byte) version;
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(UNSUPPORTED_VERSION, error.kind(), message.command() + " version " + version);
                assertTrue(error.getMessage().contains(String.valueOf(version)), error.getMessage());
                // and unsigned, as another version's peer would sign differently
                byte[][] unsigned = codec.encode(message);
                unsigned[0][3] = (byte) version;
                assertEquals(UNSUPPORTED_VERSION, rejected(unsigned).kind());
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
            assertEquals(BAD_SIGNATURE, rejected(intruder.encode(message)).kind());
            MessageCodec caseOnly = new MessageCodec(new MessageAuthenticator(SECRET.toUpperCase()));
            assertEquals(BAD_SIGNATURE, rejected(caseOnly.encode(message)).kind());
            // and the other way round
            assertThrows(MalformedMessageException.class,
                    () -> intruder.decode(codec.encode(message), codec.encode(message).length));
        }

        @ParameterizedTest
        @MethodSource("io.brubeck.service.wire.MessageCodecTest#everyMessageType")
        void everySingleBitFlipPastTheVersionIsCaught(WireMessage message) {
            byte[][] original = codec.encode(message);
            for (int f = 0; f < original.length; f++) {
                for (int b = f == 0 ? 4 : 0; b < original[f].length; b++) {
                    for (int bit = 0; bit < 8; bit++) {
                        byte[][] tampered = deepCopy(original);
                        tampered[f][b] ^= (byte) (1 << bit);
                        MalformedMessageException error = rejected(tampered);
                        assertEquals(BAD_SIGNATURE, error.kind(), "frame " + f + " byte " + b + " bit " + bit);
                    }
                }
            }
        }

        @Test
        void missingShortLongOrEmptyCode() {
            byte[][] frames = codec.encode(sampleRequest());
            byte[] code = frames[6];
            for (byte[] bad : List.of(new byte[0], Arrays.copyOf(code, 31), Arrays.copyOf(code, 33),
                    Arrays.copyOfRange(code, 1, 33), new byte[32])) {
                byte[][] tampered = frames.clone();
                tampered[6] = bad;
                assertEquals(BAD_SIGNATURE, rejected(tampered).kind());
            }
            // without its signature frame the body is taken for the code
            assertEquals(BAD_SIGNATURE, rejected(frames, 6).kind());
            // a code appended twice
            byte[][] doubled = Arrays.copyOf(frames, 8);
            doubled[7] = code;
            assertEquals(BAD_SIGNATURE, rejected(doubled).kind());
        }

        @Test
        void framesReordered() {
            byte[][] frames = codec.encode(sampleRequest());
            for (int i = 1; i < 6; i++) {
                for (int j = i + 1; j < 6; j++) {
                    if (Arrays.equals(frames[i], frames[j])) {
                        continue;
                    }
                    byte[][] swapped = frames.clone();
                    swapped[i] = frames[j];
                    swapped[j] = frames[i];
                    assertEquals(BAD_SIGNATURE, rejected(swapped).kind(), "swapped " + i + " and " + j);
                }
            }
            // the signature moved to the front of the variable frames
            byte[][] moved = {frames[0], frames[6], frames[1], frames[2], frames[3], frames[4], frames[5]};
            assertEquals(BAD_SIGNATURE, rejected(moved).kind());
        }

        @Test
        void framesSplitOrJoinedOrBytesMovedAcrossABoundary() {
            WireMessage.Request request = new WireMessage.Request(9, 1000, 0, "request".getBytes(UTF_8),
                    "/ab".getBytes(UTF_8), new byte[0], "{}".getBytes(UTF_8), "body".getBytes(UTF_8));
            byte[][] frames = codec.encode(request);
            byte[] code = frames[6];

            // the same bytes with a boundary moved: "/a" + "b" instead of "/ab" + ""
            byte[][] moved = frames.clone();
            moved[2] = "/a".getBytes(UTF_8);
            moved[3] = "b".getBytes(UTF_8);
            assertEquals(BAD_SIGNATURE, rejected(moved).kind());

            // the body split in two frames
            byte[][] split = {frames[0], frames[1], frames[2], frames[3], frames[4], "bo".getBytes(UTF_8),
                    "dy".getBytes(UTF_8), code};
            assertEquals(BAD_SIGNATURE, rejected(split).kind());

            // path and headers joined
            byte[][] joined = {frames[0], frames[1], "/ab".getBytes(UTF_8), frames[4], frames[5], code};
            assertEquals(BAD_SIGNATURE, rejected(joined).kind());

            // fixed fields of frame 0 pushed into the next frame
            byte[][] shifted = frames.clone();
            shifted[0] = Arrays.copyOf(frames[0], 24);
            shifted[1] = concat(new byte[] {frames[0][24]}, frames[1]);
            assertEquals(BAD_SIGNATURE, rejected(shifted).kind());
        }

        @Test
        void aSignatureDoesNotCarryOverToAnotherMessage() {
            byte[][] one = codec.encode(new WireMessage.Heartbeat(100));
            byte[][] other = codec.encode(new WireMessage.Heartbeat(101));
            assertEquals(BAD_SIGNATURE, rejected(new byte[][] {one[0], other[1]}).kind());
        }
    }

    // ---- rejections: signed correctly but malformed

    @Nested
    class Malformed {
        @ParameterizedTest
        @ValueSource(ints = {0, 6, 7, 0x10, 0x7F, 0x80, 0xFF})
        void unknownCommand(int code) {
            MalformedMessageException error = rejected(signed(frame0(code, 0).array()));
            assertEquals(MALFORMED, error.kind());
            assertTrue(error.getMessage().contains("command"), error.getMessage());
            // also with the frames of a real message around it
            byte[][] request = withoutSignature(codec.encode(sampleRequest()));
            request[0][4] = (byte) code;
            assertEquals(MALFORMED, rejected(signed(request)).kind());
        }

        static Stream<Arguments> commandsWithShapes() {
            // command, frames including the signature, length of frame 0
            return Stream.of(Arguments.of(Command.READY, 4, 13), Arguments.of(Command.REQUEST, 7, 25),
                    Arguments.of(Command.REPLY, 7, 31), Arguments.of(Command.HEARTBEAT, 2, 9),
                    Arguments.of(Command.DISCONNECT, 2, 5));
        }

        private byte[][] validUnsigned(Command command) {
            WireMessage message = everyMessageType().filter(m -> m.command() == command).findFirst().orElseThrow();
            return withoutSignature(codec.encode(message));
        }

        @ParameterizedTest
        @MethodSource("commandsWithShapes")
        void wrongFrameCount(Command command, int frameCount, int frame0Length) throws Exception {
            byte[][] valid = validUnsigned(command);
            assertEquals(frameCount - 1, valid.length);
            assertEquals(frame0Length, valid[0].length);
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
                assertTrue(error.getMessage().contains(String.valueOf(frameCount)), error.getMessage());
            }
        }

        @ParameterizedTest
        @MethodSource("commandsWithShapes")
        void wrongFrame0Length(Command command, int frameCount, int frame0Length) {
            byte[][] valid = validUnsigned(command);
            for (int length : new int[] {5, frame0Length - 1, frame0Length + 1, frame0Length + 8, 64}) {
                if (length == frame0Length || length < 5) {
                    continue;
                }
                byte[][] frames = valid.clone();
                frames[0] = Arrays.copyOf(valid[0], length);
                MalformedMessageException error = rejected(signed(frames));
                assertEquals(MALFORMED, error.kind(), command + " frame 0 of " + length + " bytes");
                assertTrue(error.getMessage().contains(String.valueOf(frame0Length)), error.getMessage());
            }
        }

        private byte[][] reply(int status) {
            byte[] f0 = frame0(3, 26).putLong(5).putShort((short) status).putLong(1).putLong(2).array();
            byte[] e = new byte[0];
            return signed(f0, "m".getBytes(UTF_8), "response".getBytes(UTF_8), e, e, e);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 99, 600, 999, 0x7FFF, 0xFFFF})
        void replyStatusOutOfRange(int status) {
            MalformedMessageException error = rejected(reply(status));
            assertEquals(MALFORMED, error.kind());
            assertTrue(error.getMessage().contains(String.valueOf(status)), error.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {100, 200, 404, 599})
        void replyStatusInRange(int status) throws Exception {
            assertEquals(status, assertInstanceOf(WireMessage.Reply.class, decode(reply(status))).statusCode());
        }

        private byte[][] ready(int capacity, int heartbeat) {
            return signed(frame0(1, 8).putInt(capacity).putInt(heartbeat).array(), "svc".getBytes(UTF_8),
                    "label".getBytes(UTF_8));
        }

        @Test
        void readyCapacityAndHeartbeatOutOfRange() throws Exception {
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                assertEquals(MALFORMED, rejected(ready(bad, 1000)).kind(), "capacity " + bad);
                assertEquals(MALFORMED, rejected(ready(4, bad)).kind(), "heartbeat " + bad);
            }
            assertEquals(new WireMessage.Ready(1, 1, "svc", "label"), decode(ready(1, 1)));
        }

        @Test
        void heartbeatIntervalOutOfRange() throws Exception {
            for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
                byte[][] frames = signed(frame0(4, 4).putInt(bad).array());
                MalformedMessageException error = rejected(frames);
                assertEquals(MALFORMED, error.kind(), "interval " + bad);
            }
            assertEquals(new WireMessage.Heartbeat(1), decode(signed(frame0(4, 4).putInt(1).array())));
        }

        @Test
        void requestTimeToLiveOutOfRange() throws Exception {
            byte[][] valid = withoutSignature(codec.encode(sampleRequest()));
            for (int bad : new int[] {-1, -30_000, Integer.MIN_VALUE}) {
                byte[][] frames = valid.clone();
                frames[0] = valid[0].clone();
                ByteBuffer.wrap(frames[0]).putInt(13, bad);
                assertEquals(MALFORMED, rejected(signed(frames)).kind(), "ttl " + bad);
            }
            byte[][] frames = valid.clone();
            frames[0] = valid[0].clone();
            ByteBuffer.wrap(frames[0]).putInt(13, 1);
            assertEquals(1, assertInstanceOf(WireMessage.Request.class, decode(signed(frames))).ttlMillis());
        }

        @Test
        void disconnectWithFixedBytes() {
            assertEquals(MALFORMED, rejected(signed(frame0(5, 1).array())).kind());
            assertEquals(MALFORMED, rejected(signed(frame0(5, 0).array(), new byte[0])).kind());
        }

        @Test
        void malformedIsOnlyReportedForCorrectlySignedFrames() {
            // The same malformed heartbeat, signed with another passphrase: the signature is checked first.
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
            byte[][] frames = codec.encode(sampleRequest());
            byte[] expected = frames[6];
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    tasks.add(() -> IntStream.range(0, 2000).allMatch(i ->
                            Arrays.equals(expected, authenticator.sign(frames, 6))
                                    && authenticator.verify(frames, 6, expected)));
                }
                for (Future<Boolean> result : pool.invokeAll(tasks)) {
                    assertTrue(result.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
