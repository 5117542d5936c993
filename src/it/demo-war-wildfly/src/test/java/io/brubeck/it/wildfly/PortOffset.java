package io.brubeck.it.wildfly;

import io.brubeck.it.support.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A value for WildFly's {@code jboss.socket.binding.port-offset} that moves every port of a server
 * configuration (HTTP, HTTPS, management, and the fixed IIOP ports of the full profile) onto ports nothing
 * listens on now. The ports stay below the range the system hands out for ephemeral ports, where the tests'
 * other programs bind.
 */
final class PortOffset {
    /** The ports of a configuration's socket bindings, written {@code port="8080"} or {@code port="${jboss.http.port:8080}"}. */
    private static final Pattern SOCKET_BINDING_PORT = Pattern.compile(
            "<socket-binding name=\"[^\"]+\"[^>]*\\sport=\"(?:\\$\\{[^:}]+:)?(\\d+)}?\"");
    private static final int ATTEMPTS = 100;

    private PortOffset() {
    }

    /** An offset under which every port of the configuration file is free now. */
    static int pickFor(Path configuration) {
        List<Integer> ports = ports(configuration);
        int highest = ports.stream().mapToInt(Integer::intValue).max().orElseThrow(
                () -> new IllegalStateException("No socket binding ports in " + configuration));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(FreePort.LOWEST_FIXED, FreePort.HIGHEST_FIXED - highest);
            if (ports.stream().allMatch(port -> FreePort.isFree(port + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("No port offset leaves all of " + ports + " free");
    }

    private static List<Integer> ports(Path configuration) {
        try {
            return SOCKET_BINDING_PORT.matcher(Files.readString(configuration)).results()
                    .map(match -> Integer.valueOf(match.group(1))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
