package io.brubeck.service.engine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client endpoint in a JVM of its own, for {@link PartialFrameFloodTest}, which starts it with a small heap:
 * it says its endpoint, then for each line {@value #CALL} <i>n</i> it reads calls {@code /ping} (for
 * {@value #CALL_LARGE} <i>n</i>, {@code /large}) and says how it went, naming the line's two words,
 * and on {@value #STOP} it says whether it still runs, closes and says how long that took and which of its
 * threads are left a moment later.
 */
public final class SmallHeapClient {
    static final String SERVICE = "small-heap";
    static final int MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
    static final String ENDPOINT = "endpoint: ";
    static final String CALL = "call";
    /** Like {@value #CALL}, but calls {@code /large}, whose answer is over the frame budget's small-frame size. */
    static final String CALL_LARGE = "large";
    static final String ANSWERED = "answered: ";
    static final String STOP = "stop";
    static final String CLOSED = "closed: ";

    private SmallHeapClient() {
    }

    public static void main(String[] args) throws Exception {
        ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*")
                .passphrase(Fixtures.SECRET).maxMessageSize(MAX_MESSAGE_SIZE).heartbeatInterval(Duration.ofMillis(200))
                .build());
        System.out.println(ENDPOINT + client.endpoint());
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = input.readLine()) != null && !line.equals(STOP)) {
            String[] words = line.split(" ");
            if (words.length == 2 && (words[0].equals(CALL) || words[0].equals(CALL_LARGE))) {
                String outcome;
                try {
                    outcome = String.valueOf(client.request(words[0].equals(CALL) ? "/ping" : "/large")
                            .timeout(Duration.ofSeconds(5)).send().response().statusCode());
                } catch (RuntimeException e) {
                    outcome = e.toString();
                }
                System.out.println(ANSWERED + words[0] + words[1] + ": " + outcome);
            }
        }
        boolean running = client.isRunning();
        long start = System.nanoTime();
        client.close();
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long joinUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        StringBuilder left = new StringBuilder();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("brubeck-")) {
                thread.join(Math.max(1, Duration.ofNanos(joinUntil - System.nanoTime()).toMillis()));
                if (thread.isAlive()) {
                    left.append(' ').append(thread.getName());
                }
            }
        }
        System.out.println(CLOSED + "running=" + running + " ms=" + millis + " left=[" + left.toString().trim() + "]");
    }
}
