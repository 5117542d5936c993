package io.brubeck.service.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run measures and for how long.
 *
 * @param warmupSeconds   least warm-up of each side before its rounds, not reported
 * @param rounds          measured rounds; the report shows their median
 * @param roundSeconds    length of one round
 * @param inFlight        calls in flight for the throughput measurements
 * @param payloadBytes    request and reply body size
 * @param workers         one worker per entry: its handler threads and prefetch
 * @param threadsVariant  also measure throughput with {@code inFlight} threads calling {@code send()}
 * @param queuedCalls     calls queued for the memory measurement; 0 skips it
 * @param compared        other transports measured beside brubeck: {@code http}, {@code grpc}
 * @param workerJvmArgs   extra JVM options for the child JVMs
 * @param verbose         keep the library's INFO logging
 */
record BenchOptions(int warmupSeconds, int rounds, double roundSeconds, int inFlight, int payloadBytes,
                    List<WorkerShape> workers, boolean threadsVariant, int queuedCalls,
                    List<String> compared, List<String> workerJvmArgs, boolean verbose) {

    private static final List<String> TRANSPORTS = List.of("http", "grpc");

    static final String USAGE = """
            usage: java -jar brubeck-service-bench.jar [options]
              --long                 10 s warm-up, 10 rounds of 5 s (default: 5 s warm-up, 5 rounds of 2 s)
              --warmup SECONDS       least warm-up of each side; it goes on in 1 s steps, up to 30 s,
                                     until 3 steps in a row are not 3 % faster than the best before
                                     (default 5; 0 skips the warm-up)
              --rounds N             measured rounds (the report shows medians)
              --round SECONDS        length of one round
              --in-flight N          calls in flight for throughput (default 64)
              --payload BYTES        body size (default 1024)
              --concurrency N[+P][:curve],..
                                     one worker per value: N handler threads, P requests prefetched
                                     beyond them, :curve to encrypt its connection (default 4,2+62)
              --no-threads           skip the N-threads-calling-send() throughput variant
              --queued N             calls queued for the memory measurement (default 100000; 0 skips it)
              --compare LIST         other transports to measure beside brubeck: http, grpc,
                                     http,grpc (the default) or none
              --worker-jvm-arg ARG   extra option for the child JVMs ({role} becomes the child's name); repeat for more
              --verbose              keep the library's INFO logging
            """;

    /** The options from the command line; {@code null} when help was asked for. */
    static BenchOptions parse(String[] args) {
        int warmup = 5;
        int rounds = 5;
        double round = 2;
        int inFlight = 64;
        int payload = 1024;
        List<WorkerShape> workers = List.of(new WorkerShape(4, 0, false), new WorkerShape(2, 62, false));
        boolean threads = true;
        int queued = 100_000;
        List<String> compared = TRANSPORTS;
        List<String> jvmArgs = new ArrayList<>();
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--long" -> {
                    warmup = 10;
                    rounds = 10;
                    round = 5;
                }
                case "--warmup" -> warmup = atLeast(arg, Integer.parseInt(value(args, ++i, arg)), 0);
                case "--rounds" -> rounds = atLeast(arg, Integer.parseInt(value(args, ++i, arg)), 1);
                case "--round" -> round = Double.parseDouble(value(args, ++i, arg));
                case "--in-flight" -> inFlight = atLeast(arg, Integer.parseInt(value(args, ++i, arg)), 1);
                case "--payload" -> payload = atLeast(arg, Integer.parseInt(value(args, ++i, arg)), 0);
                case "--concurrency" -> {
                    List<WorkerShape> list = new ArrayList<>();
                    for (String part : value(args, ++i, arg).split(",")) {
                        list.add(WorkerShape.parse(part));
                    }
                    workers = List.copyOf(list);
                }
                case "--no-threads" -> threads = false;
                case "--queued" -> queued = atLeast(arg, Integer.parseInt(value(args, ++i, arg)), 0);
                case "--compare" -> compared = transports(value(args, ++i, arg));
                case "--worker-jvm-arg" -> jvmArgs.add(value(args, ++i, arg));
                case "--verbose" -> verbose = true;
                default -> throw new IllegalArgumentException("Unknown option: " + arg);
            }
        }
        if (round <= 0) {
            throw new IllegalArgumentException("--round must be positive");
        }
        return new BenchOptions(warmup, rounds, round, inFlight, payload, workers, threads, queued, compared,
                List.copyOf(jvmArgs), verbose);
    }

    private static List<String> transports(String list) {
        if (list.equals("none")) {
            return List.of();
        }
        List<String> chosen = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.trim();
            if (!TRANSPORTS.contains(name)) {
                throw new IllegalArgumentException("--compare takes http, grpc or none, was " + part);
            }
            if (!chosen.contains(name)) {
                chosen.add(name);
            }
        }
        return List.copyOf(chosen);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}
