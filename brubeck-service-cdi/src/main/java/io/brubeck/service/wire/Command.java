package io.brubeck.service.wire;

/** The message types of the protocol, with the byte that names each on the wire. */
public enum Command {
    READY(0x01),
    REQUEST(0x02),
    REPLY(0x03),
    HEARTBEAT(0x04),
    DISCONNECT(0x05),
    REFUSE(0x06);

    private static final Command[] BY_CODE = new Command[7];

    static {
        for (Command command : values()) {
            BY_CODE[command.code] = command;
        }
    }

    private final byte code;

    Command(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The command for a code, or {@code null} when the code names none. */
    static Command fromCode(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
