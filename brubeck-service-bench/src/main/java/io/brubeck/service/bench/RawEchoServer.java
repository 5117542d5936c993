package io.brubeck.service.bench;

import java.util.concurrent.CompletableFuture;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The baseline server: a ROUTER bound to {@code tcp://127.0.0.1:*} that sends every message back
 * to its sender, frames as received, from one thread that owns the socket.
 */
final class RawEchoServer implements AutoCloseable {
    private static final int POLL_MILLIS = 100;

    private final ZContext context = new ZContext(1);
    private final Thread thread;
    private final String endpoint;
    private volatile boolean running = true;

    RawEchoServer() {
        CompletableFuture<String> bound = new CompletableFuture<>();
        thread = new Thread(() -> serve(bound), "raw-echo");
        thread.setDaemon(true);
        thread.start();
        endpoint = bound.join();
    }

    /** The address the server is bound to, with its real port. */
    String endpoint() {
        return endpoint;
    }

    private void serve(CompletableFuture<String> bound) {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        try {
            router.setLinger(0);
            router.setReceiveTimeOut(POLL_MILLIS);
            router.bind("tcp://127.0.0.1:*");
            bound.complete(router.getLastEndpoint());
            while (running) {
                byte[] frame = router.recv(0);
                if (frame == null) {
                    continue; // timed out: look at the running flag again
                }
                // First frame is the sender's routing identity; a message's frames arrive together.
                boolean more = router.hasReceiveMore();
                router.send(frame, more ? ZMQ.SNDMORE : 0);
                while (more) {
                    frame = router.recv(0);
                    more = router.hasReceiveMore();
                    router.send(frame, more ? ZMQ.SNDMORE : 0);
                }
            }
        } catch (RuntimeException e) {
            if (!bound.completeExceptionally(e)) {
                e.printStackTrace();
            }
        } finally {
            router.close();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
