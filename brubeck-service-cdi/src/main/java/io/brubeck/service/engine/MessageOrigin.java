package io.brubeck.service.engine;

import zmq.io.Metadata;

/**
 * Where the last message a socket loop read came from, as ZeroMQ tells it: for what the loop logs about
 * a peer it knows nothing else of, such as one with another passphrase. Used only by the loop's thread.
 */
final class MessageOrigin {
    /** The metadata of the message's connection; null when ZeroMQ attached none. */
    Metadata metadata;

    /**
     * The peer's address and port ({@code 127.0.0.1:50628}, {@code [::1]:50628}), or "an unknown address".
     * ZeroMQ writes an IPv6 address without brackets, which leaves the port ambiguous to a reader.
     */
    String address() {
        String address = metadata == null ? null : metadata.get(Metadata.PEER_ADDRESS);
        if (address == null || address.isEmpty()) {
            return "an unknown address";
        }
        int portColon = address.lastIndexOf(':');
        boolean ipv6 = portColon > 0 && address.indexOf(':') < portColon && address.charAt(0) != '[';
        return ipv6 ? "[" + address.substring(0, portColon) + "]" + address.substring(portColon) : address;
    }
}
