package io.brubeck.service.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.zeromq.ZMQ;

/**
 * The message ZeroMQ hands a socket of ours itself when one of its connections is lost, so that a
 * session ends with its connection rather than at its silence limit (PROTOCOL §7.5). A ROUTER gets it,
 * after the routing id, when a connection it accepted closes ({@code ZMQ_DISCONNECT_MSG}); a DEALER gets
 * it when its connection breaks, as it begins to connect again ({@code ZMQ_HICCUP_MSG}). Either comes
 * after every whole message that arrived on the connection.
 *
 * <p>It is one frame, which no message of the protocol is. A peer can send the same bytes; that ends
 * only its own connection's session, which it can do as well by closing it.
 */
final class ConnectionLossNotice {
    private static final byte[] NOTICE = "brubeck: connection lost".getBytes(StandardCharsets.US_ASCII);

    private ConnectionLossNotice() {
    }

    /** Has a ROUTER, before it binds, report each connection it accepted that closes. */
    static void reportClosedConnections(ZMQ.Socket router) {
        router.base().setSocketOpt(zmq.ZMQ.ZMQ_DISCONNECT_MSG, NOTICE);
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
