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
     * Calls {@code onExit} with a reason when the process ends; at once when it is already gone.
     *
     * @param pid the process id as configured, if any
     * @throws IllegalArgumentException when the id is not a number
     */
    static void install(Optional<String> pid, Consumer<String> onExit) {
        if (pid.isEmpty()) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(pid.get().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(KEY + " must be a process id, was '" + pid.get() + "'");
        }
        String reason = "process " + id + " ended";
        Optional<ProcessHandle> process = ProcessHandle.of(id);
        if (process.isEmpty() || !process.get().isAlive()) {
            onExit.accept(reason);
        } else {
            process.get().onExit().thenRun(() -> onExit.accept(reason));
        }
    }
}
