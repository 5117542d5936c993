package io.brubeck.service.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.zeromq.ZMQ;

/**
 * The message ZeroMQ hands a worker's DEALER itself when its connection to a client breaks
 * ({@code ZMQ_HICCUP_MSG}), so that the worker ends the session with its connection rather than at its
 * next message there (PROTOCOL §7.5). It comes after every whole message that arrived on the connection.
 * It is one frame, which no message of the protocol is; a client that sends the same bytes ends the
 * session as closing the connection would.
 *
 * <p>The client's ROUTER is not given the like ({@code ZMQ_DISCONNECT_MSG}): JeroMQ 0.6.0 also hands it
 * over for a connection whose handshake failed, before the ROUTER has read that connection's routing
 * id, and the ROUTER takes the notice for the routing id. Two such connections at once, which anyone who
 * reaches the endpoint can open, then leave one of them in the socket for good.
 */
final class ConnectionLossNotice {
    private static final byte[] NOTICE = "brubeck: connection lost".getBytes(StandardCharsets.US_ASCII);

    private ConnectionLossNotice() {
    }

    /** Has a DEALER, before it connects, report each time its connection breaks. */
    static void reportBrokenConnections(ZMQ.Socket dealer) {
        dealer.base().setSocketOpt(zmq.ZMQ.ZMQ_HICCUP_MSG, NOTICE);
    }

    /** Whether a message of one frame is the notice. */
    static boolean is(byte[] frame) {
        return Arrays.equals(frame, NOTICE);
    }
}
