package io.brubeck.service.engine;

import zmq.io.Metadata;

/**
 * Where the last message a socket loop read came from, as ZeroMQ tells it: for what the loop logs about
 * a peer it knows nothing else of, such as one with another passphrase. Used only by the loop's thread.
 */
final class MessageOrigin {
    /** The metadata of the message's connection; null when ZeroMQ attached none. */
    Metadata metadata;

    /** The peer's address and port ({@code 127.0.0.1:50628}), or "an unknown address". */
    String address() {
        String address = metadata == null ? null : metadata.get(Metadata.PEER_ADDRESS);
        return address == null || address.isEmpty() ? "an unknown address" : address;
    }
}
