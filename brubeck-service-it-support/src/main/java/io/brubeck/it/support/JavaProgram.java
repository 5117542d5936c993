package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One program the tests started as {@code java [options] -jar program.jar [arguments]} (or with a class path
 * and a main class), in a JVM of its own, with the JDK the tests run on. It is a {@link ChildProcess}: what it
 * says is kept and echoed with its name, and it is killed, with its children, if it still runs when the test
 * JVM ends.
 */
public final class JavaProgram extends ChildProcess {
    private JavaProgram(String name, List<String> javaArguments) {
        super(ChildProcess.builder(name, javaCommand(javaArguments)));
    }

    /** Starts {@code java jvmOptions -jar jar arguments}. */
    public static JavaProgram start(String name, Path jar, List<String> jvmOptions, List<String> arguments) {
        requireFile(jar);
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        return new JavaProgram(name, command);
    }

    /** Starts {@code java jvmOptions -cp classpath mainClass}. */
    public static JavaProgram startMain(String name, List<Path> classpath, String mainClass, List<String> jvmOptions) {
        classpath.forEach(JavaProgram::requireFile);
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        return new JavaProgram(name, command);
    }

    /** System properties as the JVM options that set them, {@code -Dkey=value}, in the map's order. */
    public static List<String> systemProperties(Map<String, String> properties) {
        return properties.entrySet().stream().map(property -> "-D" + property.getKey() + "=" + property.getValue()).toList();
    }

    private static void requireFile(Path jar) {
        if (!Files.isRegularFile(jar)) {
            fail(jar + " does not exist: build it first (mvn -B verify builds every module before brubeck-service-it)");
        }
    }

    private static List<String> javaCommand(List<String> javaArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArguments);
        return command;
    }
}
