package io.brubeck.service.bench;

/**
 * How a benchmark worker takes on work: its handler threads, the requests it takes beyond them, and
 * whether its connection is encrypted, written {@code N}, {@code N+P}, {@code N:curve} or
 * {@code N+P:curve} on the command line.
 *
 * @param concurrency handler threads
 * @param prefetch    requests each client may send beyond them
 * @param curve       whether client and worker encrypt their connection with CURVE
 */
record WorkerShape(int concurrency, int prefetch, boolean curve) {
    private static final String CURVE_SUFFIX = ":curve";

    static WorkerShape parse(String text) {
        String shape = text.trim();
        boolean curve = shape.endsWith(CURVE_SUFFIX);
        String[] parts = (curve ? shape.substring(0, shape.length() - CURVE_SUFFIX.length()) : shape).split("\\+", 2);
        int concurrency = Integer.parseInt(parts[0].trim());
        int prefetch = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 0;
        if (concurrency < 1 || prefetch < 0) {
            throw new IllegalArgumentException("--concurrency takes N, N+P, N:curve or N+P:curve with N >= 1 and P >= 0, was "
                    + text);
        }
        return new WorkerShape(concurrency, prefetch, curve);
    }

    @Override
    public String toString() {
        return "c=" + concurrency + (prefetch == 0 ? "" : "+" + prefetch) + (curve ? " CURVE" : "");
    }
}
