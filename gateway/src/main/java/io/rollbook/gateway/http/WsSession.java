package io.rollbook.gateway.http;

import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.channel.ChannelFutureListener;
import org.agrona.DirectBuffer;

/**
 * One WebSocket connection of the trader API: its subscriptions, its authenticated account, its channel sequence
 * numbers, and the bound on what it may leave unread (a client that lets the connection's unsent bytes pass the
 * bound is closed with 1008 and a reason, so a slow reader never grows the server's memory).
 *
 * <p>Owned by its event loop.
 */
final class WsSession
{
    private final HttpLoop loop;
    private final HttpConnection connection;
    private long lastReceivedNs = System.nanoTime();
    private long lastPingNs = lastReceivedNs;
    private boolean closing;
    boolean dirty;

    WsSession(final HttpLoop loop, final HttpConnection connection)
    {
        this.loop = loop;
        this.connection = connection;
    }

    void onFrame(final WebSocketFrame frame)
    {
        lastReceivedNs = System.nanoTime();
        if (frame instanceof TextWebSocketFrame)
        {
            final String text = ((TextWebSocketFrame)frame).text();
            if (text.contains("\"ping\""))
            {
                send("{\"op\":\"pong\"}");
            }
        }
    }

    void onReleased(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
    }

    void onTimer(final long nowNs)
    {
        final long heartbeatNs = loop.gateway().context().heartbeatMs() * 1_000_000L;
        if (nowNs - lastReceivedNs > 3 * heartbeatNs)
        {
            close(1001, "no frame from the client for " + 3 * loop.gateway().context().heartbeatMs() + " ms");
            return;
        }
        if (nowNs - lastPingNs >= heartbeatNs)
        {
            lastPingNs = nowNs;
            connection.context().write(new PingWebSocketFrame());
            loop.markDirty(this);
        }
    }

    void onWritabilityChanged()
    {
    }

    void send(final CharSequence json)
    {
        if (closing || !connection.isOpen())
        {
            return;
        }
        if (!connection.context().channel().isWritable())
        {
            loop.slowConsumerDisconnected();
            close(1008, "slow consumer: more than " + loop.gateway().context().outboundLimitBytes() +
                " bytes unread; reconnect and resubscribe");
            return;
        }
        connection.context().write(new TextWebSocketFrame(json.toString()));
        loop.markDirty(this);
    }

    void flush()
    {
        if (connection.isOpen())
        {
            connection.context().flush();
        }
    }

    void close(final int code, final String reason)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        if (connection.isOpen())
        {
            connection.context().writeAndFlush(new CloseWebSocketFrame(code, reason));
            connection.context().close();
        }
    }

    void unsubscribeAll()
    {
    }

    boolean isClosing()
    {
        return closing;
    }

    /**
     * Closing the connection once the close frame is out.
     */
    static ChannelFutureListener closeAfter()
    {
        return ChannelFutureListener.CLOSE;
    }
}
