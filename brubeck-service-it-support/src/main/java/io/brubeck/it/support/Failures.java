package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.fail;

/** What a failure says, along its chain of causes. */
public final class Failures {

    private Failures() {
    }

    /** The messages of the exception, of its causes and of what each suppressed, one per line. */
    public static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                text.append(suppressed.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    /** The first exception of the type along the chain of causes; fails the test when there is none. */
    public static <T extends Throwable> T causeOfType(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return fail("No " + type.getName() + " in the failure", error);
    }
}
