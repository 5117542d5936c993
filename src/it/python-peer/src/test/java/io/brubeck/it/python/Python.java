package io.brubeck.it.python;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.PathProperty;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Python 3 interpreter that runs the peers, and the files they need: their sources, and the codec of
 * docs/PROTOCOL.md section 15, copied out of the document into a module {@code protocol_v2} so that the peers
 * run on the document's own code.
 */
final class Python {
    /** What makes pyzmq available to Debian's python3. */
    static final String INSTALL = "apt-get install python3-zmq";

    private static String interpreter;
    private static Path codec;

    private Python() {
    }

    /**
     * {@code /usr/bin/python3} when it can import zmq, else the first {@code python3} on the PATH that can.
     * Fails the test, saying how to install pyzmq, when none can: an interoperability test that skipped itself
     * would be a check that cannot fail.
     */
    static synchronized String interpreter() {
        if (interpreter == null) {
            Set<String> candidates = new LinkedHashSet<>();
            candidates.add("/usr/bin/python3");
            for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!directory.isEmpty()) {
                    candidates.add(Path.of(directory, "python3").toString());
                }
            }
            List<String> tried = new ArrayList<>();
            for (String candidate : candidates) {
                if (Files.isExecutable(Path.of(candidate))) {
                    if (canImportZmq(candidate)) {
                        interpreter = candidate;
                        return interpreter;
                    }
                    tried.add(candidate);
                }
            }
            fail("The Python peers need python3 with pyzmq, and no python3 can import zmq (tried " + tried
                    + "). Install it: " + INSTALL + " (as root, after apt-get update)");
        }
        return interpreter;
    }

    private static boolean canImportZmq(String python) {
        try {
            Process check = new ProcessBuilder(python, "-c", "import zmq").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return false;
            }
            return check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** docs/PROTOCOL.md of the build under test. */
    static Path protocolDocument() {
        return PathProperty.get("brubeck.it.protocol-document");
    }

    /** The folder with worker.py, client.py and what they share. */
    static Path sources() {
        return PathProperty.get("brubeck.it.python-sources");
    }

    /** The folder holding {@code protocol_v2.py}, written from the document on first use. */
    static synchronized Path codecDirectory() {
        if (codec == null) {
            Path directory = PathProperty.get("brubeck.it.python-codec");
            try {
                Files.createDirectories(directory);
                Files.writeString(directory.resolve("protocol_v2.py"), codecSketch(protocolDocument()),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the codec module to " + directory, e);
            }
            codec = directory;
        }
        return codec;
    }

    /** The first {@code ```python} block of section 15 of the document, as it stands. */
    static String codecSketch(Path document) {
        List<String> lines;
        try {
            lines = Files.readAllLines(document, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + document, e);
        }
        int section = indexOf(lines, 0, line -> line.startsWith("## 15."));
        int start = section < 0 ? -1 : indexOf(lines, section, line -> line.equals("```python"));
        int end = start < 0 ? -1 : indexOf(lines, start + 1, line -> line.equals("```"));
        if (end < 0) {
            fail(document + " has no ```python block in a section \"## 15.\": the peers cannot be built on it");
        }
        return String.join("\n", lines.subList(start + 1, end)) + "\n";
    }

    private static int indexOf(List<String> lines, int from, java.util.function.Predicate<String> test) {
        for (int i = from; i < lines.size(); i++) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
