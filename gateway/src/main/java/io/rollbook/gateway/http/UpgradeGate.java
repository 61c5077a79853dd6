package io.rollbook.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets only a WebSocket handshake on {@code /v1/ws} reach Netty's WebSocket handler, and hands every other request
 * straight to the connection, so that a plain request to {@code /v1/ws} gets the API's JSON error rather than the
 * WebSocket handler's own text answer. A handshake takes its connection out of the read and idle timeouts
 * ({@link HttpConnection#onUpgrading}); a request that comes after one whose answer ends the connection goes to the
 * connection, which drops it. A handshake pipelined behind requests still unanswered goes to the connection too,
 * which refuses it in its place: Netty's handler would answer 101 at once, ahead of those answers, and the
 * WebSocket that follows could never carry them. A handshake counts against its client address's request rate as
 * any request does, and one over it is answered {@code 429 REQUEST_RATE_EXCEEDED} in JSON. A handshake without a
 * valid Host header goes to the connection, which refuses it ({@link HostHeader}).
 *
 * <p>Owned by its connection's event loop.
 */
final class UpgradeGate extends ChannelInboundHandlerAdapter
{
    private static final String WEBSOCKET_VERSION = "13";

    private final HttpConnection connection;

    UpgradeGate(final HttpConnection connection)
    {
        this.connection = connection;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof FullHttpRequest && (!isHandshake((FullHttpRequest)msg) || !connection.takesRequests() ||
            connection.owesAnswers() || HostHeader.problem((FullHttpRequest)msg) != null))
        {
            connection.channelRead(connection.context(), msg);
            return;
        }
        if (msg instanceof FullHttpRequest)
        {
            final ApiException overRate = connection.overAddressRate();
            if (overRate != null)
            {
                connection.refuse(HttpUtil.isKeepAlive((FullHttpRequest)msg), overRate);
                ReferenceCountUtil.release(msg);
                return;
            }
            connection.onUpgrading();
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * A request Netty's handler would refuse (another method, no key, another version) is not one: Netty answers
     * those in plain text, or not at all, where the API answers in JSON.
     */
    static boolean isHandshake(final FullHttpRequest request)
    {
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        return (query < 0 ? uri : uri.substring(0, query)).equals(RestApi.WEBSOCKET_PATH) &&
            request.method().equals(HttpMethod.GET) &&
            request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true) &&
            request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY) &&
            request.headers().containsValue(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WEBSOCKET_VERSION, false);
    }
}
