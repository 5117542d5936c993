package io.brubeck.it.war;

import java.nio.file.Path;

/**
 * Where the things under test are: the WAR and the worker program the main build made, the server this
 * project's build copied from its repository, and a folder for the server's files. The project's POM passes
 * the paths in.
 */
final class Artifacts {

    private Artifacts() {
    }

    static Path demoWar() {
        return path("brubeck.it.demo-war");
    }

    static Path worker() {
        return path("brubeck.it.worker-jar");
    }

    static Path payaraMicro() {
        return path("brubeck.it.payara-micro-jar");
    }

    static Path serverDir() {
        return path("brubeck.it.server-dir");
    }

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run this project through "
                    + "brubeck-service-it (mvn -B verify), which fills it in");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
