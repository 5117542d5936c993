package io.brubeck.service.bench;

import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.CurveKeys;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One benchmark run: starts the child JVMs, measures throughput and latency of the raw echo, of
 * brubeck and of the other transports side by side, round by round, then the heap per queued call;
 * prints every round and a summary of medians; stops everything it started.
 */
final class Benchmark {
    private static final double THROUGHPUT_TARGET = 0.8;
    private static final double P50_TARGET = 1.2;
    private static final int HEAP_TARGET = 1024;
    private static final long JOIN_TIMEOUT_MILLIS = 30_000;
    private static final long WARMUP_STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A warm-up step faster than the best before it by more than this is a gain: the side is not warm yet. */
    private static final double GAIN = 0.03;
    /** Warm-up steps in a row without a gain after which a side counts as warm. */
    private static final int STEPS_WITHOUT_GAIN = 3;

    /** One measurement of one side, run for a given time. */
    private interface Probe<R> {
        R run(long nanos) throws Exception;
    }

    /** A probe and the results of its rounds; brubeck's entries are judged against the targets. */
    private record Entry<R>(String name, Probe<R> probe, List<R> rounds) {
        Entry(String name, Probe<R> probe) {
            this(name, probe, new ArrayList<>());
        }

        boolean isBrubeck() {
            return name.startsWith("brubeck");
        }
    }

    /** Latency percentiles of one round, in microseconds. */
    private record Latency(double p50, double p99, int samples) {
    }

    /** Throughput of one round, and the CPU time both processes spent per call. */
    private record Throughput(double callsPerSecond, double cpuMicrosPerCall) {
    }

    /** A brubeck client endpoint with its worker JVM. */
    private record BrubeckSide(WorkerShape shape, ServiceClientEndpoint client, ChildJvm worker, BrubeckProbes probes) {
    }

    /** Another transport brubeck is compared with: its server JVM and its client's two measurements. */
    private record ComparedSide(String name, ChildJvm server, WindowProbe throughput, Probe<LongSamples> latency) {
    }

    /** Throughput with a given number of calls in flight. */
    private interface WindowProbe {
        Rate run(long nanos, int window) throws Exception;
    }

    private final BenchOptions options;
    private final byte[] payload;
    private final long startNanos = System.nanoTime();

    Benchmark(BenchOptions options) {
        this.options = options;
        this.payload = new byte[options.payloadBytes()];
        new Random(42).nextBytes(payload);
    }

    void run() throws Exception {
        printSetup();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        List<Entry<Throughput>> throughput = new ArrayList<>();
        List<Entry<Latency>> latency = new ArrayList<>();
        List<QueueMemory.Result> memory = new ArrayList<>();
        try {
            ChildJvm echo = new ChildJvm("raw-echo", options.workerJvmArgs(), List.of("raw"));
            opened.push(echo);
            RawEchoClient raw = new RawEchoClient(echo.endpoint(), payload);
            opened.push(raw);
            List<BrubeckSide> sides = new ArrayList<>();
            for (WorkerShape shape : options.workers()) {
                BrubeckSide side = startBrubeck(shape, opened);
                sides.add(side);
            }
            List<ComparedSide> others = startCompared(opened);
            System.out.printf("  child JVMs: raw echo pid %d; %s%n%n", echo.pid(), Stream.concat(
                    sides.stream().map(s -> "brubeck worker " + s.shape() + " pid " + s.worker().pid()),
                    others.stream().map(o -> o.name() + " server pid " + o.server().pid()))
                    .collect(Collectors.joining("; ")));

            int window = options.inFlight();
            throughput.add(new Entry<>("raw", withCpu(echo, nanos -> raw.throughput(nanos, window))));
            for (BrubeckSide side : sides) {
                throughput.add(new Entry<>("brubeck " + side.shape() + " sendAsync",
                        withCpu(side.worker(), nanos -> side.probes().throughputAsync(nanos, window))));
                if (options.threadsVariant()) {
                    throughput.add(new Entry<>("brubeck " + side.shape() + " " + window + " threads",
                            withCpu(side.worker(), nanos -> side.probes().throughputThreads(nanos, window))));
                }
            }
            for (ComparedSide other : others) {
                throughput.add(new Entry<>(other.name(),
                        withCpu(other.server(), nanos -> other.throughput().run(nanos, window))));
            }
            measure("Throughput, " + window + " in flight (calls/s, CPU us per call)", throughput,
                    v -> String.format(Locale.ROOT, "%,.0f/s %.1fus", v.callsPerSecond(), v.cpuMicrosPerCall()),
                    Throughput::callsPerSecond);

            latency.add(new Entry<>("raw", nanos -> latencyOf(raw.latency(nanos))));
            for (BrubeckSide side : sides) {
                latency.add(new Entry<>("brubeck " + side.shape() + " send",
                        nanos -> latencyOf(side.probes().latency(nanos))));
            }
            for (ComparedSide other : others) {
                latency.add(new Entry<>(other.name(), nanos -> latencyOf(other.latency().run(nanos))));
            }
            measure("Latency, 1 in flight (p50/p99 µs)", latency,
                    v -> String.format(Locale.ROOT, "%.0f/%.0f", v.p50(), v.p99()), v -> 1 / v.p50());

            closeAll(opened); // the memory measurement runs with nothing else going on
            if (options.queuedCalls() > 0) {
                memory = measureMemory();
            }
        } finally {
            closeAll(opened);
        }
        printSummary(throughput, latency, memory);
    }

