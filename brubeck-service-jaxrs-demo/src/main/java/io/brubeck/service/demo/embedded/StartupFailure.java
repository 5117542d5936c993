package io.brubeck.service.demo.embedded;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Says why the demo could not start, in the words of the exceptions that explain it (a deployment
 * problem names the class or configuration key to fix), without the stack traces a user does not need.
 */
final class StartupFailure {

    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        collect(failure, messages, 0);
        return messages.isEmpty() ? failure.toString() : String.join(System.lineSeparator() + "  ", messages);
    }

    private static void collect(Throwable failure, Set<String> messages, int depth) {
        if (failure == null || depth > 10) {
            return;
        }
        String message = failure.getMessage();
        if (message != null && !message.isBlank() && !message.startsWith("Exception List with")) {
            messages.add(message.strip());
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            collect(suppressed, messages, depth + 1);
        }
        collect(failure.getCause(), messages, depth + 1);
    }
}
