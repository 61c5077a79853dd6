package io.rollbook.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

/**
 * Sees the first byte of a request arrive, before the HTTP codec, and starts its connection's read clock
 * ({@code http.requestReadTimeoutMs}); {@link BodyLimit}, after the codec, sees the request's last part and stops it,
 * whatever then becomes of the request (answered, refused as too large, discarded after a refusal, or a WebSocket
 * handshake). It comes out of the pipeline when the connection upgrades to a WebSocket, whose heartbeat keeps it.
 * Once an answer that ends the connection is owed (a 408, a 413 with the body coming, a 400 for undecodable input, the
 * answer to a request that asked to close) it discards what the client still sends, before the codec, so that none
 * of it is handled (see {@link HttpConnection}); it comes back, ahead of the WebSocket frame decoder, to do the same
 * when a WebSocket ends ({@link HttpConnection#endWebSocket}).
 *
 * <p>The codec does not tell how far into a read a request ended, so the beginning of a next request that came in
 * the same read as the end of the one before is not timed as a read: the connection waits for it as idle, and its
 * next byte starts the read clock. A client gains no more than the idle timeout that way, and a pipelining client
 * never loses time.
 *
 * <p>Owned by its connection's event loop; allocates nothing.
 */
final class RequestStart extends ChannelInboundHandlerAdapter
{
    /**
     * The bytes the codec skips between requests (the CRLF some clients send after a body): they start no request.
     */
    private static final ByteProcessor BLANK = value -> (value & 0xFF) <= ' ' || value == 0x7F;

    private final HttpConnection connection;

    RequestStart(final HttpConnection connection)
    {
        this.connection = connection;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!connection.takesRequests())
        {
            // After the connection's last answer, what the client still sends is read only so that closing does not
            // reset the connection.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!connection.isReadingRequest() && msg instanceof ByteBuf && ((ByteBuf)msg).forEachByte(BLANK) >= 0)
        {
            connection.onRequestStarted();
        }
        ctx.fireChannelRead(msg);
    }
}
