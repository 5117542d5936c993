package io.brubeck.service.demo.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds the worker program to start as the demo's child: the path in {@value #KEY} when it is set;
 * otherwise {@code brubeck-service-worker.jar} next to the demo's jar, then where the build leaves it
 * ({@code ../../brubeck-service-worker/target/} from the demo's jar, that is, from the source tree).
 */
final class WorkerJar {
    /** The configuration key naming the worker jar. */
    static final String KEY = "demo.worker.jar";
    /** The worker jar's file name. */
    static final String FILE_NAME = "brubeck-service-worker.jar";

    private WorkerJar() {
    }

    /**
     * The worker jar {@link #locate} would take, if there is one: for a hint that names where it is.
     */
    static Optional<Path> find(Optional<String> configured, Optional<Path> demoLocation) {
        try {
            return Optional.of(locate(configured, demoLocation));
        } catch (IllegalStateException none) {
            return Optional.empty();
        }
    }

    /**
     * The worker jar.
     *
     * @param configured   the value of {@value #KEY}, if set
     * @param demoLocation the directory the demo's classes were loaded from, if known
     * @throws IllegalStateException naming where it looked and how to fix it, when there is none
     */
    static Path locate(Optional<String> configured, Optional<Path> demoLocation) {
        if (configured.isPresent()) {
            Path jar = Path.of(configured.get()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(KEY + "=" + configured.get() + " is not a file; give the path of "
                        + FILE_NAME + ", or set demo.worker.start=false");
            }
            return jar;
        }
        List<Path> candidates = new ArrayList<>();
        demoLocation.ifPresent(dir -> {
            candidates.add(dir.resolve(FILE_NAME));
            Path moduleDir = dir.getParent();
            if (moduleDir != null && moduleDir.getParent() != null) {
                candidates.add(moduleDir.getParent().resolve("brubeck-service-worker").resolve("target").resolve(FILE_NAME));
            }
        });
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("No " + FILE_NAME + " to start as the demo's worker (looked at "
                + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
                + "); build it with mvn -B package, set " + KEY + "=/path/to/" + FILE_NAME
                + ", or set demo.worker.start=false and start workers by hand");
    }
}
