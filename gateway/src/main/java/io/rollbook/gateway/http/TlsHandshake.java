package io.rollbook.gateway.http;

import java.nio.channels.ClosedChannelException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Right after the {@link io.netty.handler.ssl.SslHandler} of a TLS connection: counts a handshake that fails (the
 * client spoke plain HTTP or sent no valid handshake, gave up, or did not finish within
 * {@code http.requestReadTimeoutMs}); the SslHandler has then closed the connection, having handed nothing on. It
 * leaves the pipeline once the handshake is over, either way.
 *
 * <p>Owned by its connection's event loop.
 */
final class TlsHandshake extends ChannelInboundHandlerAdapter
{
    /**
     * Why a handshake failed, the label of the metric.
     */
    enum Failure
    {
        /** not finished within {@code http.requestReadTimeoutMs} */
        TIMEOUT,
        /** the client closed the connection before the handshake was done */
        CLOSED,
        /** what the client sent was not a TLS handshake the server accepts: plain HTTP, garbage, an old protocol */
        INVALID
    }

    private final HttpLoop loop;

    TlsHandshake(final HttpLoop loop)
    {
        this.loop = loop;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent)
        {
            final SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent)event;
            if (!done.isSuccess())
            {
                loop.tlsHandshakeFailed(done.cause() instanceof SslHandshakeTimeoutException ? Failure.TIMEOUT :
                    !ctx.channel().isActive() || done.cause() instanceof ClosedChannelException ? Failure.CLOSED :
                    Failure.INVALID);
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(event);
    }
}
