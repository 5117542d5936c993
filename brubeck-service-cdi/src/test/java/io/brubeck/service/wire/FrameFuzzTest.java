package io.brubeck.service.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds {@link MessageCodec#decode} seeded random frames and mutations of valid messages. Whatever it
 * is given, it must return a message or throw {@link MalformedMessageException}; anything else (an
 * index, buffer or arithmetic exception) would escape a socket loop's handling of bad peers.
 *
 * <p>Mutations are tried both unsigned (as an attacker without the secret would send them) and
 * re-signed with the right secret, so that they get past the signature check and exercise the
 * field checks behind it. Every outcome is also compared with {@link SpecDecoder}, an independent
 * reading of the protocol: the same frames must be accepted or rejected for the same kind of reason,
 * and an accepted message must carry the fields, and the session's nonces, the protocol places in
 * those bytes. Anything accepted must encode back, in the same session, to the very same frames. Each
 * case prints its seed and case number on failure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameFuzzTest {
    private static final long SEED = 0xB2B_2026L;
    private static final String SECRET = "fuzz-secret";

    private final MessageAuthenticator authenticator = new MessageAuthenticator(SECRET);
    private final MessageCodec codec = new MessageCodec(authenticator);
    private final SpecDecoder spec = new SpecDecoder(SECRET);
    private final Map<MalformedMessageException.Kind, Integer> rejections =
            new EnumMap<>(MalformedMessageException.Kind.class);
    private int accepted;
    private int readyNonceRejections;

    /** Decodes and checks the contract; returns the message or null when rejected. */
    private WireMessage decodeSafely(byte[][] frames, int count, String what) {
        byte[][] before = deepCopy(frames, count);
        SpecDecoder.Outcome expected = spec.decode(before, count);
        WireMessage message;
        try {
            message = codec.decode(frames, count);
            assertNotNull(message, what + ": decode returned null");
            accepted++;
        } catch (MalformedMessageException e) {
            assertNotNull(e.kind(), what);
            assertNotNull(e.getMessage(), what);
            assertEquals(expected.rejection(), e.kind(), what + ": rejected as " + e.kind() + " (" + e.getMessage()
                    + "), the specification says " + (expected.accepted() ? "accept" : expected.reason()));
            rejections.merge(e.kind(), 1, Integer::sum);
            if (e.getMessage().startsWith("READY must carry a sender nonce")) {
                readyNonceRejections++;
            }
            message = null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": decode threw " + e + " for " + describe(frames, count), e);
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(before[i], frames[i], what + ": decode changed frame " + i);
        }
        if (message != null) {
            SpecDecoder.assertDecodedAsSpecified(spec.decode(frames, count), message, frames[0], what);
        }
        return message;
    }

    /** Decodes, and when the frames are accepted, checks they are the canonical encoding of the message. */
    private WireMessage decodeAndCheck(byte[][] frames, int count, String what) {
        WireMessage decoded = decodeSafely(frames, count, what);
        if (decoded != null) {
            checkCanonical(decoded, Arrays.copyOf(frames, count), what);
        }
        return decoded;
    }

    @Test
    void randomFrameArrays() {
        Random random = new Random(SEED);
        int acceptedSigned = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[][] frames;
            int count;
            if (random.nextInt(4) == 0) {
                // A header of the right structure in the right number of frames, so that the
                // signature and range checks are reached.
                frames = wellShapedMessage(random);
                count = frames.length;
            } else {
                count = random.nextInt(MessageCodec.MAX_FRAMES + 4);
                frames = new byte[count][];
                for (int i = 0; i < count; i++) {
                    frames[i] = randomBytes(random, randomLength(random));
                }
                if (count > 0 && random.nextInt(3) > 0) {
                    // A plausible start, so that the version, command and shape checks are reached.
                    frames[0] = random.nextBoolean() ? withPrefix(random, frames[0]) : wellShapedHeader(random);
                }
            }
            decodeAndCheck(frames, count, "random case " + n);
            if (count > 0 && random.nextBoolean()) {
                // The same frames correctly signed: the checks behind the signature must cope with anything.
                byte[][] signed = Arrays.copyOf(frames, count);
                signed[count - 1] = authenticator.sign(signed, count - 1);
                if (decodeAndCheck(signed, count, "random signed case " + n) != null) {
                    acceptedSigned++;
                }
            }
        }
        assertTrue(rejections.keySet().containsAll(List.of(MalformedMessageException.Kind.values())),
                "the fuzzer reached every kind of rejection: " + rejections);
        assertTrue(acceptedSigned > 100, "random signed frames are sometimes valid messages: " + acceptedSigned);
    }

    @Test
    void mutatedValidMessages() {
        Random random = new Random(SEED + 1);
        List<WireMessage> samples = samples(random);
        int acceptedMutants = 0;
        for (int n = 0; n < 40_000; n++) {
            WireMessage sample = samples.get(random.nextInt(samples.size()));
            byte[][] original = encodeInRandomSession(random, sample);
            boolean resign = random.nextBoolean();
            // Mutate the unsigned frames, then either re-sign them or keep the original code.
            List<byte[]> frames = new ArrayList<>(Arrays.asList(deepCopy(original, original.length - 1)));
            int mutations = 1 + random.nextInt(3);
            StringBuilder applied = new StringBuilder();
            for (int m = 0; m < mutations; m++) {
                applied.append(mutate(random, frames)).append(' ');
            }
            byte[][] unsigned = frames.toArray(new byte[0][]);
            frames.add(resign ? authenticator.sign(unsigned, unsigned.length) : original[original.length - 1]);
            if (random.nextInt(10) == 0) {
                // sometimes damage the code itself, or the frames around it, after signing
                applied.append(mutate(random, frames)).append("(after signing) ");
            }
            byte[][] mutated = frames.toArray(new byte[0][]);
            String what = "mutation case " + n + " of " + sample.command() + " [" + applied.toString().trim() + "]"
                    + (resign ? " re-signed" : "");
            if (decodeAndCheck(mutated, mutated.length, what) != null) {
                acceptedMutants++;
            }
        }
        assertTrue(acceptedMutants > 100, "some mutants are still valid messages: " + acceptedMutants);
        assertTrue(rejections.getOrDefault(MalformedMessageException.Kind.MALFORMED, 0) > 1000,
                "re-signed mutants reach the shape checks: " + rejections);
        assertTrue(readyNonceRejections > 10, "re-signed mutants reach the READY nonce check: " + readyNonceRejections);
    }

    @Test
    void truncatedAndExtendedValidMessages() {
        Random random = new Random(SEED + 2);
        for (WireMessage sample : samples(random)) {
            byte[][] frames = encodeInRandomSession(random, sample);
            // every prefix of the frame list, signed or not
            for (int count = 0; count <= frames.length; count++) {
                decodeAndCheck(frames, count, sample.command() + " first " + count + " frames");
                if (count > 0) {
                    byte[][] signed = Arrays.copyOf(frames, count);
                    signed[count - 1] = authenticator.sign(signed, count - 1);
                    decodeAndCheck(signed, count, sample.command() + " first " + count + " frames, re-signed");
                }
            }
            // every truncation of every frame, re-signed, and the same frame grown by a few bytes
            for (int f = 0; f < frames.length - 1; f++) {
                for (int length = 0; length <= frames[f].length + 9; length++) {
                    byte[][] changed = Arrays.copyOf(frames, frames.length);
                    changed[f] = Arrays.copyOf(frames[f], length);
                    if (length > frames[f].length) {
                        for (int i = frames[f].length; i < length; i++) {
                            changed[f][i] = (byte) random.nextInt(256);
                        }
                    }
                    changed[changed.length - 1] = authenticator.sign(changed, changed.length - 1);
                    decodeAndCheck(changed, changed.length, sample.command() + " frame " + f + " to " + length + " bytes");
                }
            }
            // extra frames after the signature, and before it
            for (int extra = 1; extra <= 12; extra++) {
                byte[][] longer = Arrays.copyOf(frames, frames.length + extra);
                for (int i = frames.length; i < longer.length; i++) {
                    longer[i] = randomBytes(random, random.nextInt(40));
                }
                decodeAndCheck(longer, longer.length, sample.command() + " + " + extra + " frames");
                longer[longer.length - 1] = authenticator.sign(longer, longer.length - 1);
                decodeAndCheck(longer, longer.length, sample.command() + " + " + extra + " frames, re-signed");
            }
        }
    }

    /**
     * Whatever decode accepts, encode gives back the same frames in the same session: nothing is
     * silently dropped or changed.
     */
    private void checkCanonical(WireMessage decoded, byte[][] frames, String what) {
        byte[][] again = codec.encode(decoded, MessageCodec.senderNonce(frames[0]),
                MessageCodec.receiverNonce(frames[0]));
        if (decoded instanceof WireMessage.Ready && !textIsUtf8(frames[0])) {
            // READY's text fields are decoded as UTF-8: bytes that are not UTF-8 come back as U+FFFD,
            // so only the message, not its bytes, can survive the round trip.
            WireMessage twice = decodeSafely(again, again.length, what + " re-encoded");
            assertEquals(decoded, twice, what);
            return;
        }
        assertEquals(frames.length, again.length, what);
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], again[i], what + ": frame " + i + " after decode and encode");
        }
    }

    /** Whether both variable fields of a (well-formed) READY header are valid UTF-8. */
    private static boolean textIsUtf8(byte[] header) {
        ByteBuffer buffer = ByteBuffer.wrap(header).position(SpecDecoder.PREFIX + SpecDecoder.FIXED[1]);
        for (int field = 0; field < 2; field++) {
            int length = buffer.getInt();
            ByteBuffer text = buffer.slice().limit(length);
            buffer.position(buffer.position() + length);
            try {
                UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(text);
            } catch (CharacterCodingException e) {
                return false;
            }
        }
        return true;
    }

    // ---- generators

    private List<WireMessage> samples(Random random) {
        List<WireMessage> samples = new ArrayList<>();
        samples.add(new WireMessage.Ready(4, 1000, 8 * 1024 * 1024, "slow", "4711@host"));
        samples.add(new WireMessage.Ready(1, 1, MessageCodec.MIN_MESSAGE_SIZE, "", ""));
        samples.add(new WireMessage.Ready(Integer.MAX_VALUE, MessageCodec.MAX_HEARTBEAT_MILLIS, Integer.MAX_VALUE,
                "slow-ü", "ünïcödé ✓"));
        samples.add(new WireMessage.Heartbeat(100));
        samples.add(new WireMessage.Heartbeat(MessageCodec.MAX_HEARTBEAT_MILLIS));
        samples.add(new WireMessage.Disconnect());
        samples.add(new WireMessage.Refuse(1));
        samples.add(new WireMessage.Refuse(Long.MIN_VALUE));
        samples.add(new WireMessage.Request(1, 30_000, System.currentTimeMillis(), "request".getBytes(UTF_8),
                "/service/slow".getBytes(UTF_8), new byte[0], "{\"RETURN_DATA\":\"x\"}".getBytes(UTF_8), new byte[0]));
        samples.add(new WireMessage.Request(-1, 0, 0, new byte[0], new byte[0], new byte[0], new byte[0],
                randomBytes(random, 300)));
        samples.add(new WireMessage.Reply(1, 200, 1, 2, "OK".getBytes(UTF_8), "response".getBytes(UTF_8),
                "{\"h\":\"v\"}".getBytes(UTF_8), "{\"k\":1}".getBytes(UTF_8), randomBytes(random, 50)));
        samples.add(new WireMessage.Reply(Long.MAX_VALUE, 599, Long.MIN_VALUE, Long.MAX_VALUE, new byte[0],
                new byte[0], new byte[0], new byte[0], new byte[0]));
        samples.add(new WireMessage.Reply(0, 100, 0, 0, randomBytes(random, 3), randomBytes(random, 9),
                randomBytes(random, 1), randomBytes(random, 70), new byte[0]));
        return samples;
    }

    private static int randomLength(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 5 + random.nextInt(43); // around the prefix and fixed-part lengths
            case 2 -> 32;                      // the length of a code
            case 3 -> random.nextInt(2000);
            default -> random.nextInt(12);
        };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Frame 0 starting with "BRB", usually this version, and a command byte near the valid ones. */
    private static byte[] withPrefix(Random random, byte[] frame) {
        byte[] out = frame.length >= 5 && random.nextBoolean() ? frame : Arrays.copyOf(frame, 5 + random.nextInt(48));
        out[0] = 'B';
        out[1] = 'R';
        out[2] = 'B';
        out[3] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : MessageCodec.VERSION;
        out[4] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : random.nextInt(7));
        return out;
    }

    /** A nonce: often zero ("not known yet"), sometimes an extreme, else any. */
    private static long randomNonce(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> 0;
            case 2 -> random.nextBoolean() ? -1 : random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            default -> random.nextLong();
        };
    }

    /** A sender's nonce: never zero. */
    private static long ownNonce(Random random) {
        long nonce = random.nextLong();
        return nonce == 0 ? 1 : nonce;
    }

    /** The message as a sender in a random session sends it: a READY has its sender's nonce and no other. */
    private byte[][] encodeInRandomSession(Random random, WireMessage message) {
        return message instanceof WireMessage.Ready
                ? codec.encode(message, ownNonce(random), 0)
                : codec.encode(message, randomNonce(random), randomNonce(random));
    }

    /**
     * A header with the structure of a random command (usually a valid one): the prefix with nonces
     * (for READY usually the ones it must have), its fixed fields with random (sometimes boundary)
     * values, and its variable fields with lengths that fill the header, so that the checks behind the
     * shape are reached.
     */
    private static byte[] wellShapedHeader(Random random) {
        int command = random.nextInt(10) == 0 ? random.nextInt(8) : 1 + random.nextInt(6);
        int fixed = command >= 1 && command <= 6 ? SpecDecoder.FIXED[command] : random.nextInt(27);
        int variables = command >= 1 && command <= 6 ? SpecDecoder.VARIABLE[command] : random.nextInt(5);
        List<byte[]> fields = new ArrayList<>();
        int length = SpecDecoder.PREFIX + fixed;
        for (int i = 0; i < variables; i++) {
            byte[] field = randomBytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(24));
            fields.add(field);
            length += 4 + field.length;
        }
        ByteBuffer header = ByteBuffer.allocate(length).put((byte) 'B').put((byte) 'R').put((byte) 'B')
                .put(MessageCodec.VERSION).put((byte) command);
        if (command == 1 && random.nextInt(4) > 0) {
            header.putLong(ownNonce(random)).putLong(0);
        } else {
            header.putLong(randomNonce(random)).putLong(randomNonce(random));
        }
        switch (command) {
            case 1 -> header.putInt(edgy(random)).putInt(edgy(random)).putInt(edgy(random));
            case 2 -> header.putLong(random.nextLong()).putInt(edgy(random)).putLong(random.nextLong());
            case 3 -> header.putLong(random.nextLong()).putShort((short) edgy(random)).putLong(random.nextLong())
                    .putLong(random.nextLong());
            case 4 -> header.putInt(edgy(random));
            case 6 -> header.putLong(random.nextLong());
            default -> header.put(randomBytes(random, fixed));
        }
        for (byte[] field : fields) {
            header.putInt(field.length).put(field);
        }
        return header.array();
    }

    /** A well-shaped header, a body when its command has one, and 32 random bytes for the code. */
    private static byte[][] wellShapedMessage(Random random) {
        byte[] header = wellShapedHeader(random);
        int command = header[4];
        int count = command >= 1 && command <= 6 ? SpecDecoder.FRAMES[command] : 2 + random.nextInt(2);
        byte[][] frames = new byte[count][];
        frames[0] = header;
        if (count == 3) {
            frames[1] = randomBytes(random, randomLength(random));
        }
        frames[count - 1] = randomBytes(random, MessageAuthenticator.CODE_LENGTH);
        return frames;
    }

    /** An int near the bounds of the ranged fields, or any. */
    private static int edgy(Random random) {
        int[] edges = {0, 1, -1, 99, 100, 200, 599, 600, 1023, 1024, MessageCodec.MAX_HEARTBEAT_MILLIS,
            MessageCodec.MAX_HEARTBEAT_MILLIS + 1, 0xFFFF, Integer.MIN_VALUE, Integer.MAX_VALUE};
        return random.nextInt(4) == 0 ? random.nextInt() : edges[random.nextInt(edges.length)];
    }

    /** Applies one random mutation to a list of frames; returns its name. */
    private static String mutate(Random random, List<byte[]> frames) {
        if (frames.isEmpty()) {
            frames.add(randomBytes(random, randomLength(random)));
            return "insert-into-empty";
        }
        int f = random.nextInt(frames.size());
        switch (random.nextInt(13)) {
            case 0, 1 -> { // bit flip, often in the nonces or fixed fields of frame 0
                int target = random.nextInt(3) == 0 ? 0 : f;
                byte[] frame = frames.get(target);
                if (frame.length == 0) {
                    return "flip-nothing";
                }
                int at = target == 0 && frame.length > 5 && random.nextBoolean()
                        ? 5 + random.nextInt(frame.length - 5) : random.nextInt(frame.length);
                frame[at] ^= (byte) (1 << random.nextInt(8));
                return "flip" + target + "@" + at;
            }
            case 2 -> { // a nonce or fixed field of frame 0 set to an extreme value
                byte[] frame = frames.get(0);
                if (frame.length < 9) {
                    return "extreme-nothing";
                }
                int at = 5 + random.nextInt(frame.length - 8);
                int value = switch (random.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> Integer.MIN_VALUE;
                    case 3 -> Integer.MAX_VALUE;
                    case 4 -> 0x8000_0000 >>> random.nextInt(32);
                    default -> random.nextInt();
                };
                ByteBuffer.wrap(frame).putInt(at, value);
                return "extreme@" + at + "=" + value;
            }
            case 3 -> { // truncate a frame
                byte[] frame = frames.get(f);
                int length = frame.length == 0 ? 0 : random.nextInt(frame.length);
                frames.set(f, Arrays.copyOf(frame, length));
                return "truncate" + f + "to" + length;
            }
            case 4 -> { // extend a frame
                byte[] frame = frames.get(f);
                int extra = 1 + random.nextInt(random.nextBoolean() ? 4 : 100);
                byte[] longer = Arrays.copyOf(frame, frame.length + extra);
                for (int i = frame.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                frames.set(f, longer);
                return "extend" + f + "by" + extra;
            }
            case 5 -> { // drop a frame
                if (frames.isEmpty()) {
                    return "drop-nothing";
                }
                frames.remove(f);
                return "drop" + f;
            }
            case 6 -> { // insert a frame
                frames.add(random.nextInt(frames.size() + 1), randomBytes(random, randomLength(random)));
                return "insert";
            }
            case 7 -> { // duplicate a frame
                if (frames.isEmpty()) {
                    return "dup-nothing";
                }
                frames.add(f, frames.get(f).clone());
                return "dup" + f;
            }
            case 8 -> { // swap two frames
                if (frames.size() < 2) {
                    return "swap-nothing";
                }
                int g = random.nextInt(frames.size());
                byte[] tmp = frames.get(f);
                frames.set(f, frames.get(g));
                frames.set(g, tmp);
                return "swap" + f + "," + g;
            }
            case 10 -> { // resize a variable field of the header, keeping its length prefix right
                int[] field = variableField(random, frames.get(0));
                if (field == null) {
                    return "resize-nothing";
                }
                byte[] header = frames.get(0);
                byte[] content = randomBytes(random, random.nextInt(3) == 0 ? 0 : random.nextInt(40));
                ByteBuffer resized = ByteBuffer.allocate(header.length - field[1] + content.length)
                        .put(header, 0, field[0] - 4).putInt(content.length).put(content)
                        .put(header, field[0] + field[1], header.length - field[0] - field[1]);
                frames.set(0, resized.array());
                return "resize@" + field[0] + "to" + content.length;
            }
            case 11 -> { // set a variable field's length prefix to a near or extreme value
                int[] field = variableField(random, frames.get(0));
                if (field == null) {
                    return "length-nothing";
                }
                int value = switch (random.nextInt(5)) {
                    case 0 -> field[1] + 1;
                    case 1 -> field[1] - 1;
                    case 2 -> -1;
                    case 3 -> Integer.MIN_VALUE;
                    default -> Integer.MAX_VALUE;
                };
                ByteBuffer.wrap(frames.get(0)).putInt(field[0] - 4, value);
                return "length@" + (field[0] - 4) + "=" + value;
            }
            case 12 -> { // a nonce set to zero, to the other nonce, or to any value
                byte[] frame = frames.get(0);
                if (frame.length < SpecDecoder.PREFIX) {
                    return "nonce-nothing";
                }
                int at = random.nextBoolean() ? 5 : 13;
                long value = switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> ByteBuffer.wrap(frame).getLong(at == 5 ? 13 : 5);
                    default -> random.nextLong();
                };
                ByteBuffer.wrap(frame).putLong(at, value);
                return "nonce@" + at + "=" + Long.toHexString(value);
            }
            default -> { // change the command byte
                byte[] frame = frames.get(0);
                if (frame.length < 5) {
                    return "command-nothing";
                }
                frame[4] = (byte) random.nextInt(8);
                return "command=" + frame[4];
            }
        }
    }

    /**
     * A random variable field of a header, as {start, length}, when the header is shaped as its
     * command requires; null otherwise.
     */
    private static int[] variableField(Random random, byte[] header) {
        if (header.length < 5 || header[4] < 1 || header[4] > 6 || SpecDecoder.VARIABLE[header[4]] == 0) {
            return null;
        }
        int command = header[4];
        int pos = SpecDecoder.PREFIX + SpecDecoder.FIXED[command];
        List<int[]> fields = new ArrayList<>();
        for (int i = 0; i < SpecDecoder.VARIABLE[command]; i++) {
            if (header.length - pos < 4) {
                return null;
            }
            int length = ByteBuffer.wrap(header).getInt(pos);
            pos += 4;
            if (length < 0 || length > header.length - pos) {
                return null;
            }
            fields.add(new int[] {pos, length});
            pos += length;
        }
        return pos == header.length ? fields.get(random.nextInt(fields.size())) : null;
    }

    private static byte[][] deepCopy(byte[][] frames, int count) {
        byte[][] copy = new byte[count][];
        for (int i = 0; i < count; i++) {
            copy[i] = frames[i] == null ? null : frames[i].clone();
        }
        return copy;
    }

    private static String describe(byte[][] frames, int count) {
        StringBuilder out = new StringBuilder(count + " frames:");
        for (int i = 0; i < count; i++) {
            byte[] frame = frames[i];
            out.append(' ').append(frame.length).append("B");
            if (i == 0) {
                out.append(Arrays.toString(Arrays.copyOf(frame, Math.min(frame.length, 32))));
            }
        }
        return out.toString();
    }
}
