package io.brubeck.service.engine;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on loopback that forwards every connection to a ZeroMQ endpoint and keeps every byte
 * that crosses it, in both directions, so that a test can see what travels on the wire; optionally
 * a slow link towards the endpoint, a link that breaks, or one that corrupts a byte coming from it.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    /** What the connecting side sent, and what it was sent: one record each, so that neither splits the other. */
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ByteArrayOutputStream answered = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** What the connecting side sends is forwarded at most this fast; 0 for as fast as it comes. */
    private final long bytesPerSecondToTarget;
    /** Corrupts one byte of what the target sends, once armed by {@link #flipByteAfter}. */
    private volatile ByteFlip flip;

    /** Starts relaying to {@code endpoint}, a {@code tcp://host:port} address. */
    RecordingRelay(String endpoint) throws IOException {
        this(endpoint, 0);
    }

    /**
     * Starts relaying to {@code endpoint}, forwarding what the connecting side sends at about
     * {@code bytesPerSecondToTarget}, as over a slow link.
     */
    RecordingRelay(String endpoint, long bytesPerSecondToTarget) throws IOException {
        this.bytesPerSecondToTarget = bytesPerSecondToTarget;
        URI address = URI.create(endpoint);
        this.target = new InetSocketAddress(address.getHost(), address.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("relay-accept", this::accept);
    }

    /** The endpoint to connect to instead of the target. */
    String endpoint() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    /** Whether {@code text}, in UTF-8, has crossed the relay in either direction. */
    boolean hasSeen(String text) {
        // one char per byte, so that a byte sequence is found as a substring
        String wanted = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return contents(sent).contains(wanted) || contents(answered).contains(wanted);
    }

    /** How many bytes have crossed the relay, both directions together. */
    int bytesSeen() {
        return contents(sent).length() + contents(answered).length();
    }

    /**
     * Flips a bit of the byte that follows the first occurrence of {@code marker} in what the target sends from
     * now on, over all connections, as a faulty client that changed a body after signing it would send it.
     * The marker's first byte must not occur again in it.
     */
    void flipByteAfter(String marker) {
        flip = new ByteFlip(marker.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the byte after the marker has been flipped and passed on. */
    boolean hasFlipped() {
        ByteFlip armed = flip;
        return armed != null && armed.flipped;
    }

    /** Breaks every connection relayed so far, as a network failure would; new ones are relayed as before. */
    void cutConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
            sockets.remove(socket);
        }
    }

    private static String contents(ByteArrayOutputStream record) {
        synchronized (record) {
            return record.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void accept() {
        try {
            while (true) {
                Socket inbound = listener.accept();
                Socket outbound = new Socket(target.getAddress(), target.getPort());
                sockets.add(inbound);
                sockets.add(outbound);
                start("relay-in", () -> pump(inbound, outbound, sent, bytesPerSecondToTarget, false));
                start("relay-out", () -> pump(outbound, inbound, answered, 0, true));
            }
        } catch (IOException closed) {
            // the relay is closed
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream record, long bytesPerSecond, boolean fromTarget) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (record) {
                    record.write(buffer, 0, n);
                }
                ByteFlip armed = flip;
                if (fromTarget && armed != null) {
                    armed.apply(buffer, n);
                }
                out.write(buffer, 0, n);
                if (bytesPerSecond > 0) { // the link's pace, not a wait for anything
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(n) / bytesPerSecond);
                }
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

    /** Finds a marker in a stream, by simple matching, and flips a bit of the byte after it, once. */
    private static final class ByteFlip {
        private final byte[] marker;
        private int matched;
        private boolean flipNext;
        private boolean markerFound;
        private volatile boolean flipped;

        ByteFlip(byte[] marker) {
            for (int i = 1; i < marker.length; i++) {
                if (marker[i] == marker[0]) {
                    throw new IllegalArgumentException("the marker's first byte occurs again in it");
                }
            }
            this.marker = marker;
        }

        synchronized void apply(byte[] buffer, int length) {
            for (int i = 0; i < length && !flipped; i++) {
                if (flipNext) {
                    buffer[i] ^= 1;
                    flipped = true;
                } else if (!markerFound) {
                    matched = buffer[i] == marker[matched] ? matched + 1 : buffer[i] == marker[0] ? 1 : 0;
                    markerFound = matched == marker.length;
                    flipNext = markerFound;
                }
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(RecordingRelay::closeQuietly);
        for (Thread thread : threads) {
            Fixtures.join(thread, 5_000);
        }
    }
}
