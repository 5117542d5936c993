package io.brubeck.service.cdi.config;

import java.util.List;

/** One or more configuration keys are missing or invalid; each problem names its key and the fix. */
public final class InvalidSettingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** An exception listing the problems, at least one, each a sentence that names its key. */
    public InvalidSettingsException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("An invalid-settings error needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
