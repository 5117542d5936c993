package io.brubeck.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** A TCP port on the loopback address that nothing listens on now, for a program the test starts. */
public final class FreePort {
    /** The lowest port {@link #pickBelowEphemeralRange()} picks: above the privileged ones. */
    public static final int LOWEST_FIXED = 1000;
    /**
     * The bound of the ports {@link #pickBelowEphemeralRange()} picks: below those the system hands out to
     * sockets bound to port 0 (from 32768 on Linux), where the tests' other programs bind.
     */
    public static final int HIGHEST_FIXED = 32000;
    private static final int ATTEMPTS = 100;

    private FreePort() {
    }

    /** A port the system just gave out and took back. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /**
     * A port nothing listens on now, chosen at random below the range of ports the system hands out, so that no
     * program binding to port 0 takes it before a server that must be told its port in advance binds it.
     */
    public static int pickBelowEphemeralRange() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_FIXED, HIGHEST_FIXED);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + LOWEST_FIXED + " and " + HIGHEST_FIXED);
    }

    /** Whether nothing listens on the port of the loopback address now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound(); // always true here: the constructor throws when the port is taken
        } catch (IOException e) {
            return false;
        }
    }
}
