package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Bytes of ZMTP 3.0 (RFC 23), for tests whose peer writes to a ZeroMQ socket over a plain TCP socket. */
final class RawZmtp {
    /** The flags of the last frame of a message. */
    static final int LAST_FRAME = 0x02;
    /** The flags of a command frame. */
    static final int COMMAND = 0x04;

    private RawZmtp() {
    }

    /** The greeting for the NULL mechanism, as a DEALER sends it. */
    static byte[] greeting() {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        System.arraycopy("NULL".getBytes(US_ASCII), 0, greeting, 12, 4);
        return greeting;
    }

    /** The NULL mechanism's READY command, naming the peer's socket type, DEALER. */
    static byte[] readyCommand() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(US_ASCII));
        body.write(11);
        body.writeBytes("Socket-Type".getBytes(US_ASCII));
        body.writeBytes(ByteBuffer.allocate(4).putInt(6).array());
        body.writeBytes("DEALER".getBytes(US_ASCII));
        return concat(new byte[] {COMMAND, (byte) body.size()}, body.toByteArray());
    }

    /** The header of a frame with an 8-byte size (the long form), with {@code flags}. */
    static byte[] longFrameHeader(int flags, long size) {
        return ByteBuffer.allocate(9).put((byte) flags).putLong(size).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
