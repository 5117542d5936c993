package io.brubeck.service.wire;

/**
 * One decoded protocol message. The frames and their byte layout are specified in
 * {@code docs/PROTOCOL.md}; {@link MessageCodec} turns these into frames and back.
 */
public sealed interface WireMessage
        permits WireMessage.Ready, WireMessage.Request, WireMessage.Reply, WireMessage.Heartbeat,
        WireMessage.Disconnect, WireMessage.Refuse {

    /** The command this message is. */
    Command command();

    /**
     * Worker to client: "I serve this service with this many slots".
     *
     * @param capacity          how many requests the worker runs at once on this connection
     * @param heartbeatMillis   how often the worker sends heartbeats
     * @param maxMessageSize    the largest request, in bytes, the worker accepts
     * @param serviceName       the service the worker serves
     * @param label             a free-form name for status pages, for example {@code host:pid}
     */
    record Ready(int capacity, int heartbeatMillis, int maxMessageSize, String serviceName, String label)
            implements WireMessage {
        @Override
        public Command command() {
            return Command.READY;
        }
    }

    /**
     * Client to worker: one unit of work.
     *
     * @param correlationId  chosen by the client, echoed in the reply
     * @param ttlMillis      how long the caller still waits, from when the client sent it
     * @param requestTime    epoch milliseconds when the caller made the request
     * @param method         UTF-8 METHOD name
     * @param path           UTF-8 path
     * @param headers        UTF-8 JSON object of strings, or empty for none
     * @param arguments      UTF-8 JSON object, or empty for none
     * @param body           raw bytes
     */
    record Request(long correlationId, int ttlMillis, long requestTime, byte[] method, byte[] path,
                   byte[] headers, byte[] arguments, byte[] body) implements WireMessage {
        @Override
        public Command command() {
            return Command.REQUEST;
        }
    }

    /**
     * Worker to client: the answer to one request.
     *
     * @param correlationId  the request's id
     * @param statusCode     HTTP-like status, 100 to 599
     * @param startTime      epoch milliseconds when the worker started the work
     * @param endTime        epoch milliseconds when it finished
     * @param statusMessage  UTF-8 status message
     * @param method         UTF-8 METHOD the reply is routed on at the client
     * @param headers        UTF-8 JSON object of strings, or empty for none
     * @param payload        UTF-8 JSON object, or empty for none
     * @param body           raw bytes
     */
    record Reply(long correlationId, int statusCode, long startTime, long endTime, byte[] statusMessage,
                 byte[] method, byte[] headers, byte[] payload, byte[] body) implements WireMessage {
        @Override
        public Command command() {
            return Command.REPLY;
        }
    }

    /** Either way: "I am alive; expect my next heartbeat within this interval". */
    record Heartbeat(int intervalMillis) implements WireMessage {
        @Override
        public Command command() {
            return Command.HEARTBEAT;
        }
    }

    /**
     * Worker to client: "I did not start this request; send it again". A worker refuses work
     * while it shuts down or when a client sends more than the slots it announced.
     *
     * @param correlationId the request's id
     */
    record Refuse(long correlationId) implements WireMessage {
        @Override
        public Command command() {
            return Command.REFUSE;
        }
    }

    /** Either way: "I am leaving" (or, from a client, "I do not know you: announce yourself"). */
    record Disconnect() implements WireMessage {
        /** The one DISCONNECT; it has no fields. */
        public static final Disconnect INSTANCE = new Disconnect();

        @Override
        public Command command() {
            return Command.DISCONNECT;
        }
    }
}
