package io.brubeck.it.support;

import java.nio.file.Path;

/**
 * A path a consumer project's POM passes to its tests as a system property, for example where the main build
 * left a program under test.
 */
public final class PathProperty {

    private PathProperty() {
    }

    /**
     * The absolute path in the system property.
     *
     * @throws IllegalStateException when the property is not set, that is, when the project was not run
     *                               through brubeck-service-it
     */
    public static Path get(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set; run this project through "
                    + "brubeck-service-it (mvn -B verify), which fills it in");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }
}
