package io.brubeck.it.clients;

import org.jboss.shrinkwrap.api.asset.StringAsset;

/** A deployment's own microprofile-config.properties, written from key=value lines. */
final class Config {

    private Config() {
    }

    static StringAsset properties(String... lines) {
        return new StringAsset(String.join("\n", lines) + "\n");
    }
}
