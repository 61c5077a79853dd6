package io.rollbook.gateway.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Aggregates a request's body up to {@code http.maxBodyBytes} and refuses a larger one with the API's JSON error
 * ({@code 413 BODY_TOO_LARGE}) in its place in the connection's answer order, where Netty's aggregator would answer
 * with an empty body. The connection stays open only when the body has not started to arrive and the client asked
 * for keep-alive or for a 100 Continue, as Netty decides it; otherwise the 413 ends the connection in stages, so that
 * a client still sending the body reads it ({@link HttpConnection}). An expectation other than {@code 100-continue}
 * is left to the API's answer, after the body, so that the bytes of the body are never read as a request. Being the
 * first to see what the codec decoded, it also tells the connection when a request's last part has arrived, which
 * stops its read clock ({@link RequestStart}).
 *
 * <p>Owned by its connection's event loop.
 */
final class BodyLimit extends HttpObjectAggregator
{
    private final HttpConnection connection;
    private final int maxBodyBytes;

    BodyLimit(final HttpConnection connection, final int maxBodyBytes)
    {
        super(maxBodyBytes);
        this.connection = connection;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        if (msg instanceof LastHttpContent)
        {
            connection.onRequestRead();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected Object newContinueResponse(
        final HttpMessage start, final int maxContentLength, final ChannelPipeline pipeline)
    {
        if (unsupportedExpectation(start))
        {
            // Netty would write an empty 417 at once, ahead of the answers still owed, and reset the codec, which
            // then reads the body the client sends anyway as the next request. Aggregated as any other request, the
            // body keeps its framing, and the API answers 417 in the request's place (RestApi).
            return null;
        }
        final Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse &&
            ((FullHttpResponse)response).status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE))
        {
            // Not Netty's empty 413: the aggregator goes on to handleOversizedMessage, which answers in JSON.
            ((FullHttpResponse)response).release();
            return null;
        }
        return response;
    }

    /**
     * @return true if the message expects something other than {@code 100-continue}, which the server does not meet
     */
    static boolean unsupportedExpectation(final HttpMessage message)
    {
        final String expect = message.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect);
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        final boolean keepAlive = !(oversized instanceof FullHttpMessage) &&
            (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
        connection.refuse(keepAlive, new ApiException(413, "BODY_TOO_LARGE", "the request body is larger than " +
            maxBodyBytes + " bytes (http.maxBodyBytes); nothing was done"));
    }
}
