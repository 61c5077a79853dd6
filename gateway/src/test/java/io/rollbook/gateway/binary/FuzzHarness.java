package io.rollbook.gateway.binary;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.framing.OrderEntryTemplates;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.sequencer.CommandPublisher;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A binary gateway with no network and no sequencer: connections are Netty {@link EmbeddedChannel}s driven by the
 * test thread, and commands land in a recording publisher. Two markets (1 and 2) are defined in its views.
 */
final class FuzzHarness implements AutoCloseable
{
    static final int ACCOUNT = 10;

    final KeyPair accountKey = Ed25519Keys.generate();
    final KeyPair operatorKey = Ed25519Keys.generate();
    final GatewayViews views = new GatewayViews(8, 1024, 0);
    final RecordingPublisher publisher = new RecordingPublisher();
    final BinaryGateway gateway;
    private final DefaultEventLoop eventLoop = new DefaultEventLoop();

    FuzzHarness(final Path dataDirectory)
    {
        this(dataDirectory, context -> { });
    }

    /**
     * @param settings changes to the gateway's settings, after the harness's own
     */
    FuzzHarness(final Path dataDirectory, final Consumer<BinaryGateway.Context> settings)
    {
        final KeyStore keys = KeyStore.builder()
            .account(ACCOUNT, accountKey.getPublic())
            .operator("fuzz-operator", operatorKey.getPublic())
            .build();
        final BinaryGateway.Context context = new BinaryGateway.Context().marketCapacity(8).accountCapacity(64)
            .outboxCapacityBytes(1 << 20).throttleMessagesPerSecond(1_000_000);
        settings.accept(context);
        final JournalIndex index = new JournalIndex(16, 1024);
        gateway = new BinaryGateway(context, List.of(eventLoop), views, keys, dataDirectory, index,
            new JournalIndexFeed(index), 0);
        gateway.publisher(publisher);
        defineMarkets();
    }

    private void defineMarkets()
    {
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(512);
        final io.rollbook.protocol.engine.MessageHeaderEncoder header = new io.rollbook.protocol.engine.MessageHeaderEncoder();
        final MarketDefinedEncoder defined = new MarketDefinedEncoder();
        int length = 0;
        for (int market = 1; market <= 2; market++)
        {
            defined.wrapAndApplyHeader(events, length, header).market(market).symbol("M" + market)
                .tickSizeMantissa(1).lotSizeMantissa(1).minSizeLots(1).maxOrderSizeLots(1_000_000);
            length += io.rollbook.protocol.engine.MessageHeaderEncoder.ENCODED_LENGTH + MarketDefinedEncoder.BLOCK_LENGTH;
        }
        views.updater().onReleased(1, 0, 0, events, 0, 0, 0, length);
    }

    EmbeddedChannel connect()
    {
        return new EmbeddedChannel(new BinaryChannelHandler(gateway.loop(0)));
    }

    /**
     * @return every frame the server has written on the channel so far, each checked to be a well-formed frame of a
     *         message the server sends
     */
    static List<byte[]> outboundFrames(final EmbeddedChannel channel)
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(4096);
        int length = 0;
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null)
        {
            final int readable = chunk.readableBytes();
            bytes.checkLimit(length + readable);
            chunk.getBytes(chunk.readerIndex(), bytes.byteArray(), length, readable);
            length += readable;
            chunk.release();
        }
        final List<byte[]> frames = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int at = 0;
        while (at < length)
        {
            final int frameLength = SimpleOpenFraming.frameLength(bytes, at);
            if (frameLength < SimpleOpenFraming.MIN_FRAME_LENGTH || at + frameLength > length)
            {
                throw new AssertionError("the server wrote a bad frame of " + frameLength + " bytes at " + at);
            }
            if (SimpleOpenFraming.encodingType(bytes, at) != SimpleOpenFraming.ENCODING_TYPE_SBE_LITTLE_ENDIAN)
            {
                throw new AssertionError("the server wrote a bad encoding type");
            }
            header.wrap(bytes, at + SimpleOpenFraming.HEADER_LENGTH);
            if (header.schemaId() != OrderEntryTemplates.SCHEMA_ID ||
                !OrderEntryTemplates.isKnown(header.templateId(), header.version(), OrderEntryTemplates.FROM_SERVER) ||
                header.blockLength() != OrderEntryTemplates.blockLength(header.templateId(), header.version()))
            {
                throw new AssertionError("the server wrote template " + header.templateId() + " version " +
                    header.version() + " block " + header.blockLength());
            }
            final byte[] frame = new byte[frameLength];
            bytes.getBytes(at, frame);
            frames.add(frame);
            at += frameLength;
        }
        return frames;
    }

    static int templateOf(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(SimpleOpenFraming.HEADER_LENGTH + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    static void send(final EmbeddedChannel channel, final byte[] bytes)
    {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void close()
    {
        eventLoop.shutdownGracefully();
    }

    /**
     * Records what would have been published.
     */
    static final class RecordingPublisher implements CommandPublisher
    {
        final List<byte[]> commands = new ArrayList<>();
        final List<Long> sources = new ArrayList<>();
        int deferredWakes;
        int wakes;

        @Override
        public boolean tryPublish(final long source, final DirectBuffer command, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            command.getBytes(offset, copy);
            commands.add(copy);
            sources.add(source);
            return true;
        }

        @Override
        public boolean tryPublishDeferringWake(
            final long source, final DirectBuffer command, final int offset, final int length)
        {
            deferredWakes++;
            return tryPublish(source, command, offset, length);
        }

        @Override
        public void wakeConsumer()
        {
            wakes++;
        }

        @Override
        public int maxCommandLength()
        {
            return 256;
        }
    }
}
