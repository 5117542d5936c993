package io.brubeck.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A WAR of a small application that probes a server: the libraries of another WAR (the demo's, which holds the
 * library and JeroMQ), the classes of one package of the tests, and a {@code WEB-INF/beans.xml} that makes it a
 * bean archive.
 */
public final class ProbeWar {
    private ProbeWar() {
    }

    /**
     * Writes the WAR.
     *
     * @param war       the WAR to write
     * @param libraries the WAR whose {@code WEB-INF/lib} jars to take
     * @param probe     a class of the tests (from a classes directory, not a jar) whose package to pack
     * @return the WAR
     */
    public static Path pack(Path war, Path libraries, Class<?> probe) {
        Path classes = classesDirectory(probe);
        Path probePackage = classes.resolve(probe.getPackageName().replace('.', '/'));
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war));
             ZipFile source = new ZipFile(libraries.toFile());
             Stream<Path> probeClasses = Files.list(probePackage)) {
            BeanArchiveJar.add(out, "WEB-INF/beans.xml", BeanArchiveJar.BEANS_XML.getBytes(StandardCharsets.UTF_8));
            for (ZipEntry entry : source.stream().filter(e -> e.getName().startsWith("WEB-INF/lib/")
                    && e.getName().endsWith(".jar")).toList()) {
                try (InputStream jar = source.getInputStream(entry)) {
                    BeanArchiveJar.add(out, entry.getName(), jar.readAllBytes());
                }
            }
            for (Path file : probeClasses.filter(Files::isRegularFile).toList()) {
                BeanArchiveJar.add(out, "WEB-INF/classes/" + classes.relativize(file).toString().replace('\\', '/'),
                        Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack " + war, e);
        }
        return war;
    }

    private static Path classesDirectory(Class<?> probe) {
        try {
            return Path.of(probe.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("No classes directory for " + probe, e);
        }
    }
}
