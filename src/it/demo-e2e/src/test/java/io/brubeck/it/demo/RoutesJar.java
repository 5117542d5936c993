package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.BeanArchiveJar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A user's jar of routes, built the way a user's build would: one route class compiled against the
 * library, a {@code META-INF/beans.xml} that makes the jar a bean archive, and any other resources the
 * user's build packs beside them (a {@code META-INF/microprofile-config.properties}, say).
 */
final class RoutesJar {
    private RoutesJar() {
    }

    /**
     * Compiles the class and packs it with a beans.xml.
     *
     * @param className the class's binary name, for example {@code com.example.Shout}
     * @param source    its source text
     * @param classpath the jars to compile against
     * @param directory where to build; the jar is {@code my-routes.jar} in it
     */
    static Path build(String className, String source, List<Path> classpath, Path directory) throws IOException {
        return build(className, source, classpath, directory, Map.of());
    }

    /**
     * Compiles the class and packs it with a beans.xml and the given resources.
     *
     * @param resources text files to pack too, by their path in the jar, for example
     *                  {@code META-INF/microprofile-config.properties}
     */
    static Path build(String className, String source, List<Path> classpath, Path directory,
            Map<String, String> resources) throws IOException {
        Path sources = Files.createDirectories(directory.resolve("src"));
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "The tests need a JDK, not a JRE, to compile the user's route");
        int status = javac.run(null, null, null, "--release", "17", "-proc:none", "-d", classes.toString(), "-cp",
                classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)), file.toString());
        assertTrue(status == 0, "The user's route did not compile");
        try (Stream<Path> compiled = Files.walk(classes)) {
            return BeanArchiveJar.pack(directory.resolve("my-routes.jar"), classes,
                    compiled.filter(Files::isRegularFile).toList(), resources);
        }
    }
}
