package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZeroMqContextsTest {

    @Test
    void theContextsThreadsAreNamedAfterTheLibraryAndEndWithIt() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ZContext context = ZeroMqContexts.create();
        List<Thread> threads;
        try {
            ZMQ.Socket socket = context.createSocket(SocketType.ROUTER);
            socket.bind("tcp://127.0.0.1:*");
            threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.getName().startsWith("brubeck-zmq-"))
                    .toList();
            assertTrue(threads.stream().anyMatch(thread -> thread.getName().startsWith("brubeck-zmq-iothread")),
                    "the I/O thread is named after the library: " + threads);
            assertTrue(threads.stream().allMatch(Thread::isDaemon), "JeroMQ's threads stay daemons");
        } finally {
            context.close();
        }
        for (Thread thread : threads) {
            thread.join(5_000);
            assertTrue(!thread.isAlive(), thread.getName() + " ended with the context");
        }
    }

    @Test
    void aFailureInAnIoThreadIsLoggedAndAClosedChannelWhileClosingOnlyForDebugging() {
        Logger logger = Logger.getLogger(ZeroMqContexts.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
        ZContext context = ZeroMqContexts.create();
        try {
            Thread.UncaughtExceptionHandler handler = context.getNotificationExceptionHandler();
            Thread ioThread = new Thread(() -> { }, "brubeck-zmq-iothread-1");

            handler.uncaughtException(ioThread, new IllegalStateException("boom"));
            handler.uncaughtException(ioThread, new RuntimeException(new ClosedChannelException()));

            assertEquals(2, records.size(), "both failures are logged");
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertEquals("boom", records.get(0).getThrown().getMessage());
            assertTrue(records.get(0).getMessage().contains("brubeck-zmq-iothread-1"), records.get(0).getMessage());
            assertEquals(Level.FINE, records.get(1).getLevel(), "a closed channel while closing is harmless");
        } finally {
            context.close();
            logger.removeHandler(capture);
            logger.setLevel(previous);
        }
    }
}
