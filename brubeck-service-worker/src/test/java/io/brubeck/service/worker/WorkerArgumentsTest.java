package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The program takes no arguments, and does not repeat those it is given: one may be a secret. */
class WorkerArgumentsTest {

    @Test
    void unexpectedArgumentsAreCountedNotShown() {
        String said = WorkerMain.unexpectedArguments(new String[] {"--passphrase=TopSecret123", "x"});
        assertEquals("brubeck-service worker takes no arguments, was given 2 (not shown, as they may hold secrets); its "
                + "settings come from MicroProfile Config, as the usage above says", said);
    }
}
