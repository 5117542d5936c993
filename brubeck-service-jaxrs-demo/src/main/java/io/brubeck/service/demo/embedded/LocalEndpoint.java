package io.brubeck.service.demo.embedded;

/**
 * The address a worker on this machine connects to, from the address a client endpoint is bound to:
 * a wildcard host ({@code *}, {@code 0.0.0.0}, {@code [::]}) becomes the loopback address.
 */
final class LocalEndpoint {

    private LocalEndpoint() {
    }

    /**
     * Where workers connect, as the ready line says it: the connectable address, and the bound one too
     * when it differs, so that whoever sets up workers on other machines sees what is bound.
     */
    static String describe(String bound) {
        String connectable = connectable(bound);
        return connectable.equals(bound) ? bound : connectable + " on this machine, where the client is bound to " + bound;
    }

    static String connectable(String bound) {
        if (bound == null || !bound.startsWith("tcp://")) {
            return bound;
        }
        String rest = bound.substring("tcp://".length());
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            return bound;
        }
        String host = rest.substring(0, colon);
        String port = rest.substring(colon);
        return switch (host) {
            case "*", "0.0.0.0" -> "tcp://127.0.0.1" + port;
            case "[::]", "::" -> "tcp://[::1]" + port;
            default -> bound;
        };
    }
}
