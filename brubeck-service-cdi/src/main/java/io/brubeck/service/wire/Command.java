package io.brubeck.service.wire;

/** The message types of the protocol, with the byte that names each on the wire. */
public enum Command {
    /** Worker to client: announces the service, capacity, heartbeat interval and size limit (section 4.1). */
    READY(0x01),
    /** Client to worker: one call (section 4.2). */
    REQUEST(0x02),
    /** Worker to client: the answer to one call (section 4.3). */
    REPLY(0x03),
    /** Either way: "I am alive", with the sender's interval (section 4.4). */
    HEARTBEAT(0x04),
    /**
     * Either way: the sender leaves, or answers a goodbye; to a worker that is not leaving, "announce yourself
     * again" (section 10).
     */
    DISCONNECT(0x05),
    /** Worker to client: a request not started, to be sent again (section 4.6). */
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

    /** The byte that names this command on the wire. */
    public byte code() {
        return code;
    }

    /** The command for a code, or {@code null} when the code names none. */
    static Command fromCode(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
