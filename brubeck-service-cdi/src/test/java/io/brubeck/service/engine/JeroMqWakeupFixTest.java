package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Ctx;
import zmq.Mailbox;
import zmq.io.IOThread;

/**
 * The workaround for JeroMQ's wake-up race replaces a context's mailboxes once, messages flow through
 * the replacements as through JeroMQ's own, and receivers take every wake-up byte. That the race is gone
 * is shown by the benchmark (a scheduler tick in the p99 at one call in flight), not by a test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JeroMqWakeupFixTest {
    @Test
    void everyMailboxOfAContextIsReplacedOnceAndMessagesFlowThroughThem() throws Exception {
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

            // A wake-up byte left unread keeps an I/O thread polling for ever; one that was read is gone.
            List<SelectableChannel> wakeUpPipes = ioThreadWakeUpPipes(server);
            Await.until(Duration.ofSeconds(5), "the I/O threads to read every wake-up byte",
                    () -> wakeUpPipes.stream().noneMatch(JeroMqWakeupFixTest::hasUnreadByte));
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

    /** The read ends of the wake-up pipes of the I/O threads of the socket's context. */
    private static List<SelectableChannel> ioThreadWakeUpPipes(ZMQ.Socket socket) throws ReflectiveOperationException {
        Field ioThreads = Ctx.class.getDeclaredField("ioThreads");
        Field signaler = Mailbox.class.getDeclaredField("signaler");
        ioThreads.setAccessible(true);
        signaler.setAccessible(true);
        List<SelectableChannel> pipes = new ArrayList<>();
        for (Object thread : (List<?>) ioThreads.get(socket.getCtx())) {
            Object mailboxSignaler = signaler.get(((IOThread) thread).getMailbox());
            Field readEnd = mailboxSignaler.getClass().getDeclaredField("r");
            readEnd.setAccessible(true);
            pipes.add((SelectableChannel) readEnd.get(mailboxSignaler));
        }
        assertFalse(pipes.isEmpty(), "the context's I/O thread");
        return pipes;
    }

    /** Whether a byte waits in the pipe, asked of a selector of its own so the I/O thread's is left alone. */
    private static boolean hasUnreadByte(SelectableChannel pipe) {
        try (Selector selector = Selector.open()) {
            pipe.register(selector, SelectionKey.OP_READ);
            return selector.selectNow() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
