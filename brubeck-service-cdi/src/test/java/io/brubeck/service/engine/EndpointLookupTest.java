package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EndpointLookupTest {
    private static final InetAddress V6 = address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    private static final InetAddress V4_FIRST = address(new byte[] {10, 0, 0, 7});
    private static final InetAddress V4_SECOND = address(new byte[] {10, 0, 0, 8});

    private final List<String> looked = new ArrayList<>();

    @Test
    void onlyATcpEndpointThatNamesItsHostNeedsALookup() {
        assertTrue(EndpointLookup.needsLookup("tcp://web1:5555"));
        assertTrue(EndpointLookup.needsLookup("tcp://localhost:5555"));
        assertTrue(EndpointLookup.needsLookup("tcp://10.0.0.5.example:5555"));
        assertFalse(EndpointLookup.needsLookup("tcp://10.0.0.5:5555"));
        assertFalse(EndpointLookup.needsLookup("tcp://[::1]:5555"));
        assertFalse(EndpointLookup.needsLookup("tcp://*:5555"));
        assertFalse(EndpointLookup.needsLookup("tcp://web1"), "no port: left to ZeroMQ to refuse");
        assertFalse(EndpointLookup.needsLookup("tcp://10.0.0.1:6000;web1:5555"), "a source address: left to ZeroMQ");
        assertFalse(EndpointLookup.needsLookup("ipc:///tmp/brubeck"));
        assertFalse(EndpointLookup.needsLookup("inproc://brubeck"));
    }

    @Test
    void aNameBecomesItsFirstIPv4AddressWithThePortKept() throws Exception {
        EndpointLookup lookup = lookup(V6, V4_FIRST, V4_SECOND);

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555", false);

        assertEquals("tcp://10.0.0.7:5555", found.address());
        assertNull(found.failure());
        assertEquals(List.of("web1"), looked);
    }

    @Test
    void withIPv6OnANameBecomesItsFirstIPv6AddressOrElseItsFirstAddress() {
        assertEquals("tcp://[0:0:0:0:0:0:0:1]:5555", lookup(V4_FIRST, V6).resolve("tcp://web1:5555", true).address());
        assertEquals("tcp://10.0.0.7:5555", lookup(V4_FIRST, V4_SECOND).resolve("tcp://web1:5555", true).address());
    }

    @Test
    void anEndpointThatNeedsNoLookupIsItsOwnAddress() {
        EndpointLookup lookup = lookup();

        assertEquals("tcp://127.0.0.1:5555", lookup.resolve("tcp://127.0.0.1:5555", false).address());
        assertEquals("ipc:///tmp/brubeck", lookup.resolve("ipc:///tmp/brubeck", false).address());
        assertEquals(List.of(), looked, "the name service is not asked");
    }

    @Test
    void aNameWithoutAnIPv4AddressIsReachedAtItsIPv6AddressWhenIPv6IsOff() {
        EndpointLookup.Result found = lookup(V6).resolve("tcp://web1:5555", false);

        assertEquals("tcp://[0:0:0:0:0:0:0:1]:5555", found.address());
        assertTrue(EndpointLookup.isIpv6(found.address()));
    }

    @Test
    void aNameWithoutAnyAddressIsAFailureThatSaysSo() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            EndpointLookup.Result found = lookup().resolve("tcp://web1:5555", ipv6);

            assertNull(found.address());
            assertEquals("web1 has no address", found.failure().getMessage());
        }
    }

    @Test
    void aNameThatDoesNotResolveIsAFailureWithTheNameServicesWords() {
        UnknownHostException unknown = new UnknownHostException("web1: Name or service not known");
        EndpointLookup lookup = new EndpointLookup(host -> {
            throw unknown;
        }, "test-lookup");

        assertSame(unknown, lookup.resolve("tcp://web1:5555", false).failure());
    }

    @Test
    void aNameTheNameServiceRefusesOutrightIsAFailureToo() {
        EndpointLookup lookup = new EndpointLookup(host -> {
            throw new IllegalArgumentException("invalid name");
        }, "test-lookup");

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555", false);

        assertEquals("web1: java.lang.IllegalArgumentException: invalid name", found.failure().getMessage());
        assertTrue(found.failure().getCause() instanceof IllegalArgumentException);
    }

    @Test
    void aBrokenNameServiceIsAFailureRatherThanAnErrorThatEndsTheLookup() {
        EndpointLookup lookup = new EndpointLookup(host -> {
            throw new ExceptionInInitializerError("provider failed to load");
        }, "test-lookup");

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555", false);

        assertTrue(found.failure().getMessage().startsWith("web1: java.lang.ExceptionInInitializerError"),
                found.failure().getMessage());
        assertTrue(found.failure().getCause() instanceof ExceptionInInitializerError);
    }

    @Test
    void aBackgroundLookupAnswersOnAThreadOfItsOwn() throws Exception {
        EndpointLookup lookup = lookup(V4_FIRST);
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        CompletableFuture<EndpointLookup.Result> answer = new CompletableFuture<>();

        lookup.resolveInBackground("tcp://web1:5555", false, found -> {
            answeredOn.complete(Thread.currentThread().getName());
            answer.complete(found);
        });

        assertEquals("tcp://10.0.0.7:5555", answer.get(5, TimeUnit.SECONDS).address());
        assertEquals("test-lookup", answeredOn.get());
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress("web1", bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private EndpointLookup lookup(InetAddress... addresses) {
        return new EndpointLookup(host -> {
            looked.add(host);
            return addresses;
        }, "test-lookup");
    }
}
