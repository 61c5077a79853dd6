package io.rollbook.gateway.core;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * The whole pipeline of a connection refused at accept (over the port's {@code maxConnections}, or over its address's
 * limits): it writes the ready-made answer (the trader API's {@code 503 TOO_MANY_CONNECTIONS}, {@code 429
 * CONNECTION_RATE_EXCEEDED}, ...; the binary gateway's {@code Terminate} with {@code CONNECTION_REFUSED}) as soon as
 * the connection is up, then ends the connection in stages. The client has usually sent its request (or its
 * {@code Negotiate}) already; closing with it unread would make the kernel reset the connection and destroy the
 * answer. So everything the client sends is read
 * and discarded, the sending side is shut down once the answer is written, and the connection closes when the client
 * closes it, or {@value #LINGER_MS} ms after the answer at the latest: a refusal must not hold a descriptor for long.
 * Over TLS the answer waits for the handshake (bounded by the handshake timeout) and ends with a {@code close_notify}.
 *
 * <p>Owned by its connection's event loop.
 */
public final class RefusedConnection extends ChannelInboundHandlerAdapter
{
    /** Time enough for a client to read a few hundred bytes and close; nothing is owed to one that does not. */
    static final long LINGER_MS = 1_000;

    private final byte[] answer;

    public RefusedConnection(final byte[] answer)
    {
        this.answer = answer;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        final SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null)
        {
            answer(ctx);
        }
        else
        {
            // Over TLS the answer needs the handshake first; one that fails or times out closes the connection.
            tls.handshakeFuture().addListener(handshake ->
            {
                if (handshake.isSuccess())
                {
                    answer(ctx);
                }
            });
        }
    }

    private void answer(final ChannelHandlerContext ctx)
    {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener((ChannelFuture written) ->
        {
            if (!written.isSuccess())
            {
                ctx.close();
                return;
            }
            SendingSide.shutDown(ctx.channel());
            ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
