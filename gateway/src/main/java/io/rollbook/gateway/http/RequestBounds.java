package io.rollbook.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;

/**
 * Where a request starts and ends on the wire, for its connection's read and idle timeouts
 * ({@code http.requestReadTimeoutMs}, {@code http.idleTimeoutMs}): {@link Start} sits before the HTTP codec and
 * sees the first byte of a request arrive, {@link End} sits after it and sees the request's last part decoded,
 * whatever then becomes of it (answered, refused as too large, discarded after a refusal, or a WebSocket handshake).
 * Both come out of the pipeline when the connection upgrades to a WebSocket, whose heartbeat keeps it instead.
 *
 * <p>The codec does not tell how far into a read a request ended, so the beginning of a next request that came in
 * the same read as the end of the one before is not timed as a read: the connection waits for it as idle, and its
 * next byte starts the read clock. A client gains no more than the idle timeout that way, and a pipelining client
 * never loses time.
 *
 * <p>Owned by its connection's event loop; neither allocates.
 */
final class RequestBounds
{
    /**
     * The bytes the codec skips between requests (the CRLF some clients send after a body): they start no request.
     */
    private static final ByteProcessor BLANK = value -> (value & 0xFF) <= ' ' || value == 0x7F;

    private RequestBounds()
    {
    }

    /**
     * Before the codec: a byte that can start a request, while none is being read, starts the read clock.
     */
    static final class Start extends ChannelInboundHandlerAdapter
    {
        private final HttpConnection connection;

        Start(final HttpConnection connection)
        {
            this.connection = connection;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (!connection.isReadingRequest() && msg instanceof ByteBuf && ((ByteBuf)msg).forEachByte(BLANK) >= 0)
            {
                connection.onRequestStarted();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * After the codec: the request's last part (a request that failed to decode is one part) stops the read clock.
     */
    static final class End extends ChannelInboundHandlerAdapter
    {
        private final HttpConnection connection;

        End(final HttpConnection connection)
        {
            this.connection = connection;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof LastHttpContent)
            {
                connection.onRequestRead();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