    /**
     * A throughput probe that also reports the CPU time this JVM and the serving child spent per call
     * during the round: a figure other load on the machine disturbs much less than calls per second.
     */
    private static Probe<Throughput> withCpu(ChildJvm server, Probe<Rate> probe) {
        return nanos -> {
            long cpuBefore = CpuTime.self() + server.cpuNanos();
            Rate rate = probe.run(nanos);
            long cpu = CpuTime.self() + server.cpuNanos() - cpuBefore;
            return new Throughput(rate.perSecond(), cpu / 1e3 / (rate.calls() + rate.drained()));
        };
    }

    private BrubeckSide startBrubeck(WorkerShape shape, Deque<AutoCloseable> opened) throws Exception {
        CurveKeys.KeyPair keys = shape.curve() ? CurveKeys.generate() : null;
        ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder(WorkerCommand.SERVICE)
                .endpoint("tcp://127.0.0.1:*")
                .passphrase(WorkerCommand.PASSPHRASE)
                .curveSecretKey(keys == null ? null : keys.secretKey())
                .build());
        ChildJvm worker;
        try {
            List<String> command = new ArrayList<>(List.of("brubeck", client.endpoint(),
                    String.valueOf(shape.concurrency()), String.valueOf(shape.prefetch())));
            if (keys != null) {
                command.add(keys.publicKey());
            }
            worker = new ChildJvm("brubeck-c" + shape.concurrency() + "-p" + shape.prefetch() + (keys == null ? "" : "-curve"),
                    options.workerJvmArgs(), command);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
        // Closed in reverse: the client first, so that the worker's goodbye is not logged as a lost worker.
        opened.push(worker);
        opened.push(client);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MILLIS);
        while (client.status().toCompletableFuture().get(10, TimeUnit.SECONDS).workers().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The brubeck worker did not join within " + JOIN_TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
        return new BrubeckSide(shape, client, worker, new BrubeckProbes(client, payload));
    }

    /**
     * Starts the server of each other transport in a child JVM, with as many handler threads as this
     * machine has cores, and a client for it in this JVM.
     */
    private List<ComparedSide> startCompared(Deque<AutoCloseable> opened) throws Exception {
        String handlerThreads = String.valueOf(Runtime.getRuntime().availableProcessors());
        List<ComparedSide> sides = new ArrayList<>();
        for (String transport : options.compared()) {
            List<String> jvmOptions = new ArrayList<>(options.workerJvmArgs());
            if (transport.equals("http")) {
                // Without TCP_NODELAY, the server's separate writes of headers and body meet the client's
                // delayed acknowledgement: 40 ms per exchange on Linux.
                jvmOptions.add("-Dsun.net.httpserver.nodelay=true");
            }
            ChildJvm server = new ChildJvm(transport + "-echo", jvmOptions, List.of(transport, handlerThreads));
            opened.push(server);
            if (transport.equals("http")) {
                HttpEchoClient http = new HttpEchoClient(server.endpoint(), payload);
                sides.add(new ComparedSide("http (JDK client and server)", server, http::throughput, http::latency));
            } else {
                GrpcEchoClient grpc = new GrpcEchoClient(server.endpoint(), payload);
                opened.push(grpc);
                sides.add(new ComparedSide("grpc (Netty, plaintext)", server, grpc::throughput, grpc::latency));
            }
        }
        return sides;
    }

