package io.brubeck.it.demo;

import java.nio.file.Path;

/** Where the main build left the programs under test; the project's POM passes the paths in. */
final class Jars {

    private Jars() {
    }

    static Path worker() {
        return path("brubeck.it.worker-jar");
    }

    static Path demo() {
        return path("brubeck.it.demo-jar");
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
