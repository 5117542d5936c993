package io.brubeck.service.bench;

import java.util.Arrays;

/**
 * Entry point of the brubeck-service benchmark.
 *
 * <p>Without a sub-command it runs the whole comparison: a raw JeroMQ ROUTER/DEALER echo against
 * {@code ServiceClient} round trips through a worker, and the same echo over HTTP and gRPC; then the
 * client heap each queued call costs. The clients run in this JVM; every server and worker runs in a
 * child JVM started with the same {@code java} and class path, and stopped at the end.
 *
 * <pre>
 * java -jar brubeck-service-bench.jar            # about five minutes
 * java -jar brubeck-service-bench.jar --long     # more warm-up, more and longer rounds
 * java -jar brubeck-service-bench.jar --help
 * </pre>
 *
 * <p>{@code worker raw}, {@code worker brubeck ENDPOINT CONCURRENCY PREFETCH}, {@code worker http THREADS}
 * and {@code worker grpc THREADS} are the child side; the benchmark starts them itself.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmark, or one child side of it.
     *
     * @param args options, see {@code --help}; or {@code worker ...} for a child JVM
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            WorkerCommand.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        Logging.quiet(options.verbose());
        new Benchmark(options).run();
    }
}
