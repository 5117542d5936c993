package io.brubeck.service.worker;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stops the worker when another process ends: a program that starts this worker as its child passes
 * its own process id in {@value #KEY}, so that the worker never outlives it, even when that program
 * is killed without a chance to stop its child.
 */
final class ParentWatch {
    /** The configuration key holding the id of the process to follow. */
    static final String KEY = "worker.exit-with-pid";

    private ParentWatch() {
    }

    /**
     * The id of the process to follow, as configured.
     *
     * @param configured the value of {@value #KEY}, if any
     * @throws IllegalArgumentException when the value is not a process id: a whole number above zero
     */
    static Optional<Long> processId(Optional<String> configured) {
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(configured.get().trim());
        } catch (NumberFormatException e) {
            pid = 0;
        }
        if (pid <= 0) {
            throw new IllegalArgumentException(KEY + " must be a process id, was '" + configured.get() + "'");
        }
        return Optional.of(pid);
    }

    /** Calls {@code onExit} with a reason when the process ends; at once when it is already gone. */
    static void follow(long pid, Consumer<String> onExit) {
        String reason = "process " + pid + " ended";
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            onExit.accept(reason);
        } else {
            process.get().onExit().thenRun(() -> onExit.accept(reason));
        }
    }
}
