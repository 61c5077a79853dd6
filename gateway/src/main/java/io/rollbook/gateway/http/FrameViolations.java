package io.rollbook.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Takes the WebSocket frame decoder's protocol errors (a continuation with no message, text that is not UTF-8, a frame
 * longer than a message may be) before Netty's WebSocket handler, which would close the connection at once, and has
 * the connection refuse the client's input with the error's close code instead ({@link
 * HttpConnection#refuseWebSocketInput}): the client still sending its frame reads why rather than a reset.
 *
 * <p>Owned by its connection's event loop.
 */
final class FrameViolations extends ChannelInboundHandlerAdapter
{
    private final HttpConnection connection;

    FrameViolations(final HttpConnection connection)
    {
        this.connection = connection;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!(cause instanceof CorruptedWebSocketFrameException))
        {
            ctx.fireExceptionCaught(cause);
            return;
        }
        final WebSocketCloseStatus status = ((CorruptedWebSocketFrameException)cause).closeStatus();
        connection.refuseWebSocketInput(status.code(), status.equals(WebSocketCloseStatus.MESSAGE_TOO_BIG) ?
            connection.messageTooBig() : cause.getMessage());
    }
}
