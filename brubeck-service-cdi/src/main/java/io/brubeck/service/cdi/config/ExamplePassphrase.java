package io.brubeck.service.cdi.config;

import java.util.Optional;

/**
 * The passphrase of the original demo, which this project's documentation and demo publish as well: a
 * deployment that keeps it has no secret, so it is warned about, though it works.
 */
final class ExamplePassphrase {
    static final String VALUE = "my_shared_secret";

    private ExamplePassphrase() {
    }

    /** The warning for a key whose value is the example passphrase; empty for any other value. */
    static Optional<String> warning(String passphrase, String key) {
        if (!VALUE.equals(passphrase)) {
            return Optional.empty();
        }
        return Optional.of(key + " is the example passphrase that brubeck-service's documentation publishes, so "
                + "anyone can sign messages with it and it authenticates nothing; set a secret of your own");
    }
}
