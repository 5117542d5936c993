package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import org.zeromq.ZMQ;

/**
 * Turns ZeroMQ's CURVE mechanism on for the library's sockets: the client's ROUTER is the CURVE
 * server, each worker's DEALER a CURVE client that trusts only the server's public key.
 */
final class CurveSecurity {
    private static final System.Logger LOG = System.getLogger(CurveSecurity.class.getName());
    private static final int HANDSHAKE_FAILURES = ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_AUTH
            | ZMQ.HANDSHAKE_FAILED_NO_DETAIL;

    private CurveSecurity() {
    }

    /**
     * Makes a client's socket, before it binds, the CURVE server of {@code config}'s key pair. A failed
     * handshake is logged, at most once every 10 s: a worker given another public key, or an outsider,
     * fails it.
     */
    static void serve(ZMQ.Socket socket, ClientConfig config) {
        socket.setCurveServer(true);
        socket.setCurveSecretKey(CurveKeys.decode(config.curveSecretKey()));
        RateLimitedLogger failures = new RateLimitedLogger(LOG, 10_000);
        String publicKey = config.curvePublicKey().orElseThrow();
        // JeroMQ calls the hook on its I/O thread; the logger is safe to share with it.
        socket.setEventHook(event -> failures.log(Level.WARNING, "Client of service '" + config.serviceName()
                + "' bound at " + event.getAddress() + ": a peer failed the CURVE handshake (" + event.getValue()
                + "); a worker whose curve-server-key is not this client's public key " + publicKey
                + " fails it"), HANDSHAKE_FAILURES);
    }

    /** Makes a worker's socket, before it connects, a CURVE client of {@code serverKey} with its own key pair. */
    static void connectAs(ZMQ.Socket socket, CurveKeys.KeyPair own, String serverKey) {
        socket.setCurveServerKey(CurveKeys.decode(serverKey));
        socket.setCurvePublicKey(CurveKeys.decode(own.publicKey()));
        socket.setCurveSecretKey(CurveKeys.decode(own.secretKey()));
    }
}
