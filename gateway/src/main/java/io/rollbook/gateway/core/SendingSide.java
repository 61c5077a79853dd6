package io.rollbook.gateway.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

/**
 * Shuts down the server's sending side of a connection after its last answer, so that the client reads the answer and
 * then the end of the stream while the server still reads (and discards) what the client sends: closing with input
 * unread would make the kernel reset the connection and destroy the answer. Over TLS the end is a {@code close_notify}
 * first, flushed through the {@link SslHandler} after the answer's records, and the TCP half-close after it: a client
 * that sees the TCP stream end without one cannot tell the answer was whole (a truncation attack looks the same).
 *
 * <p>Called on the connection's event loop; a failure closes the connection.
 */
public final class SendingSide
{
    private SendingSide()
    {
    }

    public static void shutDown(final Channel channel)
    {
        final SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null)
        {
            ((DuplexChannel)channel).shutdownOutput().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return;
        }
        tls.closeOutbound().addListener((ChannelFutureListener)closed ->
        {
            if (closed.isSuccess() && channel.isActive())
            {
                ((DuplexChannel)channel).shutdownOutput().addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
            else
            {
                channel.close();
            }
        });
    }
}
