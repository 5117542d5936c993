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
        InetAddress v6 = InetAddress.getByAddress("web1", new byte[16]);
        InetAddress first = InetAddress.getByAddress("web1", new byte[] {10, 0, 0, 7});
        InetAddress second = InetAddress.getByAddress("web1", new byte[] {10, 0, 0, 8});
        EndpointLookup lookup = lookup(v6, first, second);

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555");

        assertEquals("tcp://10.0.0.7:5555", found.address());
        assertNull(found.failure());
        assertEquals(List.of("web1"), looked);
    }

    @Test
    void anEndpointThatNeedsNoLookupIsItsOwnAddress() {
        EndpointLookup lookup = lookup();

        assertEquals("tcp://127.0.0.1:5555", lookup.resolve("tcp://127.0.0.1:5555").address());
        assertEquals("ipc:///tmp/brubeck", lookup.resolve("ipc:///tmp/brubeck").address());
        assertEquals(List.of(), looked, "the name service is not asked");
    }

    @Test
    void aNameWithoutAnIPv4AddressIsAFailureThatSaysSo() throws Exception {
        EndpointLookup lookup = lookup(InetAddress.getByAddress("web1", new byte[16]));

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555");

        assertNull(found.address());
        assertEquals("web1 has no IPv4 address", found.failure().getMessage());
    }

    @Test
    void aNameThatDoesNotResolveIsAFailureWithTheNameServicesWords() {
        UnknownHostException unknown = new UnknownHostException("web1: Name or service not known");
        EndpointLookup lookup = new EndpointLookup(host -> {
            throw unknown;
        }, "test-lookup");

        assertSame(unknown, lookup.resolve("tcp://web1:5555").failure());
    }

    @Test
    void aNameTheNameServiceRefusesOutrightIsAFailureToo() {
        EndpointLookup lookup = new EndpointLookup(host -> {
            throw new IllegalArgumentException("invalid name");
        }, "test-lookup");

        EndpointLookup.Result found = lookup.resolve("tcp://web1:5555");

        assertEquals("web1: invalid name", found.failure().getMessage());
        assertTrue(found.failure().getCause() instanceof IllegalArgumentException);
    }

    @Test
    void aBackgroundLookupAnswersOnAThreadOfItsOwn() throws Exception {
        EndpointLookup lookup = lookup(InetAddress.getByAddress("web1", new byte[] {10, 0, 0, 7}));
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        CompletableFuture<EndpointLookup.Result> answer = new CompletableFuture<>();

        lookup.resolveInBackground("tcp://web1:5555", found -> {
            answeredOn.complete(Thread.currentThread().getName());
            answer.complete(found);
        });

        assertEquals("tcp://10.0.0.7:5555", answer.get(5, TimeUnit.SECONDS).address());
        assertEquals("test-lookup", answeredOn.get());
    }

    private EndpointLookup lookup(InetAddress... addresses) {
        return new EndpointLookup(host -> {
            looked.add(host);
            return addresses;
        }, "test-lookup");
    }
}
