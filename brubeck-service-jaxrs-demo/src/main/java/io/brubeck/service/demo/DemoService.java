package io.brubeck.service.demo;

/** What the demo calls: the service's name, its paths, and the original demo's arguments. */
public final class DemoService {
    /** The service's name; its client is configured under {@code brubeck.service.demo.}. */
    public static final String NAME = "demo";
    /** The slow echo route of the demo worker. */
    public static final String SLOW_PATH = "/service/slow";
    /** The prime-counting route of the demo worker. */
    public static final String PRIMES_PATH = "/service/primes";
    /** What a synchronous call asks the slow service to echo. */
    public static final String SYNC_RETURN_DATA = "I made a round trip, it took a while but I bring results.";
    /** What a nowait call asks the slow service to echo. */
    public static final String ASYNC_RETURN_DATA = "I made a round trip, it took so long I will respond to no one.";

    private DemoService() {
    }
}
