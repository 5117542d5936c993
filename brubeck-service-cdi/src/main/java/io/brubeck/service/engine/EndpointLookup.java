package io.brubeck.service.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns a client endpoint that names its host, such as {@code tcp://web1:5555}, into the numeric
 * address a worker connects to. JeroMQ would look the name up inside {@code connect()}, on the calling
 * thread, and a name service that does not answer then holds that thread for its whole timeout; for a
 * worker's socket thread that means no heartbeats and no replies to any client meanwhile, so that every
 * client drops the worker. A worker therefore connects only to numeric addresses, and looks names up
 * here: at start on its own thread (it serves nobody yet), afterwards on a thread of the lookup's own.
 *
 * <p>As JeroMQ does with its IPv6 option off, the first IPv4 address of the name is taken.
 */
final class EndpointLookup {
    /** Finds a host's addresses; the system's name service outside tests. */
    @FunctionalInterface
    interface HostLookup {
        InetAddress[] addressesOf(String host) throws UnknownHostException;
    }

    /** What a lookup found: the address to connect to, or why there is none. */
    record Result(String address, UnknownHostException failure) {
    }

    static final HostLookup SYSTEM = InetAddress::getAllByName;

    private static final String TCP = "tcp://";
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final HostLookup hosts;
    private final String threadName;

    EndpointLookup(HostLookup hosts, String threadName) {
        this.hosts = hosts;
        this.threadName = threadName;
    }

    /**
     * Whether connecting to the endpoint needs a lookup: a tcp endpoint whose host is a name. An
     * address JeroMQ would not understand is left to JeroMQ, to be refused with its own error.
     */
    static boolean needsLookup(String endpoint) {
        if (!endpoint.startsWith(TCP) || endpoint.indexOf(';') >= 0) {
            return false;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= TCP.length()) {
            return false;
        }
        String host = endpoint.substring(TCP.length(), colon);
        return !host.startsWith("[") && !host.equals("*") && !IPV4_LITERAL.matcher(host).matches();
    }

    /** Looks the endpoint's host up on the calling thread; an endpoint that needs no lookup is its own address. */
    Result resolve(String endpoint) {
        if (!needsLookup(endpoint)) {
            return new Result(endpoint, null);
        }
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(TCP.length(), colon);
        try {
            for (InetAddress address : hosts.addressesOf(host)) {
                if (address instanceof Inet4Address) {
                    return new Result(TCP + address.getHostAddress() + endpoint.substring(colon), null);
                }
            }
            return new Result(null, new UnknownHostException(host + " has no IPv4 address"));
        } catch (UnknownHostException e) {
            return new Result(null, e);
        } catch (RuntimeException e) { // a name the name service refuses outright
            UnknownHostException failure = new UnknownHostException(host + ": " + e.getMessage());
            failure.initCause(e);
            return new Result(null, failure);
        }
    }

    /**
     * Looks the endpoint's host up on a thread of its own and hands the result to {@code done} there.
     * The JDK cannot interrupt a lookup, so a worker that stops meanwhile leaves this daemon thread to
     * end with the lookup.
     */
    void resolveInBackground(String endpoint, Consumer<Result> done) {
        Thread thread = new Thread(() -> done.accept(resolve(endpoint)), threadName);
        thread.setDaemon(true);
        thread.start();
    }
}
