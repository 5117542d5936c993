package io.brubeck.service.engine;

import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.msg.MsgAllocator;

/**
 * Keeps a frame header that claims 2^63 bytes or more from harming JeroMQ 0.6.0, which reads a frame's
 * 8-byte size as a signed number. Such a size passes its check against {@code ZMQ_MAXMSGSIZE} and reaches
 * the allocator cut to an {@code int}: a negative one throws inside the I/O thread and leaves that
 * connection half torn down, so that the socket's ZeroMQ context can never close; a positive one, up to
 * 2 GiB, is allocated as it is, for every connection that asks. Any peer that reaches an endpoint can send
 * one: it is read before the CURVE handshake and before any HMAC.
 *
 * <p>As a socket's allocator, this gives such a frame no bytes instead, so that JeroMQ reads it as an
 * empty frame and goes on: the bytes that follow are read as further frames, which the receiver then
 * drops as malformed, as it drops any other garbage. Frames within the limit are allocated on the heap
 * within the process's {@link FrameBudget}, which treats a frame it has no room for the same way.
 * Called on a context's I/O thread.
 */
final class FrameSizeGuard implements MsgAllocator {
    private final int maxFrameSize;

    private FrameSizeGuard(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Installs the guard on a socket, before it binds or connects; {@code maxFrameSize} is its
     * {@code ZMQ_MAXMSGSIZE}.
     */
    static void applyTo(ZMQ.Socket socket, int maxFrameSize) {
        socket.setMsgAllocator(new FrameSizeGuard(maxFrameSize));
    }

    @Override
    public Msg allocate(int size) {
        // JeroMQ refuses every other size over the limit itself: only a size of 2^63 or more gets here.
        if (size < 0 || size > maxFrameSize) {
            return new Msg();
        }
        return FrameBudget.PROCESS.allocate(size);
    }
}
