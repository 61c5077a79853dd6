package io.rollbook.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes a WebSocket client's pings before Netty's WebSocket handler, which would answer each with a pong written
 * whatever the connection's unread bytes and without counting it anywhere: a client that pings and never reads would
 * grow the server's memory without bound, at no cost to its request rate. The connection's session answers them
 * instead, under the same outbound bound and address request rate as its messages ({@link WsSession#onPing}).
 *
 * <p>Owned by its connection's event loop.
 */
final class ClientPings extends ChannelInboundHandlerAdapter
{
    private final HttpConnection connection;

    ClientPings(final HttpConnection connection)
    {
        this.connection = connection;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof PingWebSocketFrame))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        try
        {
            connection.onClientPing((PingWebSocketFrame)msg);
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }
}
