package io.brubeck.it.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A Jakarta EE server a test started with a WAR deployed, as its users start it: what {@link DeployedDemoTests}
 * needs of each server. Closing it stops it as a service manager would (SIGTERM), fails when it does not stop by
 * itself within its limit, kills whatever it left and deletes its files.
 */
public interface DeployedServer extends AutoCloseable {

    /**
     * Waits until the server says it has started with the WAR, and fails if it started without it, could not
     * listen, or ended first.
     *
     * @return the root of its HTTP listener, under which the WAR has its context root
     */
    URI awaitStarted(Duration limit);

    /** The server's process, whose output holds its log and the application's. */
    ChildProcess output();

    /** The processes the server's JVM started: none for an application that starts no programs. */
    List<ProcessHandle> processesOfTheServer();

    @Override
    void close();
}
