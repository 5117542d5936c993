package io.brubeck.service.demo.embedded;

import java.util.Optional;

/**
 * The command that starts a worker for the demo by hand, as the demo suggests it when it starts none or when
 * its child worker ended: where to connect, the CURVE public key when the demo encrypts, and, when the demo's
 * passphrase is not the one the worker program has by default, that the worker needs it too. The passphrase
 * itself is never part of it: it is a secret.
 */
final class WorkerByHand {
    /** The passphrase the worker program takes when none is set (from its own microprofile-config.properties). */
    static final String WORKER_DEFAULT_PASSPHRASE = "my_shared_secret";

    private WorkerByHand() {
    }

    /**
     * @param endpoint       the client endpoint to connect to
     * @param curveServerKey the public key of the client's CURVE key pair, when it encrypts
     * @param workerJar      the worker program
     * @param passphrase     the demo's passphrase, only to tell whether the worker's default will do
     */
    static String command(String endpoint, Optional<String> curveServerKey, String workerJar, String passphrase) {
        return "java -Dbrubeck.worker.connect=" + endpoint
                + curveServerKey.map(key -> " '-Dbrubeck.worker.curve-server-key=" + key + "'").orElse("")
                + " -jar " + workerJar
                + (WORKER_DEFAULT_PASSPHRASE.equals(passphrase) ? ""
                        : ", with the environment variable BRUBECK_WORKER_PASSPHRASE set to the demo's passphrase");
    }
}
