package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** METHOD names as wire bytes, made once, so no message encodes or decodes them as strings. */
final class MethodNames {
    private static final Method[] METHODS = Method.values();
    private static final byte[][] BYTES = new byte[METHODS.length][];

    static {
        for (Method method : METHODS) {
            BYTES[method.ordinal()] = method.wireName().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private MethodNames() {
    }

    /** The wire bytes of a METHOD; shared, never to be changed. */
    static byte[] bytes(Method method) {
        return BYTES[method.ordinal()];
    }

    /** The METHOD these wire bytes name exactly, or, failing that, case-insensitively; empty if none. */
    static Optional<Method> parse(byte[] name) {
        for (Method method : METHODS) {
            if (Arrays.equals(BYTES[method.ordinal()], name)) {
                return Optional.of(method);
            }
        }
        return Method.fromWireName(new String(name, StandardCharsets.UTF_8));
    }
}
