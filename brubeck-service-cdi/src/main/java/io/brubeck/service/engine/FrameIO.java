package io.brubeck.service.engine;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;
import zmq.ZError;
import zmq.io.Metadata;

/** Reads and writes whole multipart messages without blocking. Used only by a socket's owning thread. */
final class FrameIO {
    /** What {@link #receive} returns when the message had more frames than the buffer holds. */
    static final int TOO_MANY_FRAMES = -1;
    /** What {@link #receive} returns when the message's frames add up to more than the limit. */
    static final int TOO_LARGE = -2;
    /** What {@link #receive} returns when a frame of the message was given no bytes: the {@link FrameBudget} was full. */
    static final int OVER_BUDGET = -3;
    /**
     * The send high-water mark of both ends, in messages per connection. It counts the messages waiting
     * in this end's queue for ZeroMQ's I/O thread, which takes them only as fast as the peer reads; and
     * ZeroMQ learns what was taken only in steps (of 1024 messages at this mark), so a send may fail once
     * about 1025 messages wait, and never more than 2048 wait: comfortably above the most requests or replies a
     * connection may have in flight ({@link WorkerConfig#MAX_SLOTS}) and its few heartbeats, so only
     * a peer that does not read reaches it.
     */
    static final int SEND_HIGH_WATER_MARK = 2048;
    /**
     * How many times a read or send that JeroMQ failed with EINTR is tried again. JeroMQ fails one so when it finds
     * the thread interrupted, clearing the interrupt; nothing interrupts a socket thread on purpose (user code run on
     * it may leave one), and the frame was not taken, so it is tried again. EINTR that keeps coming means a broken
     * socket (JeroMQ also says EINTR when its wake-up pipe is closed): the failure then stands.
     */
    private static final int EINTR_RETRIES = 3;

    private FrameIO() {
    }

    /**
     * Reads one whole message into {@code into}. Frames past the buffer's length are read and
     * discarded so the socket stays aligned on message boundaries. ZeroMQ bounds each frame; this
     * bounds their sum, leaving out a ROUTER's routing id, which is not part of the message.
     *
     * @param routed whether the first frame is a routing id
     * @param origin where to note the connection the message came on, or null
     * @return the number of frames, 0 when no message was waiting, {@link #TOO_MANY_FRAMES},
     *         {@link #TOO_LARGE} or {@link #OVER_BUDGET}
     */
    static int receive(ZMQ.Socket socket, byte[][] into, long maxBytes, boolean routed, MessageOrigin origin) {
        Msg first = next(socket, ZMQ.DONTWAIT);
        if (first == null) {
            return 0;
        }
        into[0] = first.data();
        int count = 1;
        long bytes = routed ? 0 : first.size();
        boolean overflow = false;
        boolean refused = first instanceof FrameBudget.Refused;
        Metadata metadata = first.getMetadata(); // a ROUTER's routing id frame has none: the frames after it do
        while (socket.hasReceiveMore()) {
            Msg frame = next(socket, 0);
            bytes += frame.size();
            refused |= frame instanceof FrameBudget.Refused;
            if (metadata == null) {
                metadata = frame.getMetadata();
            }
            if (count < into.length) {
                into[count++] = frame.data();
            } else {
                overflow = true;
            }
        }
        if (origin != null) {
            origin.metadata = metadata;
        }
        return refused ? OVER_BUDGET : overflow ? TOO_MANY_FRAMES : bytes > maxBytes ? TOO_LARGE : count;
    }

    /** The next frame, as {@code ZMQ.Socket.recv} reads it, with the metadata ZeroMQ attached to it. */
    private static Msg next(ZMQ.Socket socket, int flags) {
        Msg frame = socket.base().recv(flags);
        for (int retry = 0; frame == null && socket.errno() == ZError.EINTR && retry < EINTR_RETRIES; retry++) {
            frame = socket.base().recv(flags); // see EINTR_RETRIES
        }
        if (frame == null && socket.errno() != 0 && socket.errno() != ZError.EAGAIN) {
            throw new ZMQException(socket.errno());
        }
        if (frame instanceof FrameBudget.Frame budgeted) {
            budgeted.release(); // taken: its bytes are ours now, bounded by what we do with them
        }
        return frame;
    }

    /**
     * Sends a message, prefixed by a routing identity when {@code identity} is not null.
     *
     * @return false when the peer is gone or its queue is full (frames already taken are then discarded
     *         by ZeroMQ with the unfinished message)
     */
    static boolean send(ZMQ.Socket socket, byte[] identity, byte[][] frames) {
        try {
            if (identity != null && !sendFrame(socket, identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                return false;
            }
            int last = frames.length - 1;
            for (int i = 0; i < last; i++) {
                if (!sendFrame(socket, frames[i], ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                    return false;
                }
            }
            return sendFrame(socket, frames[last], ZMQ.DONTWAIT);
        } catch (ZMQException unreachable) {
            return false;
        }
    }

    /** Sends one frame, trying again after an EINTR (see {@link #EINTR_RETRIES}). */
    private static boolean sendFrame(ZMQ.Socket socket, byte[] frame, int flags) {
        for (int retry = 0; ; retry++) {
            try {
                return socket.send(frame, flags);
            } catch (ZMQException e) {
                if (e.getErrorCode() != ZError.EINTR || retry == EINTR_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Why a message {@link #receive} returned {@link #OVER_BUDGET} for was lost, for logs. */
    static String overBudget() {
        return "a frame of it got no bytes: " + FrameBudget.PROCESS.fullness();
    }
}
