package io.brubeck.service.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.zeromq.ZMQ;
import zmq.Command;
import zmq.Ctx;
import zmq.IMailbox;
import zmq.Mailbox;
import zmq.ZError;

/**
 * Works around a race in JeroMQ 0.6.0 that otherwise costs, now and then, a scheduler tick (about 4 ms)
 * on a call, and most of both CPUs of a small machine when a few calls are in flight.
 *
 * <p>A thread hands a command to another JeroMQ thread (an I/O thread, or a socket's owner) by queueing
 * it, writing a wake-up byte to that thread's pipe, and only then counting the signal
 * ({@code zmq.Signaler.send}). The byte wakes the receiver, which takes the command, finds the count not
 * raised yet, and so leaves the byte unread; an I/O thread then polls again at once, and spins until the
 * sender counts. When the woken thread took the sender's CPU, the sender counts only once the scheduler
 * gives it back, up to a tick later.
 *
 * <p>This replaces each mailbox in a context's table of mailboxes, through which every command is sent,
 * by one that counts before it writes, over the same queue, counter and pipe, so that receivers read
 * them as before. A receiver already awake that looks between the count and the byte still waits for
 * the byte, and as long as the sender is off its CPU; but the write no longer wakes a receiver into
 * that moment, which is what made the wait common. It needs JeroMQ's private fields; where they are not
 * as expected (another JeroMQ, or a module system that keeps them closed) it changes nothing, and
 * JeroMQ works as it does by itself. The system property {@value #DISABLE_PROPERTY}{@code =false}
 * turns it off.
 */
final class JeroMqWakeupFix {
    static final String DISABLE_PROPERTY = "brubeck.jeromq.wakeup-fix";
    private static final System.Logger LOG = System.getLogger(JeroMqWakeupFix.class.getName());
    private static final Internals INTERNALS = Internals.find();

    private JeroMqWakeupFix() {
    }

    /**
     * Applies the fix to the mailboxes of the context of {@code socket}: its I/O threads', and those of
     * the sockets made so far, {@code socket} included. Call it after making a socket; mailboxes already
     * replaced are left as they are.
     *
     * @return how many mailboxes of the context are signalled count first
     */
    static int applyTo(ZMQ.Socket socket) {
        if (INTERNALS == null || "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))) {
            return 0;
        }
        try {
            return INTERNALS.replaceMailboxes(socket.getCtx());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "JeroMQ's mailboxes left as they are: " + e);
            return 0;
        }
    }

    /** The private fields of JeroMQ 0.6.0 the fix reads. */
    private record Internals(Field slots, Field slotsLock, Field commands, Field signaler, Field count, Field pipe) {
        static Internals find() {
            try {
                Field signaler = accessible(Mailbox.class, "signaler", null);
                Class<?> signalerType = signaler.getType();
                return new Internals(accessible(Ctx.class, "slots", IMailbox[].class),
                        accessible(Ctx.class, "slotSync", Lock.class),
                        accessible(Mailbox.class, "cpipe", Deque.class),
                        signaler,
                        accessible(signalerType, "wcursor", AtomicLong.class),
                        accessible(signalerType, "w", Pipe.SinkChannel.class));
            } catch (ReflectiveOperationException | RuntimeException e) { // another JeroMQ, or closed to us
                // Once per JVM, and worth knowing: without the workaround some calls take a scheduler tick longer.
                LOG.log(Level.INFO, "JeroMQ's threads are woken as JeroMQ does, without the workaround for its "
                        + "wake-up race (see the README), since its internals are not as expected here: " + e);
                return null;
            }
        }

        private static Field accessible(Class<?> owner, String name, Class<?> type) throws NoSuchFieldException {
            Field field = owner.getDeclaredField(name);
            if (type != null && field.getType() != type) {
                throw new NoSuchFieldException(owner.getName() + "." + name + " is a " + field.getType().getName());
            }
            field.setAccessible(true);
            return field;
        }

        /** Replaces the context's mailboxes, holding the lock under which JeroMQ itself changes them. */
        int replaceMailboxes(Ctx ctx) throws ReflectiveOperationException {
            Lock lock = (Lock) slotsLock.get(ctx);
            lock.lock();
            try {
                IMailbox[] table = (IMailbox[]) slots.get(ctx);
                int replaced = 0;
                for (int i = 0; table != null && i < table.length; i++) {
                    if (table[i] != null && table[i].getClass() == Mailbox.class) {
                        table[i] = countFirst((Mailbox) table[i]);
                    }
                    if (table[i] instanceof CountFirstMailbox) {
                        replaced++;
                    }
                }
                return replaced;
            } finally {
                lock.unlock();
            }
        }

        @SuppressWarnings("unchecked")
        private IMailbox countFirst(Mailbox mailbox) throws IllegalAccessException {
            Object mailboxSignaler = signaler.get(mailbox);
            return new CountFirstMailbox(mailbox, (Deque<Command>) commands.get(mailbox),
                    (AtomicLong) count.get(mailboxSignaler), (Pipe.SinkChannel) pipe.get(mailboxSignaler));
        }
    }

    /** A mailbox as other threads send to it: the command, then the count, then the wake-up byte. */
    private static final class CountFirstMailbox implements IMailbox {
        /**
         * Direct, so that writing it needs no temporary buffer, whose allocation could fail after the
         * count; each send writes a duplicate of its own, no thread-local that could outlive the library.
         */
        private static final ByteBuffer WAKE_UP_BYTE = ByteBuffer.allocateDirect(1);

        private final Mailbox original;
        private final Deque<Command> commands;
        private final AtomicLong count;
        private final Pipe.SinkChannel pipe;

        CountFirstMailbox(Mailbox original, Deque<Command> commands, AtomicLong count, Pipe.SinkChannel pipe) {
            this.original = original;
            this.commands = commands;
            this.count = count;
            this.pipe = pipe;
        }

        @Override
        public void send(Command command) {
            commands.addLast(command);
            ByteBuffer wakeUp = WAKE_UP_BYTE.duplicate(); // a failure here leaves the command as JeroMQ's would: queued, uncounted
            count.incrementAndGet();
            // Once counted, the byte must follow, or a receiver would wait for it for ever. An interrupted
            // thread's write would close the pipe, as JeroMQ's own send also guards against.
            boolean interrupted = Thread.interrupted();
            try {
                write(wakeUp);
            } catch (IOException e) {
                throw new ZError.IOException(e);
            } catch (RuntimeException | Error e) {
                try {
                    write(wakeUp);
                } catch (IOException | RuntimeException | Error again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Writes the byte; a full pipe takes it once its receiver has read some, as in JeroMQ. */
        private void write(ByteBuffer wakeUp) throws IOException {
            do {
                wakeUp.clear();
            } while (pipe.write(wakeUp) == 0);
        }

        @Override
        public Command recv(long timeout) {
            return original.recv(timeout);
        }

        @Override
        public void close() throws IOException {
            original.close();
        }
    }
}
