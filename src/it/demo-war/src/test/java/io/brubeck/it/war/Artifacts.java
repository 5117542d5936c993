package io.brubeck.it.war;

import io.brubeck.it.support.PathProperty;
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
        return PathProperty.get("brubeck.it.demo-war");
    }

    static Path worker() {
        return PathProperty.get("brubeck.it.worker-jar");
    }

    static Path payaraMicro() {
        return PathProperty.get("brubeck.it.payara-micro-jar");
    }

    static Path serverDir() {
        return PathProperty.get("brubeck.it.server-dir");
    }
}
