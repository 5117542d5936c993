package io.brubeck.service.engine;

/**
 * Refuses JSON from the wire that nests objects and arrays deeper than {@value #MAX_DEPTH} levels. JSON-B's
 * reference implementation binds nested values recursively and runs out of a thread's stack at about 650 levels
 * (with the JVM's default 1 MiB of stack), which a handler would otherwise answer with a 500; no real document
 * comes near the limit. The text is scanned once, byte by byte, which costs far less than parsing it.
 */
final class JsonNesting {
    /** The deepest nesting of objects and arrays taken: a value inside 256 of them, and no deeper. */
    static final int MAX_DEPTH = 256;

    private JsonNesting() {
    }

    /**
     * Checks UTF-8 JSON text; text that is not JSON at all is left to the parser to refuse.
     *
     * @throws IllegalArgumentException when objects and arrays nest deeper than {@value #MAX_DEPTH} levels
     */
    static void check(byte[] json) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) { // the bytes of multi-byte UTF-8 characters are never ASCII, so they match nothing
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels of objects "
                            + "and arrays");
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
    }
}
