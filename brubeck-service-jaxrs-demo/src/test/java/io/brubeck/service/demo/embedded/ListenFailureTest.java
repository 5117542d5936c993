package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Why the web server cannot listen, and which setting the message tells the user to change. */
class ListenFailureTest {

    private static String describe(String host, int port, InetSocketAddress address, IOException failure) {
        return StartupFailure.describe(
                new IllegalStateException(EmbeddedServer.cannotListen(host, port, address, failure), failure));
    }

    @Test
    void aHostWithoutAnAddressIsToBeChangedNotThePort() {
        String message = describe("no.such.host.invalid", 16769,
                InetSocketAddress.createUnresolved("no.such.host.invalid", 16769), new SocketException("Unresolved address"));

        assertEquals("The web server cannot listen on no.such.host.invalid:16769 (Unresolved address): the host "
                + "no.such.host.invalid has no address; choose another address with -Ddemo.http.host=..., for example "
                + "127.0.0.1, or 0.0.0.0 for every interface", message);
        assertFalse(message.contains("demo.http.port"), message);
    }

    @Test
    void aPortInUseIsToBeChangedAndItsCauseIsSaidOnce() {
        String message = describe("127.0.0.1", 6767, new InetSocketAddress(InetAddress.getLoopbackAddress(), 6767),
                new BindException("Address already in use"));

        assertEquals("The web server cannot listen on 127.0.0.1:6767 (Address already in use); choose another port with "
                + "-Ddemo.http.port=..., or 0 for a free one", message);
    }

    @Test
    void aPortInUseOnEveryInterfaceIsToBeChanged() throws UnknownHostException {
        String message = describe("0.0.0.0", 80, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 80),
                new BindException("Permission denied"));

        assertEquals("The web server cannot listen on 0.0.0.0:80 (Permission denied); choose another port with "
                + "-Ddemo.http.port=..., or 0 for a free one", message);
    }

    @Test
    void anAddressOfAnotherMachineIsToBeChangedNotThePort() throws UnknownHostException {
        // 192.0.2.1 is in TEST-NET-1, kept for documentation: no machine has it.
        InetAddress elsewhere = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1});
        String message = describe("192.0.2.1", 6767, new InetSocketAddress(elsewhere, 6767),
                new BindException("Cannot assign requested address"));

        assertEquals("The web server cannot listen on 192.0.2.1:6767 (Cannot assign requested address): 192.0.2.1 is not "
                + "an address of this machine; choose another address with -Ddemo.http.host=..., for example 127.0.0.1, or "
                + "0.0.0.0 for every interface", message);
    }

    @Test
    void anotherFailureIsSaidWithoutAdvice() {
        String message = describe("127.0.0.1", 6767, new InetSocketAddress(InetAddress.getLoopbackAddress(), 6767),
                new SocketException("Too many open files"));

        assertEquals("The web server cannot listen on 127.0.0.1:6767 (Too many open files)", message);
        assertFalse(message.contains("-D"), message);
    }
}
