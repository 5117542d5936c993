package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One program the tests started as {@code java [options] -jar program.jar [arguments]} (or with a class path
 * and a main class), in a JVM of its own. Its output (stdout and stderr together, without the colours of a
 * console log) is kept line by line and echoed with its name, so that a failing test's log shows what each
 * process said. Every program still running when the test JVM ends is killed, with its children.
 */
public final class JavaProgram implements AutoCloseable {
    private static final Set<JavaProgram> RUNNING = ConcurrentHashMap.newKeySet();
    /** The colours of a console log, left out of what is kept and echoed. */
    private static final Pattern COLOURS = Pattern.compile("\u001B\\[[;\\d]*m");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(JavaProgram::kill), "kill-programs"));
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile boolean outputClosed;

    private JavaProgram(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code java jvmOptions -jar jar arguments}. */
    public static JavaProgram start(String name, Path jar, List<String> jvmOptions, List<String> arguments) {
        requireFile(jar);
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        return run(name, command);
    }

    /** Starts {@code java jvmOptions -cp classpath mainClass}. */
    public static JavaProgram startMain(String name, List<Path> classpath, String mainClass, List<String> jvmOptions) {
        classpath.forEach(JavaProgram::requireFile);
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        return run(name, command);
    }

    private static void requireFile(Path jar) {
        if (!Files.isRegularFile(jar)) {
            fail(jar + " does not exist: build it first (mvn -B verify builds every module before brubeck-service-it)");
        }
    }

    private static JavaProgram run(String name, List<String> javaArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        JavaProgram program = new JavaProgram(name, process);
        RUNNING.add(program);
        Thread reader = new Thread(program::readOutput, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
        return program;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = COLOURS.matcher(line).replaceAll("");
                lines.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            lines.add("(output of " + name + " ended: " + e + ")");
        } finally {
            outputClosed = true;
        }
    }

    /** The name its output is echoed with. */
    public String name() {
        return name;
    }

    /** The process id of its JVM. */
    public long pid() {
        return process.pid();
    }

    /** Whether its JVM is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The processes this program started that are still running. */
    public List<ProcessHandle> children() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Whether a line said so far contains the text. */
    public boolean said(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** The first line said so far that matches the pattern. */
    public Optional<Matcher> line(Pattern pattern) {
        return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
    }

    /** Waits for a line matching the pattern; fails when the program ends first or the limit passes. */
    public Matcher awaitLine(Pattern pattern, Duration limit) {
        Await.until(limit, name + " to say /" + pattern + "/",
                () -> line(pattern).isPresent() || outputClosed, this::tail);
        return line(pattern).orElseGet(() -> fail(name + " ended before saying /" + pattern + "/" + tail()));
    }

    /** Waits for a line containing the text. */
    public void awaitSaid(String text, Duration limit) {
        awaitLine(Pattern.compile(Pattern.quote(text)), limit);
    }

    /**
     * Asks the program to stop, as a service manager would: SIGTERM. Through the process handle, since
     * {@code Process.destroy()} would also close the pipe the program's last words come through.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the program to end and returns its exit status; fails after the limit. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not end within " + limit + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted while waiting for " + name + " to end");
        }
        RUNNING.remove(this);
        return process.exitValue();
    }

    /** Kills the program and its children at once (SIGKILL) and waits until it is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** Kills the program and its children if any of them is still running. */
    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
        RUNNING.remove(this);
    }

    /** The last lines the program said, for failure messages. */
    public String tail() {
        List<String> said = List.copyOf(lines);
        List<String> last = said.subList(Math.max(0, said.size() - 40), said.size());
        return System.lineSeparator() + "Last output of " + name + ":" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", last);
    }
}
