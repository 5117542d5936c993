package io.brubeck.service.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks messages with HMAC-SHA256 keyed by the shared passphrase; the passphrase itself
 * never travels. The code covers every frame before it, each preceded by its length, so frames
 * cannot be split, joined or reordered unnoticed. Thread-safe: each thread gets its own {@link Mac}.
 */
public final class MessageAuthenticator {

    /** Length in bytes of the code carried in a message's last frame. */
    public static final int CODE_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /**
     * @param passphrase the secret both ends share; must not be empty
     * @throws IllegalArgumentException when the passphrase is null or empty
     */
    public MessageAuthenticator(String passphrase) {
        if (passphrase == null || passphrase.isEmpty()) {
            throw new IllegalArgumentException("A passphrase is required and must not be empty");
        }
        this.key = new SecretKeySpec(passphrase.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The code for the first {@code count} frames. */
    public byte[] sign(byte[][] frames, int count) {
        Mac mac = macs.get();
        byte[] length = new byte[4];
        for (int i = 0; i < count; i++) {
            byte[] frame = frames[i];
            putInt(length, frame.length);
            mac.update(length);
            mac.update(frame);
        }
        return mac.doFinal();
    }

    /** Whether {@code code} is the code for the first {@code count} frames, compared in constant time. */
    public boolean verify(byte[][] frames, int count, byte[] code) {
        return code.length == CODE_LENGTH && MessageDigest.isEqual(sign(frames, count), code);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no " + ALGORITHM, e);
        }
    }

    private static void putInt(byte[] target, int value) {
        target[0] = (byte) (value >>> 24);
        target[1] = (byte) (value >>> 16);
        target[2] = (byte) (value >>> 8);
        target[3] = (byte) value;
    }
}