    /**
     * Warms every probe up, then runs the rounds, interleaved and rotated so no side always goes first.
     *
     * @param speed how good one result is, higher being better; the warm-up uses it to see whether a
     *              side still speeds up
     */
    private <R> void measure(String title, List<Entry<R>> entries, Function<R, String> format,
                             ToDoubleFunction<R> speed) throws Exception {
        System.out.printf(Locale.ROOT, "%s  [%s, load average %.2f]%n", title, elapsed(), CpuTime.loadAverage());
        if (options.warmupSeconds() > 0) {
            StringBuilder line = new StringBuilder("  warm-up:");
            for (Entry<R> entry : entries) {
                long nanos = warmUp(entry.probe(), speed);
                line.append(String.format(Locale.ROOT, "  %s %d s;", entry.name(), TimeUnit.NANOSECONDS.toSeconds(nanos)));
            }
            System.out.println(line);
        }
        long round = (long) (options.roundSeconds() * 1e9);
        for (int r = 0; r < options.rounds(); r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %2d:", r + 1));
            for (int i = 0; i < entries.size(); i++) {
                Entry<R> entry = entries.get((i + r) % entries.size());
                R value = entry.probe().run(round);
                entry.rounds().add(value);
                line.append("  ").append(entry.name()).append(' ').append(format.apply(value)).append(';');
            }
            System.out.println(line);
        }
        System.out.println();
    }

