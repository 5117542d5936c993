package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.BindException;
import org.junit.jupiter.api.Test;

/** What a failed start says: each cause once, and nothing a message before it already said. */
class StartupFailureTest {
    private static final String NEXT = System.lineSeparator() + "  ";

    @Test
    void aCauseThatAMessageAlreadyQuotesIsNotRepeated() {
        BindException inUse = new BindException("Address already in use");
        IllegalStateException failure = new IllegalStateException("The web server cannot listen on 127.0.0.1:6767 "
                + "(Address already in use); choose another port with -Ddemo.http.port=..., or 0 for a free one", inUse);

        assertEquals(failure.getMessage(), StartupFailure.describe(failure));
    }

    @Test
    void aCauseWithTheSameMessageIsNotRepeated() {
        IllegalStateException failure = new IllegalStateException("Unresolved address",
                new IllegalArgumentException(" Unresolved address "));

        assertEquals("Unresolved address", StartupFailure.describe(failure));
    }

    @Test
    void aCauseWrappedWithItsOwnTextIsSaidOnce() {
        RuntimeException failure = new RuntimeException(new BindException("Address already in use"));

        assertEquals("java.net.BindException: Address already in use", StartupFailure.describe(failure));
    }

    @Test
    void causesThatSayMoreAreKeptInOrder() {
        IllegalStateException deployment = new IllegalStateException("The deployment failed",
                new IllegalArgumentException("brubeck.service.demo.passphrase is missing"));
        deployment.addSuppressed(new IllegalArgumentException("brubeck.service.demo.endpoint is missing"));

        assertEquals("The deployment failed" + NEXT + "brubeck.service.demo.endpoint is missing" + NEXT
                + "brubeck.service.demo.passphrase is missing", StartupFailure.describe(deployment));
    }

    @Test
    void aFailureWithoutAnyMessageIsNamedByItsType() {
        assertEquals("java.lang.IllegalStateException", StartupFailure.describe(new IllegalStateException()));
    }
}
