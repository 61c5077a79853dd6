package io.rollbook.gateway.core;

/**
 * The routing tag a gateway journals with every command it publishes ({@code source} of
 * {@link io.rollbook.sequencer.CommandPublisher#tryPublish}), and reads back when the command is released, to
 * answer the connection that sent it.
 *
 * <pre>
 *  bits 63..56  kind         0 the service itself, 1 a binary order-entry session, 2 a binary operator session,
 *                            3 an HTTP request (an account's or an operator's)
 *  bits 55..52  event loop   the index of the Netty event loop that owns the connection
 *  bits 51..32  connection   the connection's number on that loop (wraps at 2^20)
 *  bits 31..0   request      the client's sequence number of the message, 0 for commands the gateway issues for
 *                            the session (cancel-on-disconnect, dead-man timer); for HTTP the loop's request number
 * </pre>
 *
 * <p>A tag names a connection, not an account: the account is in the command itself. Stateless; thread-safe.
 */
public final class SourceTag
{
    public static final int KIND_SERVICE = 0;
    public static final int KIND_BINARY_SESSION = 1;
    public static final int KIND_BINARY_OPERATOR = 2;
    public static final int KIND_HTTP = 3;

    public static final int MAX_EVENT_LOOPS = 16;
    public static final int CONNECTION_MASK = (1 << 20) - 1;

    private SourceTag()
    {
    }

    public static long of(final int kind, final int eventLoop, final int connection, final long request)
    {
        return ((long)(kind & 0xFF) << 56) | ((long)(eventLoop & 0xF) << 52) |
            ((long)(connection & CONNECTION_MASK) << 32) | (request & 0xFFFF_FFFFL);
    }

    public static int kind(final long tag)
    {
        return (int)(tag >>> 56);
    }

    public static int eventLoop(final long tag)
    {
        return (int)(tag >>> 52) & 0xF;
    }

    public static int connection(final long tag)
    {
        return (int)(tag >>> 32) & CONNECTION_MASK;
    }

    public static long request(final long tag)
    {
        return tag & 0xFFFF_FFFFL;
    }
}