    /**
     * Runs a probe for the warm-up time, then on in steps until several steps in a row are no faster
     * than the best before them: a large framework takes its JIT compiler far longer to reach full
     * speed than a small loop does, and every side is to be measured at its best. Returns how long the
     * warm-up took.
     */
    private <R> long warmUp(Probe<R> probe, ToDoubleFunction<R> speed) throws Exception {
        long start = System.nanoTime();
        probe.run(TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
        long limit = start + Math.max(MAX_WARMUP_NANOS, TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
        double best = speed.applyAsDouble(probe.run(WARMUP_STEP_NANOS));
        int stepsWithoutGain = 0;
        while (stepsWithoutGain < STEPS_WITHOUT_GAIN && System.nanoTime() - limit < 0) {
            double next = speed.applyAsDouble(probe.run(WARMUP_STEP_NANOS));
            if (next > best * (1 + GAIN)) {
                stepsWithoutGain = 0;
            } else {
                stepsWithoutGain++;
            }
            best = Math.max(best, next);
        }
        return System.nanoTime() - start;
    }

    private List<QueueMemory.Result> measureMemory() throws Exception {
        int calls = options.queuedCalls();
        System.out.printf(Locale.ROOT, "Client heap per queued call, %,d calls, no worker  [%s, load average %.2f]%n",
                calls, elapsed(), CpuTime.loadAverage());
        QueueMemory queueMemory = new QueueMemory();
        byte[] empty = new byte[0];
        byte[] kib = new byte[1024];
        List<QueueMemory.Result> results = new ArrayList<>();
        results.add(queueMemory.measure(calls, i -> empty));
        results.add(queueMemory.measure(calls, i -> kib));
        results.add(queueMemory.measure(calls, i -> new byte[1024]));
        System.out.printf(Locale.ROOT, "  empty body %.0f B; 1 KiB shared body %.0f B; 1 KiB own body %.0f B%n",
                results.get(0).bytesPerCall(), results.get(1).bytesPerCall(), results.get(2).bytesPerCall());
        for (QueueMemory.Result result : results) {
            if (result.leftIncomplete() > 0) {
                System.out.printf(Locale.ROOT, "  WARNING: %,d of %,d queued calls were never completed after "
                        + "close() (neither answered nor failed)%n", result.leftIncomplete(), calls);
            }
        }
        System.out.println();
        return results;
    }

    private void printSetup() {
        Runtime runtime = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        System.out.println("brubeck-service benchmark");
        System.out.printf(Locale.ROOT, "  machine: %d cores, %s %s %s; %s %s; GC %s; max heap %d MiB%n",
                runtime.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
                gcs, runtime.maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "  clients in this JVM (pid %d, options %s); echo server and workers each "
                        + "in a child JVM (options %s)%n", ProcessHandle.current().pid(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), options.workerJvmArgs());
        System.out.printf(Locale.ROOT, "  payload %d B; each side warmed up for at least %d s (longer while it "
                        + "still speeds up, up to 30 s), then %d rounds of %.1f s, sides interleaved; summary shows medians%n",
                options.payloadBytes(), options.warmupSeconds(), options.rounds(), options.roundSeconds());
        System.out.printf(Locale.ROOT, "  brubeck workers (c=handler threads+prefetch; credit is their sum): %s; "
                + "client callbacks on its own pool%n", options.workers());
        if (!options.compared().isEmpty()) {
            System.out.printf(Locale.ROOT, "  compared with %s: echo servers with %d handler threads (this machine's "
                    + "cores), no authentication%n", String.join(" and ", options.compared()),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private void printSummary(List<Entry<Throughput>> throughput, List<Entry<Latency>> latency,
                              List<QueueMemory.Result> memory) {
        System.out.println("Summary: medians of " + options.rounds() + " rounds [min-max]  (run took " + elapsed() + ")");
        if (!throughput.isEmpty() && !throughput.get(0).rounds().isEmpty()) {
            double raw = median(throughput.get(0).rounds(), Throughput::callsPerSecond);
            double rawCpu = median(throughput.get(0).rounds(), Throughput::cpuMicrosPerCall);
            System.out.printf(Locale.ROOT, "%-34s %28s %6s %10s %6s  %s%n", "throughput, " + options.inFlight()
                    + " in flight", "calls/s", "x raw", "CPU us/call", "x raw", "target");
            for (Entry<Throughput> entry : throughput) {
                double value = median(entry.rounds(), Throughput::callsPerSecond);
                double cpu = median(entry.rounds(), Throughput::cpuMicrosPerCall);
                double ratio = value / raw;
                String target = entry.isBrubeck() ? verdict(ratio >= THROUGHPUT_TARGET, ">= 0.80") : "";
                System.out.printf(Locale.ROOT, "  %-32s %8.0f [%7.0f-%7.0f] %6.2f %11.1f %6.2f  %s%n", entry.name(),
                        value, min(entry.rounds(), Throughput::callsPerSecond),
                        max(entry.rounds(), Throughput::callsPerSecond), ratio, cpu, cpu / rawCpu, target);
            }
        }
        if (!latency.isEmpty() && !latency.get(0).rounds().isEmpty()) {
            double rawP50 = median(latency.get(0).rounds(), Latency::p50);
            double rawP99 = median(latency.get(0).rounds(), Latency::p99);
            System.out.printf(Locale.ROOT, "%-34s %19s %19s %6s %6s  %s%n", "latency, 1 in flight", "p50 us",
                    "p99 us", "p50 x", "p99 x", "target");
            for (Entry<Latency> entry : latency) {
                double p50 = median(entry.rounds(), Latency::p50);
                double p99 = median(entry.rounds(), Latency::p99);
                String target = entry.isBrubeck() ? verdict(p50 / rawP50 <= P50_TARGET, "p50 <= 1.20") : "";
                System.out.printf(Locale.ROOT, "  %-32s %5.0f [%5.0f-%5.0f] %5.0f [%5.0f-%5.0f] %6.2f %6.2f  %s%n",
                        entry.name(), p50, min(entry.rounds(), Latency::p50), max(entry.rounds(), Latency::p50),
                        p99, min(entry.rounds(), Latency::p99), max(entry.rounds(), Latency::p99),
                        p50 / rawP50, p99 / rawP99, target);
            }
        }
        printComparison(throughput, latency);
        if (!memory.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-34s %10s  %s%n", "client heap per queued call", "bytes", "target");
            double empty = memory.get(0).bytesPerCall();
            double shared = memory.get(1).bytesPerCall();
            System.out.printf(Locale.ROOT, "  %-32s %10.0f  %s%n", "empty body", empty,
                    verdict(empty <= HEAP_TARGET, "<= 1024"));
            System.out.printf(Locale.ROOT, "  %-32s %10.0f  %s%n", "1 KiB body, one array for all", shared,
                    verdict(shared <= HEAP_TARGET, "<= 1024"));
            System.out.printf(Locale.ROOT, "  %-32s %10.0f  (the body array itself is 1040 B)%n",
                    "1 KiB body, own array per call", memory.get(2).bytesPerCall());
            int incomplete = memory.stream().mapToInt(QueueMemory.Result::leftIncomplete).max().orElse(0);
            if (incomplete > 0) {
                System.out.printf(Locale.ROOT, "  after close(): up to %,d of %,d queued calls never completed%n",
                        incomplete, options.queuedCalls());
            }
        }
    }

    /**
     * Brubeck's best medians against each other transport's: throughput and p50 latency ratios, naming
     * the brubeck measurement each ratio comes from.
     */
    private static void printComparison(List<Entry<Throughput>> throughput, List<Entry<Latency>> latency) {
        List<Entry<Throughput>> others = throughput.stream().skip(1).filter(e -> !e.isBrubeck())
                .filter(e -> !e.rounds().isEmpty()).toList();
        Optional<Entry<Throughput>> fastest = throughput.stream().filter(Entry::isBrubeck)
                .filter(e -> !e.rounds().isEmpty())
                .max(Comparator.comparingDouble(e -> median(e.rounds(), Throughput::callsPerSecond)));
        Optional<Entry<Latency>> quickest = latency.stream().filter(Entry::isBrubeck).filter(e -> !e.rounds().isEmpty())
                .min(Comparator.comparingDouble(e -> median(e.rounds(), Latency::p50)));
        if (others.isEmpty() || fastest.isEmpty() || quickest.isEmpty()) {
            return;
        }
        double bestCalls = median(fastest.get().rounds(), Throughput::callsPerSecond);
        double bestP50 = median(quickest.get().rounds(), Latency::p50);
        System.out.printf(Locale.ROOT, "brubeck's best against the others (above 1: brubeck is better): %s, %s%n",
                fastest.get().name(), quickest.get().name());
        System.out.printf(Locale.ROOT, "%-34s %19s %19s%n", "", "x their calls/s", "their p50 / ours");
        for (Entry<Throughput> other : others) {
            double p50 = latency.stream().filter(e -> e.name().equals(other.name())).filter(e -> !e.rounds().isEmpty())
                    .mapToDouble(e -> median(e.rounds(), Latency::p50)).findFirst().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "  %-32s %19.2f %19.2f%n", other.name(),
                    bestCalls / median(other.rounds(), Throughput::callsPerSecond), p50 / bestP50);
        }
    }

    private static Latency latencyOf(LongSamples samples) {
        return new Latency(samples.percentile(0.50) / 1e3, samples.percentile(0.99) / 1e3, samples.size());
    }

    private static String verdict(boolean met, String target) {
        return target + (met ? "  met" : "  MISSED");
    }

    private static <R> double median(List<R> rounds, ToDoubleFunction<R> value) {
        double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static <R> double min(List<R> rounds, ToDoubleFunction<R> value) {
        return rounds.stream().mapToDouble(value).min().orElse(Double.NaN);
    }

    private static <R> double max(List<R> rounds, ToDoubleFunction<R> value) {
        return rounds.stream().mapToDouble(value).max().orElse(Double.NaN);
    }

    private String elapsed() {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                System.err.println("Closing failed: " + e);
            }
        }
    }
}
