package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The workaround for JeroMQ's wake-up race replaces a context's mailboxes once, messages flow through
 * the replacements as through JeroMQ's own, and receivers take every wake-up byte. That the race is gone
 * is shown by the benchmark (a scheduler tick in the p99 at one call in flight), not by a test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JeroMqWakeupFixTest {
    @Test
    void everyMailboxOfAContextIsReplacedOnceAndMessagesFlowThroughThem() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ZContext context = ZeroMqContexts.create()) {
            ZMQ.Socket server = context.createSocket(SocketType.ROUTER);
            int replaced = JeroMqWakeupFix.applyTo(server);
            assertTrue(replaced >= 4, "the context's own three (closing, reaper, one I/O thread) and the socket's: " + replaced);
            ZMQ.Socket client = context.createSocket(SocketType.DEALER);
            assertEquals(replaced + 1, JeroMqWakeupFix.applyTo(client), "the new socket's");
            assertEquals(replaced + 1, JeroMqWakeupFix.applyTo(client), "none twice");

            client.setReceiveTimeOut(5000);
            server.setReceiveTimeOut(5000);
            client.connect("tcp://127.0.0.1:" + server.bindToRandomPort("tcp://127.0.0.1"));
            for (int i = 0; i < 2000; i++) {
                assertTrue(client.send("ping " + i));
                byte[] identity = server.recv();
                assertNotNull(identity, "request " + i + " arrived");
                assertEquals("ping " + i, server.recvStr());
                server.sendMore(identity);
                server.send("pong " + i);
                assertEquals("pong " + i, client.recvStr(), "reply " + i);
            }

            // A wake-up byte left unread keeps an I/O thread polling: it would burn the whole second.
            long idleCpuMillis = cpuMillisOver(ioThreadsStartedSince(before), 1000);
            assertTrue(idleCpuMillis < 300, "the idle I/O thread used " + idleCpuMillis + " ms of CPU in 1 s");
        }
    }

    @Test
    void theSystemPropertyTurnsItOff() {
        String previous = System.setProperty(JeroMqWakeupFix.DISABLE_PROPERTY, "false");
        try (ZContext context = ZeroMqContexts.create()) {
            assertEquals(0, JeroMqWakeupFix.applyTo(context.createSocket(SocketType.DEALER)));
        } finally {
            if (previous == null) {
                System.clearProperty(JeroMqWakeupFix.DISABLE_PROPERTY);
            } else {
                System.setProperty(JeroMqWakeupFix.DISABLE_PROPERTY, previous);
            }
        }
    }

    /** Another JeroMQ may fix the race, or change what the workaround relies on: check it again then. */
    @Test
    void theWorkaroundIsForTheJeroMqItWasCheckedAgainst() throws Exception {
        Properties jeromq = new Properties();
        try (InputStream in = ZMQ.class.getResourceAsStream("/META-INF/maven/org.zeromq/jeromq/pom.properties")) {
            assertNotNull(in, "JeroMQ's pom.properties");
            jeromq.load(in);
        }
        assertEquals("0.6.0", jeromq.getProperty("version"), "a new JeroMQ: read its zmq.Signaler.send and zmq.Mailbox, "
                + "then keep, change or remove JeroMqWakeupFix, and re-run the benchmark");
    }

    private static Set<Thread> ioThreadsStartedSince(Set<Thread> before) {
        Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        started.removeIf(thread -> !thread.getName().startsWith("brubeck-zmq-iothread"));
        assertTrue(!started.isEmpty(), "the context's I/O thread");
        return started;
    }

    private static long cpuMillisOver(Set<Thread> threads, long windowMillis) throws InterruptedException {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assertTrue(bean.isThreadCpuTimeSupported() && bean.isThreadCpuTimeEnabled(), "thread CPU time is measured");
        long start = 0;
        for (Thread thread : threads) {
            start += bean.getThreadCpuTime(thread.getId());
        }
        Thread.sleep(windowMillis); // the measured interval itself, not a wait for anything
        long end = 0;
        for (Thread thread : threads) {
            end += bean.getThreadCpuTime(thread.getId());
        }
        return TimeUnit.NANOSECONDS.toMillis(end - start);
    }
}
