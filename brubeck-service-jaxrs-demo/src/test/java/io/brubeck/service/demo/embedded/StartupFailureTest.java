package io.brubeck.service.demo.embedded;

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
    void aCauseWhoseReasonTheMessageAlreadyGivesIsLeftOutAndSoIsABareErrorNumber() {
        String reason = "address already in use (or not an address of this machine); choose another port, or "
                + "tcp://127.0.0.1:* to take any free one";
        IllegalStateException failure = new IllegalStateException("The client of service 'demo' cannot bind "
                + "brubeck.service.demo.endpoint=tcp://127.0.0.1:5555: " + reason,
                new IllegalStateException("Service 'demo' cannot bind tcp://127.0.0.1:5555: " + reason,
                        new RuntimeException("Errno 48")));

        assertEquals(failure.getMessage(), StartupFailure.describe(failure));
    }

    @Test
    void aCauseThatRepeatsTheReasonOfAnotherEndpointKeyIsLeftOut() {
        String reason = "its host name does not resolve (no.such.host.invalid: Name or service not known)";
        IllegalStateException failure = new IllegalStateException("The worker of service 'demo' cannot connect to "
                + "brubeck.worker.connect=tcp://no.such.host.invalid:5555: " + reason,
                new IllegalArgumentException("Worker of service 'demo' cannot connect to tcp://no.such.host.invalid:5555: "
                        + reason));

        assertEquals(failure.getMessage(), StartupFailure.describe(failure));
    }

    @Test
    void aCauseWithAnotherReasonIsKept() {
        IllegalStateException failure = new IllegalStateException("The worker of service 'demo' cannot connect to "
                + "brubeck.worker.connect=tcp://example.org:5555: its host name does not resolve",
                new IllegalArgumentException("Lookup: the name server did not answer"));

        assertEquals(failure.getMessage() + NEXT + "Lookup: the name server did not answer",
                StartupFailure.describe(failure));
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
