package io.brubeck.service.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
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
 * shape and field checks behind it. Each case prints its seed and case number on failure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameFuzzTest {
    private static final long SEED = 0xB2B_2026L;
    private static final String SECRET = "fuzz-secret";

    private final MessageAuthenticator authenticator = new MessageAuthenticator(SECRET);
    private final MessageCodec codec = new MessageCodec(authenticator);
    private final Map<MalformedMessageException.Kind, Integer> rejections =
            new EnumMap<>(MalformedMessageException.Kind.class);
    private int accepted;

    /** Decodes and checks the contract; returns the message or null when rejected. */
    private WireMessage decodeSafely(byte[][] frames, int count, String what) {
        byte[][] before = deepCopy(frames, count);
        WireMessage message;
        try {
            message = codec.decode(frames, count);
            assertNotNull(message, what + ": decode returned null");
            accepted++;
        } catch (MalformedMessageException e) {
            assertNotNull(e.kind(), what);
            assertNotNull(e.getMessage(), what);
            rejections.merge(e.kind(), 1, Integer::sum);
            message = null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": decode threw " + e + " for " + describe(frames, count), e);
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(before[i], frames[i], what + ": decode changed frame " + i);
        }
        return message;
    }

    @Test
    void randomFrameArrays() {
        Random random = new Random(SEED);
        for (int n = 0; n < 20_000; n++) {
            int count = random.nextInt(MessageCodec.MAX_FRAMES + 4);
            byte[][] frames = new byte[count][];
            for (int i = 0; i < count; i++) {
                frames[i] = randomBytes(random, randomLength(random));
            }
            if (count > 0 && random.nextInt(3) > 0) {
                // A plausible start, so that the version and signature checks are reached.
                frames[0] = withPrefix(random, frames[0]);
            }
            decodeSafely(frames, count, "random case " + n);
            if (count > 0 && random.nextBoolean()) {
                // The same frames correctly signed: the shape checks must cope with anything.
                byte[][] signed = Arrays.copyOf(frames, count);
                signed[count - 1] = authenticator.sign(signed, count - 1);
                decodeSafely(signed, count, "random signed case " + n);
            }
        }
        assertTrue(rejections.keySet().containsAll(List.of(MalformedMessageException.Kind.values())),
                "the fuzzer reached every kind of rejection: " + rejections);
    }

    @Test
    void mutatedValidMessages() {
        Random random = new Random(SEED + 1);
        List<WireMessage> samples = samples(random);
        int acceptedMutants = 0;
        for (int n = 0; n < 40_000; n++) {
            WireMessage sample = samples.get(random.nextInt(samples.size()));
            byte[][] original = codec.encode(sample);
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
            WireMessage decoded = decodeSafely(mutated, mutated.length, what);
            if (decoded != null) {
                acceptedMutants++;
                checkCanonical(decoded, mutated, what);
            }
        }
        assertTrue(acceptedMutants > 100, "some mutants are still valid messages: " + acceptedMutants);
        assertTrue(rejections.getOrDefault(MalformedMessageException.Kind.MALFORMED, 0) > 1000,
                "re-signed mutants reach the shape checks: " + rejections);
    }

    @Test
    void truncatedAndExtendedValidMessages() {
        Random random = new Random(SEED + 2);
        for (WireMessage sample : samples(random)) {
            byte[][] frames = codec.encode(sample);
            // every prefix of the frame list, signed or not
            for (int count = 0; count <= frames.length; count++) {
                decodeSafely(frames, count, sample.command() + " first " + count + " frames");
                if (count > 0) {
                    byte[][] signed = Arrays.copyOf(frames, count);
                    signed[count - 1] = authenticator.sign(signed, count - 1);
                    decodeSafely(signed, count, sample.command() + " first " + count + " frames, re-signed");
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
                    WireMessage decoded = decodeSafely(changed, changed.length,
                            sample.command() + " frame " + f + " to " + length + " bytes");
                    if (decoded != null) {
                        checkCanonical(decoded, changed, sample.command() + " frame " + f + " to " + length);
                    }
                }
            }
            // extra frames after the signature, and before it
            for (int extra = 1; extra <= 12; extra++) {
                byte[][] longer = Arrays.copyOf(frames, frames.length + extra);
                for (int i = frames.length; i < longer.length; i++) {
                    longer[i] = randomBytes(random, random.nextInt(40));
                }
                decodeSafely(longer, longer.length, sample.command() + " + " + extra + " frames");
                longer[longer.length - 1] = authenticator.sign(longer, longer.length - 1);
                decodeSafely(longer, longer.length, sample.command() + " + " + extra + " frames, re-signed");
            }
        }
    }

    /** Whatever decode accepts, encode gives back the same frames: nothing is silently dropped or changed. */
    private void checkCanonical(WireMessage decoded, byte[][] frames, String what) {
        byte[][] again = codec.encode(decoded);
        if (decoded instanceof WireMessage.Ready) {
            // Text is decoded as UTF-8: bytes that are not UTF-8 come back as U+FFFD, so compare the message.
            WireMessage twice = decodeSafely(again, again.length, what + " re-encoded");
            assertEquals(decoded, twice, what);
            return;
        }
        assertEquals(frames.length, again.length, what);
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], again[i], what + ": frame " + i + " after decode and encode");
        }
    }

    // ---- generators

    private List<WireMessage> samples(Random random) {
        List<WireMessage> samples = new ArrayList<>();
        samples.add(new WireMessage.Ready(4, 1000, "slow", "4711@host"));
        samples.add(new WireMessage.Ready(1, 1, "", ""));
        samples.add(new WireMessage.Heartbeat(100));
        samples.add(new WireMessage.Disconnect());
        samples.add(new WireMessage.Request(1, 30_000, System.currentTimeMillis(), "request".getBytes(UTF_8),
                "/service/slow".getBytes(UTF_8), new byte[0], "{\"RETURN_DATA\":\"x\"}".getBytes(UTF_8), new byte[0]));
        samples.add(new WireMessage.Request(-1, 0, 0, new byte[0], new byte[0], new byte[0], new byte[0],
                randomBytes(random, 300)));
        samples.add(new WireMessage.Reply(1, 200, 1, 2, "OK".getBytes(UTF_8), "response".getBytes(UTF_8),
                "{\"h\":\"v\"}".getBytes(UTF_8), "{\"k\":1}".getBytes(UTF_8), randomBytes(random, 50)));
        samples.add(new WireMessage.Reply(Long.MAX_VALUE, 599, Long.MIN_VALUE, Long.MAX_VALUE, new byte[0],
                new byte[0], new byte[0], new byte[0], new byte[0]));
        return samples;
    }

    private static int randomLength(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 5 + random.nextInt(27); // around the fixed-field lengths
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

    /** Frame 0 starting with "BRB", usually version 1, and a command byte near the valid ones. */
    private static byte[] withPrefix(Random random, byte[] frame) {
        byte[] out = frame.length >= 5 && random.nextBoolean() ? frame : Arrays.copyOf(frame, 5 + random.nextInt(32));
        out[0] = 'B';
        out[1] = 'R';
        out[2] = 'B';
        out[3] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : MessageCodec.VERSION;
        out[4] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : random.nextInt(7));
        return out;
    }

    /** Applies one random mutation to a list of frames; returns its name. */
    private static String mutate(Random random, List<byte[]> frames) {
        if (frames.isEmpty()) {
            frames.add(randomBytes(random, randomLength(random)));
            return "insert-into-empty";
        }
        int f = random.nextInt(frames.size());
        switch (random.nextInt(10)) {
            case 0, 1 -> { // bit flip, often in the fixed fields of frame 0
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
            case 2 -> { // a fixed field of frame 0 set to an extreme value
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
