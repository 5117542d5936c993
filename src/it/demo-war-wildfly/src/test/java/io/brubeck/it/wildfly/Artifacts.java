package io.brubeck.it.wildfly;

import io.brubeck.it.support.PathProperty;
import java.nio.file.Path;

/**
 * Where the things under test are: the WAR and the worker program the main build made, the WildFly this
 * project's build unpacked from its repository, and a folder for the servers' files. The project's POM passes
 * the paths in.
 */
final class Artifacts {

    private Artifacts() {
    }

    static Path demoWar() {
        return PathProperty.get("brubeck.it.demo-war");
    }

    static Path worker() {
        return PathProperty.get("brubeck.it.worker-jar");
    }

    /** The unpacked distribution, with {@code bin/standalone.sh} and the {@code standalone} folder to copy. */
    static Path wildflyHome() {
        return PathProperty.get("brubeck.it.wildfly-home");
    }

    static Path serverDir() {
        return PathProperty.get("brubeck.it.server-dir");
    }
}
