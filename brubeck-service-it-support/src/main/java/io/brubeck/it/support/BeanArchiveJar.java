package io.brubeck.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A jar of routes as a user's build packs one: compiled classes, a {@code META-INF/beans.xml} that makes the
 * jar a bean archive, and any other resources beside them.
 */
public final class BeanArchiveJar {
    /** A {@code beans.xml} that makes an archive a bean archive of annotated beans; a WAR's too. */
    static final String BEANS_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
            """;

    private BeanArchiveJar() {
    }

    /**
     * Writes the jar.
     *
     * @param jar        the jar to write
     * @param classes    the directory the class files' package paths start from
     * @param classFiles the class files to pack, each under {@code classes}
     * @param resources  text files to pack too, by their path in the jar, for example
     *                   {@code META-INF/microprofile-config.properties}
     * @return the jar
     */
    public static Path pack(Path jar, Path classes, List<Path> classFiles, Map<String, String> resources)
            throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "META-INF/beans.xml", BEANS_XML.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                add(out, resource.getKey(), resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
            for (Path file : classFiles) {
                add(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return jar;
    }

    /** Adds one entry to a jar or WAR being written. */
    static void add(ZipOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
