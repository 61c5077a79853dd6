package io.rollbook.gateway.binary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rollbook.gateway.core.SendingSide;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of one binary connection: cuts the inbound byte stream into frames for its {@link BinarySession}
 * and carries the session's outbound bytes to the socket.
 *
 * <p>A frame that arrived whole is decoded where Netty put it (no copy when the buffer has a memory address); a
 * frame split across reads is assembled in a fixed buffer of the largest inbound frame, so a client can never make
 * the server hold more than that for it. The announced length is checked as soon as the framing header is in.
 *
 * <p>One instance per connection, confined to its event loop.
 */
final class BinaryChannelHandler extends ChannelInboundHandlerAdapter implements SessionTransport
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryChannelHandler.class);
    /**
     * How long a terminated connection may take to flush its last bytes, and its client to close its side, before it
     * is closed regardless.
     */
    private static final long CLOSE_GRACE_MS = 1_000;

    private final BinaryLoop loop;
    private final UnsafeBuffer inPlace = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer outView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer assembly = new UnsafeBuffer(new byte[SimpleOpenFraming.MAX_INBOUND_FRAME_LENGTH]);
    private ChannelHandlerContext context;
    private BinarySession session;
    private int assembled;
    private int assemblingLength;

    /**
     * @param loop the state of the event loop the connection is registered on
     */
    BinaryChannelHandler(final BinaryLoop loop)
    {
        this.loop = loop;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        context = ctx;
        session = loop.open(this);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf bytes = (ByteBuf)msg;
        try
        {
            if (session != null)
            {
                read(bytes, loop.tick());
            }
        }
        finally
        {
            bytes.release();
            loop.wakeSequencer();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (session != null)
        {
            loop.flushDirty();
            loop.applyBackPressure(session);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (session != null)
        {
            loop.closed(session);
            session = null;
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof java.io.IOException)
        {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        else
        {
            loop.onUnexpectedError();
            LOG.error("connection {} closed after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void read(final ByteBuf bytes, final long nowNs)
    {
        while (bytes.isReadable() && !session.isTerminated())
        {
            final int readable = bytes.readableBytes();
            if (assembled == 0 && readable >= SimpleOpenFraming.HEADER_LENGTH)
            {
                final int frameLength = bytes.getInt(bytes.readerIndex());
                final String bad = FrameCheck.checkLength(frameLength);
                if (bad != null)
                {
                    session.onBadFrameLength(bad);
                    return;
                }
                if (readable >= frameLength)
                {
                    if (bytes.hasMemoryAddress())
                    {
                        inPlace.wrap(bytes.memoryAddress() + bytes.readerIndex(), frameLength);
                        session.onFrame(inPlace, 0, frameLength, nowNs);
                    }
                    else
                    {
                        bytes.getBytes(bytes.readerIndex(), assembly.byteArray(), 0, frameLength);
                        session.onFrame(assembly, 0, frameLength, nowNs);
                    }
                    bytes.skipBytes(frameLength);
                    continue;
                }
            }
            if (assembled < SimpleOpenFraming.HEADER_LENGTH)
            {
                final int take = Math.min(SimpleOpenFraming.HEADER_LENGTH - assembled, bytes.readableBytes());
                bytes.readBytes(assembly.byteArray(), assembled, take);
                assembled += take;
                if (assembled < SimpleOpenFraming.HEADER_LENGTH)
                {
                    return;
                }
                assemblingLength = assembly.getInt(0, ByteOrder.BIG_ENDIAN);
                final String bad = FrameCheck.checkLength(assemblingLength);
                if (bad != null)
                {
                    session.onBadFrameLength(bad);
                    return;
                }
            }
            final int take = Math.min(assemblingLength - assembled, bytes.readableBytes());
            bytes.readBytes(assembly.byteArray(), assembled, take);
            assembled += take;
            if (assembled == assemblingLength)
            {
                assembled = 0;
                session.onFrame(assembly, 0, assemblingLength, nowNs);
            }
        }
    }

    @Override
    public void send(final ByteBuffer bytes, final int length)
    {
        final ByteBuf out = context.alloc().directBuffer(length, length);
        if (out.hasMemoryAddress())
        {
            // ByteBuf.writeBytes(ByteBuffer) would make a ByteBuffer view of the target for every send: garbage.
            outView.wrap(out.memoryAddress() + out.writerIndex(), length);
            outView.putBytes(0, bytes, 0, length);
            out.writerIndex(out.writerIndex() + length);
        }
        else
        {
            bytes.limit(length).position(0);
            out.writeBytes(bytes);
            bytes.clear();
        }
        context.writeAndFlush(out, context.voidPromise());
    }

    @Override
    public boolean isWritable()
    {
        return context.channel().isWritable();
    }

    /**
     * Once the session's last bytes (its Terminate) are flushed, shuts the sending side down and goes on reading,
     * discarding what comes (the session is terminated), until the client closes too or the grace ends. Closing with
     * the client's bytes unread would make the kernel reset the connection: a client still sending (a session
     * terminated for flooding, say) would fail its next write with "broken pipe" and could lose the Terminate that
     * says why before reading it.
     */
    @Override
    public void closeAfterFlush()
    {
        // A peer that does not read would never let the flush complete: the connection, its unsent bytes and its
        // cancel-on-disconnect would wait for it forever.
        if (!context.channel().isWritable())
        {
            context.close();
            return;
        }
        context.channel().config().setAutoRead(true);
        context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener)this::shutDownSending);
        context.executor().schedule(this::closeNow, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    private void shutDownSending(final ChannelFuture flushed)
    {
        if (!flushed.isSuccess())
        {
            context.close();
        }
        else if (context.channel().isActive())
        {
            SendingSide.shutDown(context.channel());
        }
    }

    private void closeNow()
    {
        context.close();
    }

    @Override
    public void readingEnabled(final boolean enabled)
    {
        context.channel().config().setAutoRead(enabled);
    }
}
