package io.brubeck.it.demo;

import io.brubeck.it.support.PathProperty;
import java.nio.file.Path;

/** Where the main build left the programs under test; the project's POM passes the paths in. */
final class Jars {

    private Jars() {
    }

    static Path worker() {
        return PathProperty.get("brubeck.it.worker-jar");
    }

    static Path demo() {
        return PathProperty.get("brubeck.it.demo-jar");
    }
}
