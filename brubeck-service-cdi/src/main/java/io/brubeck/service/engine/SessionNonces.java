package io.brubeck.service.engine;

import java.security.SecureRandom;

/**
 * Draws the nonces that name a connection's session (docs/PROTOCOL.md §5.1): random, so that a
 * message recorded in one session is never valid in another, and never 0, which means "not known yet".
 */
final class SessionNonces {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionNonces() {
    }

    static long draw() {
        long nonce;
        do {
            nonce = RANDOM.nextLong();
        } while (nonce == 0);
        return nonce;
    }
}
