package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import zmq.io.Metadata;

/** How the client and the worker name a peer's address in their logs. */
class MessageOriginTest {

    @Test
    void namesAnIpv4AddressAsZeroMqGivesIt() {
        assertEquals("10.0.0.5:43122", originAt("10.0.0.5:43122").address());
    }

    @Test
    void bracketsAnIpv6AddressSoThatItsPortStandsApart() {
        assertEquals("[0:0:0:0:0:0:0:1]:43122", originAt("0:0:0:0:0:0:0:1:43122").address());
        assertEquals("[fe80:0:0:0:1:2:3:4%eth0]:9", originAt("fe80:0:0:0:1:2:3:4%eth0:9").address());
        assertEquals("[::1]:43122", originAt("[::1]:43122").address());
    }

    @Test
    void saysSoWhenZeroMqGaveNoAddress() {
        assertEquals("an unknown address", new MessageOrigin().address());
        assertEquals("an unknown address", originAt("").address());
    }

    private static MessageOrigin originAt(String peerAddress) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.PEER_ADDRESS, peerAddress);
        MessageOrigin origin = new MessageOrigin();
        origin.metadata = metadata;
        return origin;
    }
}
