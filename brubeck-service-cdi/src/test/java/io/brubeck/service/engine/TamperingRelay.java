package io.brubeck.service.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay on loopback between a worker, which connects to it, and a client endpoint, that corrupts
 * one message on its way to the worker: it flips a bit of the byte that follows the first occurrence of
 * a marker in what the client sends, over all connections, as a faulty client that changed a body after
 * signing it would send it. Everything else passes unchanged, in both directions.
 */
final class TamperingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    /** Found by simple matching: its first byte must not occur again in it. */
    private final byte[] marker;
    private final AtomicBoolean markerFound = new AtomicBoolean();
    private volatile boolean tampered;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Starts relaying to {@code endpoint}, a {@code tcp://host:port} address, watching for {@code marker}. */
    TamperingRelay(String endpoint, String marker) throws IOException {
        this.marker = marker.getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < this.marker.length; i++) {
            if (this.marker[i] == this.marker[0]) {
                throw new IllegalArgumentException("the marker's first byte occurs again in it: " + marker);
            }
        }
        URI address = URI.create(endpoint);
        this.target = new InetSocketAddress(address.getHost(), address.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("tampering-relay-accept", this::accept);
    }

    /** The endpoint to connect to instead of the target. */
    String endpoint() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    /** Whether a byte after the marker has been flipped and passed on. */
    boolean hasTampered() {
        return tampered;
    }

    private void accept() {
        try {
            while (true) {
                Socket inbound = listener.accept();
                Socket outbound = new Socket(target.getAddress(), target.getPort());
                sockets.add(inbound);
                sockets.add(outbound);
                start("tampering-relay-in", () -> pump(inbound, outbound, false));
                start("tampering-relay-out", () -> pump(outbound, inbound, true));
            }
        } catch (IOException closed) {
            // the relay is closed
        }
    }

    private void pump(Socket from, Socket to, boolean tamper) {
        byte[] buffer = new byte[8192];
        int matched = 0;
        boolean flipNext = false;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; tamper && i < n; i++) {
                    if (flipNext) {
                        buffer[i] ^= 1;
                        flipNext = false;
                        tampered = true;
                    } else if (!markerFound.get()) {
                        matched = buffer[i] == marker[matched] ? matched + 1 : buffer[i] == marker[0] ? 1 : 0;
                        if (matched == marker.length) {
                            matched = 0;
                            flipNext = markerFound.compareAndSet(false, true);
                        }
                    }
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException closed) {
            // one side went away; closing both ends lets the peers see it
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(TamperingRelay::closeQuietly);
        for (Thread thread : threads) {
            Fixtures.join(thread, 5_000);
        }
    }
}
