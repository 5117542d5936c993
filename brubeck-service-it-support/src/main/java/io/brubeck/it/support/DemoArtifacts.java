package io.brubeck.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the things a project that deploys the demo's WAR works with are: the WAR and the worker program the
 * main build made, and folders of the project's build for the servers' files. The project's POM passes the
 * paths in as {@code brubeck.it.demo-war}, {@code brubeck.it.worker-jar} and {@code brubeck.it.server-dir}.
 */
public final class DemoArtifacts {

    private DemoArtifacts() {
    }

    /** {@code brubeck-service-jaxrs-demo.war}, as the main build made it. */
    public static Path demoWar() {
        return PathProperty.get("brubeck.it.demo-war");
    }

    /** {@code brubeck-service-worker.jar}, the worker program, runnable with {@code java -jar}. */
    public static Path worker() {
        return PathProperty.get("brubeck.it.worker-jar");
    }

    /**
     * Sets up and starts a server in a new, empty folder for its files, under the project's build directory, and
     * deletes the folder when that fails; once it has started, the server deletes the folder when it stops.
     *
     * @param prefix the start of the folder's name
     */
    public static <S> S setUpServerFolder(String prefix, ServerSetUp<S> setUp) {
        Path folder = newServerFolder(prefix);
        try {
            return setUp.in(folder);
        } catch (IOException e) {
            deleteServerFolder(folder);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) { // a failed assertion too, such as a server's missing jar
            deleteServerFolder(folder);
            throw e;
        }
    }

    private static Path newServerFolder(String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(PathProperty.get("brubeck.it.server-dir")), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a server's folder with all it holds; says so when something stays behind. */
    public static void deleteServerFolder(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("Could not delete " + folder + ": " + e);
        }
    }

    /** How a server is set up in its folder and started. */
    @FunctionalInterface
    public interface ServerSetUp<S> {
        /** Writes the server's files into the folder and starts it, without waiting for it. */
        S in(Path folder) throws IOException;
    }
}
