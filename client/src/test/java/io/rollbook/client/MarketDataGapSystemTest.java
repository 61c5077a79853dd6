package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted server: the client builds its book from a snapshot, applies increments in channel sequence
 * order, and when the sequence jumps marks the book stale, asks for a snapshot and ignores increments until it
 * comes.
 */
@Tag("system")
class MarketDataGapSystemTest
{
    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;

    @Test
    void aGapMakesTheBookStaleUntilTheSnapshotItAskedFor() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final List<Long> gaps = new ArrayList<>();
            final Thread script = new Thread(() -> serve(server));
            script.start();
            try (RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onGap(final LocalOrderBook book, final long expected, final long received)
                {
                    gaps.add(received);
                }
            }))
            {
                client.subscribe(7);
                client.flush();
                client.await(() -> !gaps.isEmpty(), 5_000, "the gap");
                final LocalOrderBook book = client.book(7);
                assertTrue(book.isStale());
                assertEquals(11, book.channelSeq(), "applied up to the gap");
                assertEquals(3, book.sizeAt(0, 101));
                client.await(() -> !book.isStale() && book.channelSeq() == 22, 5_000, "the new snapshot and after");
                assertEquals(List.of(13L), gaps);
                assertEquals(1, book.bidCount());
                assertEquals(200, book.bidPrice(0));
                assertEquals(9, book.bidSize(0));
                assertEquals(0, book.askCount());
                assertEquals(1, book.gaps());
                assertFalse(book.isStale());
            }
            script.join(5_000);
        }
    }

    private void serve(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, challenge());
            ScriptedFrames.expect(in, MarketDataSubscribeDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, snapshot(10, new long[] {100, 5}, new long[] {110, 7}));
            ScriptedFrames.write(out, update(11, Side.BUY, 101, 3));
            ScriptedFrames.write(out, update(13, Side.BUY, 102, 4));
            ScriptedFrames.write(out, update(14, Side.BUY, 103, 4));
            ScriptedFrames.expect(in, MarketDataSnapshotRequestDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, update(15, Side.BUY, 104, 4));
            ScriptedFrames.write(out, snapshot(20, new long[] {100, 5}, new long[0]));
            ScriptedFrames.write(out, update(21, Side.BUY, 100, 0));
            ScriptedFrames.write(out, update(22, Side.BUY, 200, 9));
            in.read();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private byte[] challenge()
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ChallengeEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .putNonce(new byte[32], 0, 32).serverTimeNs(1).encodedLength());
    }

    private byte[] snapshot(final long channelSeq, final long[] bids, final long[] asks)
    {
        final MarketDataSnapshotEncoder encoder = new MarketDataSnapshotEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(channelSeq).sequence(1).market(7);
        final MarketDataSnapshotEncoder.BidsEncoder bidGroup = encoder.bidsCount(bids.length / 2);
        for (int i = 0; i < bids.length; i += 2)
        {
            bidGroup.next().priceTicks(bids[i]).sizeLots(bids[i + 1]);
        }
        final MarketDataSnapshotEncoder.AsksEncoder askGroup = encoder.asksCount(asks.length / 2);
        for (int i = 0; i < asks.length; i += 2)
        {
            askGroup.next().priceTicks(asks[i]).sizeLots(asks[i + 1]);
        }
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] update(final long channelSeq, final Side side, final long price, final long size)
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new MarketDataBookUpdateEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(channelSeq).sequence(1).priceTicks(price).sizeLots(size).market(7).side(side).encodedLength());
    }
}
