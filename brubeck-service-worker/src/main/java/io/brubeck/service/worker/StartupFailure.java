package io.brubeck.service.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * Says why the program could not start, in the words of the exceptions that explain it (a deployment
 * problem names the class or configuration key to fix), without the stack traces a user does not need.
 * A cause whose message only repeats what an earlier message already said (the same text, or text
 * that an earlier message quotes, as in {@code "... (Address already in use); ..."}) is left out.
 */
final class StartupFailure {

    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        List<String> messages = new ArrayList<>();
        collect(failure, messages, 0);
        return messages.isEmpty() ? failure.toString() : String.join(System.lineSeparator() + "  ", messages);
    }

    private static void collect(Throwable failure, List<String> messages, int depth) {
        if (failure == null || depth > 10) {
            return;
        }
        String message = failure.getMessage();
        if (message != null && !message.isBlank() && !message.startsWith("Exception List with")) {
            String said = message.strip();
            if (messages.stream().noneMatch(earlier -> earlier.contains(said))) {
                messages.add(said);
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            collect(suppressed, messages, depth + 1);
        }
        collect(failure.getCause(), messages, depth + 1);
    }
}
