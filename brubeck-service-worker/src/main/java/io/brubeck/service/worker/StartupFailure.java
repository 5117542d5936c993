package io.brubeck.service.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Says why the program could not start, in the words of the exceptions that explain it (a deployment
 * problem names the class or configuration key to fix), without the stack traces a user does not need.
 * A cause whose message only repeats what an earlier message already said is left out: the same text,
 * text that an earlier message quotes (as in {@code "... (Address already in use); ..."}), or a reason
 * that an earlier message already gives (the part after the first {@code ": "}, as in {@code "Service 'demo'
 * cannot bind tcp://127.0.0.1:5555: address already in use"} under a message about the same endpoint that
 * ends with the same reason). So is JeroMQ's bare {@code "Errno 48"}, which says nothing a user can read.
 */
final class StartupFailure {
    /** The message of JeroMQ's ZError exceptions, a bare error number. */
    private static final Pattern ERRNO = Pattern.compile("Errno \\d+");

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
            String reason = reason(said);
            if (!ERRNO.matcher(said).matches()
                    && messages.stream().noneMatch(earlier -> earlier.contains(said) || earlier.contains(reason))) {
                messages.add(said);
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            collect(suppressed, messages, depth + 1);
        }
        collect(failure.getCause(), messages, depth + 1);
    }

    /**
     * What a message gives as its reason: the text after its first {@code ": "} when that is a phrase of more
     * than one word (a single word, such as a number, could be found anywhere), else the whole message.
     */
    private static String reason(String message) {
        int colon = message.indexOf(": ");
        String after = colon < 0 ? "" : message.substring(colon + 2).strip();
        return after.contains(" ") ? after : message;
    }
}
