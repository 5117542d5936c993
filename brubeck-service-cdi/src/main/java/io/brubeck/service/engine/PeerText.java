package io.brubeck.service.engine;

/**
 * Text a peer sent (a worker's label or service name, a request's path), made fit for a log line: a peer must not
 * be able to write lines of its own into the log, or fill it. Such text is cut to its first
 * {@value #MAX_CODE_POINTS} code points, saying how many were cut, and its control characters are written out
 * visibly.
 */
final class PeerText {
    /** The most of a peer's text kept in a log line. */
    static final int MAX_CODE_POINTS = 200;

    private PeerText() {
    }

    /**
     * {@code text} cut to {@value #MAX_CODE_POINTS} code points, followed by how many were cut if any were, with
     * each control character escaped: {@code \n}, {@code \r} and {@code \t} as such, the others as a backslash, a
     * {@code u} and four hexadecimal digits (the escape character as {@code \}{@code u001b}).
     */
    static String forLog(String text) {
        int codePoints = text.codePointCount(0, text.length());
        String kept = codePoints <= MAX_CODE_POINTS ? text
                : text.substring(0, text.offsetByCodePoints(0, MAX_CODE_POINTS));
        StringBuilder out = new StringBuilder(kept.length() + 16);
        kept.codePoints().forEach(c -> escape(c, out));
        if (codePoints > MAX_CODE_POINTS) {
            out.append("… (").append(codePoints - MAX_CODE_POINTS).append(" more characters cut)");
        }
        return out.toString();
    }

    /** Whether {@code text} holds a control character: one that {@link #forLog} escapes. */
    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) { // every control is one char: none is a surrogate
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * C0 and C1 controls and DEL (among them NUL, the line feed, the carriage return, NEL and the escape that starts a
     * terminal's colour codes), and the line and paragraph separators, which some log viewers also break lines at.
     */
    static boolean isControl(int codePoint) {
        return Character.getType(codePoint) == Character.CONTROL || codePoint == 0x2028 || codePoint == 0x2029;
    }

    private static void escape(int codePoint, StringBuilder out) {
        if (!isControl(codePoint)) {
            out.appendCodePoint(codePoint);
        } else if (codePoint == '\n') {
            out.append("\\n");
        } else if (codePoint == '\r') {
            out.append("\\r");
        } else if (codePoint == '\t') {
            out.append("\\t");
        } else {
            out.append(String.format("\\u%04x", codePoint));
        }
    }
}
