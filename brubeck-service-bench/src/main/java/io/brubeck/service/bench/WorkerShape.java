package io.brubeck.service.bench;

/**
 * How a benchmark worker takes on work: its handler threads and the requests it takes beyond them,
 * written {@code N} or {@code N+P} on the command line.
 *
 * @param concurrency handler threads
 * @param prefetch    requests each client may send beyond them
 */
record WorkerShape(int concurrency, int prefetch) {

    static WorkerShape parse(String text) {
        String[] parts = text.trim().split("\\+", 2);
        int concurrency = Integer.parseInt(parts[0].trim());
        int prefetch = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 0;
        if (concurrency < 1 || prefetch < 0) {
            throw new IllegalArgumentException("--concurrency takes N or N+P with N >= 1 and P >= 0, was " + text);
        }
        return new WorkerShape(concurrency, prefetch);
    }

    @Override
    public String toString() {
        return prefetch == 0 ? "c=" + concurrency : "c=" + concurrency + "+" + prefetch;
    }
}
