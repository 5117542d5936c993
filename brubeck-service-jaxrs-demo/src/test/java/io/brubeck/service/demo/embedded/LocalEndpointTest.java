package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LocalEndpointTest {

    @Test
    void wildcardHostsBecomeLoopback() {
        assertEquals("tcp://127.0.0.1:5555", LocalEndpoint.connectable("tcp://0.0.0.0:5555"));
        assertEquals("tcp://127.0.0.1:5555", LocalEndpoint.connectable("tcp://*:5555"));
        assertEquals("tcp://[::1]:5555", LocalEndpoint.connectable("tcp://[::]:5555"));
    }

    @Test
    void aWildcardEndpointIsDescribedWithTheAddressItIsBoundTo() {
        assertEquals("tcp://127.0.0.1:5555 on this machine, where the client is bound to tcp://0.0.0.0:5555",
                LocalEndpoint.describe("tcp://0.0.0.0:5555"));
        assertEquals("tcp://127.0.0.1:5555", LocalEndpoint.describe("tcp://127.0.0.1:5555"));
    }

    @Test
    void otherAddressesStayAsTheyAre() {
        assertEquals("tcp://10.1.2.3:5555", LocalEndpoint.connectable("tcp://10.1.2.3:5555"));
        assertEquals("ipc:///run/slow", LocalEndpoint.connectable("ipc:///run/slow"));
    }
}
