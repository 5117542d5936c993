package io.brubeck.service.bench;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over Netty, plaintext: {@link GrpcEcho#METHOD} answers with the request's bytes, on a pool of
 * handler threads as a brubeck worker runs its handlers.
 */
final class GrpcEchoServer implements AutoCloseable {
    private final Server server;
    private final ExecutorService handlers;

    GrpcEchoServer(int handlerThreads) throws IOException {
        handlers = Executors.newFixedThreadPool(handlerThreads);
        ServerServiceDefinition echo = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(GrpcEcho.METHOD, ServerCalls.asyncUnaryCall((request, answer) -> {
                    answer.onNext(request);
                    answer.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .executor(handlers)
                .addService(echo)
                .build()
                .start();
    }

    /** The {@code host:port} the server listens on. */
    String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.shutdownNow();
    }
}
