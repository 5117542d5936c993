package io.brubeck.service.engine;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Set;
import javax.crypto.KeyAgreement;
import org.zeromq.ZMQ;

/**
 * Key pairs for ZeroMQ's CURVE mechanism (RFC 26), which encrypts the connections between a
 * service's clients and its workers. A key is 32 bytes written as 40 characters of Z85 text (RFC 32).
 *
 * <p>The clients of a service hold the secret key of one pair ({@link ClientConfig.Builder#curveSecretKey});
 * its workers hold that pair's public key ({@link WorkerConfig.Builder#curveServerKey}). A worker may also
 * hold a pair of its own ({@link WorkerConfig.Builder#curveSecretKey}), whose public key a client then
 * lists among the workers it takes ({@link ClientConfig.Builder#curveWorkerKeys}). To print a new pair,
 * run {@code java -cp brubeck-service-worker.jar io.brubeck.service.engine.CurveKeys}.
 */
public final class CurveKeys {
    /** The length of a key in Z85 text. */
    public static final int KEY_LENGTH = 40;
    private static final String Z85_ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final long LARGEST_GROUP = 0xFFFF_FFFFL;
    private static final BigInteger BASE_POINT = BigInteger.valueOf(9);
    /** The prime of Curve25519, 2^255 - 19. */
    private static final BigInteger PRIME = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    /**
     * The points of small order, by their u-coordinate: X25519 of any secret key and one of these is 0,
     * so the key a CURVE handshake derives from such a "public key" is the same for everyone.
     */
    private static final Set<BigInteger> SMALL_ORDER = Set.of(BigInteger.ZERO, BigInteger.ONE,
            PRIME.subtract(BigInteger.ONE),
            new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504"),
            new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823"));
    private static final String EXPRESSION_START = "${";

    private CurveKeys() {
    }

    /**
     * A public key and its secret key, both in Z85 text.
     *
     * @param publicKey the key others are given: a service's workers for the clients' pair, a client's
     *                  list of worker keys for a worker's own pair
     * @param secretKey the key its holder alone is given; keep it as secret as the passphrase
     */
    public record KeyPair(String publicKey, String secretKey) {
        @Override
        public String toString() {
            return "KeyPair[publicKey=" + publicKey + ", secretKey=(hidden)]";
        }
    }

    /**
     * A new key pair from a strong random source. Neither key holds a dollar sign followed by an opening
     * brace, which MicroProfile Config would read as the start of an expression.
     */
    public static KeyPair generate() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        while (true) {
            random.nextBytes(secret);
            String secretKey = ZMQ.Curve.z85Encode(secret);
            KeyPair pair = new KeyPair(publicKeyOf(secretKey), secretKey);
            if (!pair.publicKey().contains(EXPRESSION_START) && !secretKey.contains(EXPRESSION_START)) {
                return pair;
            }
        }
    }

    /**
     * The public key of a secret key: the X25519 function of the secret and the curve's base point,
     * as NaCl's {@code crypto_scalarmult_base} computes it.
     *
     * @throws IllegalArgumentException when {@code secretKey} is not a key ({@link #isKey})
     */
    public static String publicKeyOf(String secretKey) {
        byte[] scalar = decode(secretKey);
        try {
            KeyFactory keys = KeyFactory.getInstance("X25519");
            PrivateKey secret = keys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            PublicKey basePoint = keys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BASE_POINT));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(secret);
            agreement.doPhase(basePoint, true);
            return ZMQ.Curve.z85Encode(agreement.generateSecret());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot compute X25519, which Java 11 and later provide", e);
        }
    }

    /**
     * Whether {@code text} is a key: 40 characters of the Z85 alphabet, each group of five standing
     * for a 32-bit number.
     */
    public static boolean isKey(String text) {
        if (text == null || text.length() != KEY_LENGTH) {
            return false;
        }
        for (int group = 0; group < KEY_LENGTH; group += 5) {
            long value = 0;
            for (int i = group; i < group + 5; i++) {
                int digit = Z85_ALPHABET.indexOf(text.charAt(i));
                if (digit < 0) {
                    return false;
                }
                value = value * 85 + digit;
            }
            if (value > LARGEST_GROUP) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a key ({@link #isKey}) is a point of small order, such as 40 zeros: no secret key has it
     * as its public key, and any peer can complete a CURVE handshake as its holder, or with its holder,
     * without a secret key at all. Both readings of the top bit are checked: RFC 7748 ignores it, while
     * the NaCl code JeroMQ uses counts it as 2^255.
     */
    static boolean hasSmallOrder(String key) {
        byte[] littleEndian = decode(key);
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        BigInteger counted = new BigInteger(1, bigEndian);
        BigInteger ignored = counted.clearBit(255);
        return SMALL_ORDER.contains(counted.mod(PRIME)) || SMALL_ORDER.contains(ignored.mod(PRIME));
    }

    /** The 32 bytes of a key. */
    static byte[] decode(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("Not a CURVE key: expected " + KEY_LENGTH + " characters of Z85 text");
        }
        return ZMQ.Curve.z85Decode(key);
    }

    /** Prints a new key pair, for the clients' and the workers' configuration. */
    public static void main(String[] args) {
        KeyPair pair = generate();
        System.out.println("public-key=" + pair.publicKey());
        System.out.println("secret-key=" + pair.secretKey());
    }
}
