package io.brubeck.service.engine;

import java.net.Inet4Address;
import java.net.Inet6Address;
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
 * <p>With the context's IPv6 option on, the first IPv6 address of the name is chosen, or else the first
 * address, as JeroMQ would; with it off, the first IPv4 address, or else the first IPv6 one (where JeroMQ would
 * find none), which the worker connects to with IPv6 turned on for that socket ({@link #isIpv6}).
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
        return hostToLookUp(endpoint) != null;
    }

    /** The host name of an endpoint that {@link #needsLookup needs a lookup}, or else {@code null}. */
    private static String hostToLookUp(String endpoint) {
        if (!endpoint.startsWith(TCP) || endpoint.indexOf(';') >= 0) {
            return null;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= TCP.length()) {
            return null;
        }
        String host = endpoint.substring(TCP.length(), colon);
        return host.startsWith("[") || host.equals("*") || IPV4_LITERAL.matcher(host).matches() ? null : host;
    }

    /**
     * Looks the endpoint's host up on the calling thread; an endpoint that needs no lookup is its own
     * address.
     *
     * @param ipv6 whether the ZeroMQ context the worker connects in has its IPv6 option on
     */
    Result resolve(String endpoint, boolean ipv6) {
        String host = hostToLookUp(endpoint);
        if (host == null) {
            return new Result(endpoint, null);
        }
        try {
            InetAddress address = choose(hosts.addressesOf(host), ipv6);
            if (address == null) {
                return new Result(null, new UnknownHostException(host + " has no address"));
            }
            String numeric = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return new Result(TCP + numeric + endpoint.substring(endpoint.lastIndexOf(':')), null);
        } catch (UnknownHostException e) {
            return new Result(null, e);
        } catch (RuntimeException | Error e) { // a name the name service refuses outright, or a broken name service
            UnknownHostException failure = new UnknownHostException(host + ": " + e);
            failure.initCause(e);
            return new Result(null, failure);
        }
    }

    private static InetAddress choose(InetAddress[] addresses, boolean ipv6) {
        for (InetAddress address : addresses) {
            if (ipv6 ? address instanceof Inet6Address : address instanceof Inet4Address) {
                return address;
            }
        }
        return addresses.length > 0 ? addresses[0] : null;
    }

    /**
     * Whether a tcp endpoint's host is an IPv6 address, in brackets: a socket binds or connects to it only with
     * its IPv6 option on.
     */
    static boolean isIpv6(String endpoint) {
        return endpoint.startsWith(TCP + "[");
    }

    /**
     * Looks the endpoint's host up on a thread of its own and hands the result to {@code done} there,
     * whatever happens. The JDK cannot interrupt a lookup, so one under way when the worker stops ends
     * on its own, when the name service answers; {@code done} should hold on to little meanwhile.
     */
    void resolveInBackground(String endpoint, boolean ipv6, Consumer<Result> done) {
        Thread thread = new Thread(() -> done.accept(resolve(endpoint, ipv6)), threadName);
        thread.setDaemon(true);
        thread.start();
    }
}
