package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A scripted server plays a seeded random feed against a reference model (a sorted map a side): level changes near
 * the touch (the sides crossing) and far from it, closes of levels that are not there, trades, repeated messages,
 * snapshots nobody asked for, and messages it drops, as a feed with gaps would. It answers every snapshot request
 * with the model as it stands. Whatever the timing, the client must deliver only in-sequence changes (each one
 * after the snapshot or the change before it), ask for one snapshot per gap, and end with the model's book.
 */
@Tag("system")
class MarketDataResyncSystemTest
{
    private static final int MARKET = 7;
    private static final int MESSAGES = 20_000;
    private static final long TOUCH = 1_000_000;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;
    private final TreeMap<Long, Long> bids = new TreeMap<>((a, b) -> Long.compare(b, a));
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    private final LinkedBlockingQueue<Integer> snapshotRequests = new LinkedBlockingQueue<>();
    private final AtomicInteger requestsReceived = new AtomicInteger();
    private final AtomicReference<long[][]> finalBook = new AtomicReference<>();
    private final AtomicReference<Throwable> scriptFailure = new AtomicReference<>();
    private volatile long finalChannelSeq = -1;
    private long channelSeq = 100;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aFeedWithGapsRepeatsAndResetsEndsInTheServersBook(final long seed) throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server, seed));
            script.setDaemon(true);
            script.start();
            final List<String> outOfOrder = new ArrayList<>();
            final AtomicInteger snapshots = new AtomicInteger();
            final AtomicInteger gaps = new AtomicInteger();
            final long[] lastDelivered = {-1};
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onSnapshot(final LocalOrderBook book)
                {
                    snapshots.incrementAndGet();
                    lastDelivered[0] = book.channelSeq();
                }

                @Override
                public void onBookUpdate(final LocalOrderBook book, final MarketDataBookUpdateDecoder update)
                {
                    delivered(book, update.channelSeq());
                    if (book.sizeAt(update.sideRaw(), update.priceTicks()) != update.sizeLots())
                    {
                        outOfOrder.add("level " + update.priceTicks() + " not set at " + update.channelSeq());
                    }
                }

                @Override
                public void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
                {
                    delivered(book, trade.channelSeq());
                }

                @Override
                public void onGap(final LocalOrderBook book, final long expected, final long received)
                {
                    gaps.incrementAndGet();
                    if (expected != lastDelivered[0] + 1 || received <= expected)
                    {
                        outOfOrder.add("gap " + expected + ".." + received + " after " + lastDelivered[0]);
                    }
                }

                private void delivered(final LocalOrderBook book, final long messageSeq)
                {
                    if (book.isStale() || messageSeq != lastDelivered[0] + 1 || book.channelSeq() != messageSeq)
                    {
                        outOfOrder.add(messageSeq + " after " + lastDelivered[0]);
                    }
                    lastDelivered[0] = messageSeq;
                }
            });
            try
            {
                // A loaded machine may keep the script from writing for a while: the client must not drop it.
                client.marketDataKeepAliveMs(10_000);
                client.subscribe(MARKET);
                client.flush();
                client.await(() -> client.book(MARKET) != null && finalChannelSeq >= 0 &&
                    !client.book(MARKET).isStale() && client.book(MARKET).channelSeq() == finalChannelSeq, 60_000,
                    "the book at the end of the feed");
                final LocalOrderBook book = client.book(MARKET);
                // A request may still be on its way when a snapshot nobody asked for has repaired the gap already.
                client.await(() -> requestsReceived.get() >= gaps.get(), 10_000, "every snapshot request");
                assertNull(scriptFailure.get());
                assertEquals(List.of(), outOfOrder, "seed " + seed);
                assertEquals(gaps.get(), book.gaps(), "seed " + seed);
                assertEquals(requestsReceived.get(), gaps.get(), "seed " + seed + ": one snapshot request per gap");
                assertTrue(gaps.get() > 20, "seed " + seed + ": gaps " + gaps.get());
                assertTrue(snapshots.get() > gaps.get(), "seed " + seed + ": snapshots " + snapshots.get());
                final long[][] expected = finalBook.get();
                assertSide(expected[0], book, 0, "seed " + seed + " bids");
                assertSide(expected[1], book, 1, "seed " + seed + " asks");
                book.checkInvariants();
            }
            finally
            {
                client.abort();
            }
            script.join(5_000);
        }
    }

    private static void assertSide(final long[] expected, final LocalOrderBook book, final int side, final String where)
    {
        assertEquals(expected.length / 2, side == 0 ? book.bidCount() : book.askCount(), where);
        for (int depth = 0; depth < expected.length / 2; depth++)
        {
            assertEquals(expected[2 * depth], side == 0 ? book.bidPrice(depth) : book.askPrice(depth), where);
            assertEquals(expected[2 * depth + 1], side == 0 ? book.bidSize(depth) : book.askSize(depth), where);
        }
    }

    private void serve(final ServerSocket server, final long seed)
    {
        try (Socket socket = server.accept())
        {
            socket.setSoTimeout(60_000);
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            ScriptedFrames.write(out, frames.challenge());
            ScriptedFrames.expect(in, MarketDataSubscribeDecoder.TEMPLATE_ID);
            final Thread reader = new Thread(() -> readRequests(in));
            reader.setDaemon(true);
            reader.start();
            final SplittableRandom random = new SplittableRandom(seed);
            for (int n = random.nextInt(50, 500); n > 0; n--)
            {
                (random.nextBoolean() ? bids : asks).put(price(random), random.nextLong(1, 1_000));
            }
            ScriptedFrames.write(out, snapshot());
            byte[] previous = null;
            for (int i = 0; i < MESSAGES; i++)
            {
                answerRequests(out);
                final int kind = random.nextInt(1_000);
                final byte[] message;
                if (kind < 900)
                {
                    message = change(random);
                }
                else if (kind < 960)
                {
                    message = trade();
                }
                else if (kind < 980)
                {
                    // Again, late: ignored, or the one the client was missing when the first was dropped.
                    message = previous != null ? previous : trade();
                }
                else
                {
                    message = snapshot();
                }
                // Dropped, as a feed with a gap would drop it; a snapshot is never dropped.
                if (kind >= 980 || random.nextInt(200) != 0)
                {
                    ScriptedFrames.write(out, message);
                }
                previous = kind < 980 ? message : previous;
            }
            // One last change that arrives, so a gap before it is found: the client asks for a snapshot then.
            ScriptedFrames.write(out, change(random));
            finalBook.set(new long[][] {flatten(bids), flatten(asks)});
            finalChannelSeq = channelSeq;
            while (!socket.isClosed())
            {
                final Integer market = snapshotRequests.poll(100, TimeUnit.MILLISECONDS);
                if (market != null)
                {
                    ScriptedFrames.write(out, snapshot());
                }
            }
        }
        catch (final IOException ex)
        {
            // The client closed at the end of the test: its assertions say whether anything went wrong.
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            scriptFailure.set(ex);
        }
    }

    private void answerRequests(final OutputStream out) throws IOException
    {
        while (snapshotRequests.poll() != null)
        {
            ScriptedFrames.write(out, snapshot());
        }
    }

    private void readRequests(final DataInputStream in)
    {
        final MessageHeaderDecoder decoder = new MessageHeaderDecoder();
        try
        {
            while (true)
            {
                final int length = in.readInt();
                final byte[] frame = new byte[length - 4];
                in.readFully(frame);
                if (decoder.wrap(new UnsafeBuffer(frame), ScriptedFrames.MESSAGE_AT).templateId() ==
                    MarketDataSnapshotRequestDecoder.TEMPLATE_ID)
                {
                    requestsReceived.incrementAndGet();
                    snapshotRequests.add(MARKET);
                }
            }
        }
        catch (final EOFException closed)
        {
            // The client is gone.
        }
        catch (final IOException ex)
        {
            // Closed at the end of the test.
        }
    }

    private static long[] flatten(final TreeMap<Long, Long> side)
    {
        final long[] levels = new long[side.size() * 2];
        int at = 0;
        for (final Map.Entry<Long, Long> level : side.entrySet())
        {
            levels[at++] = level.getKey();
            levels[at++] = level.getValue();
        }
        return levels;
    }

    /**
     * Around the touch for either side (the sides cross), one in twenty far from it; a quarter close a level, most
     * often one that is not there.
     */
    private static long price(final SplittableRandom random)
    {
        return random.nextInt(20) == 0 ? random.nextLong(1, 1_000_000_000_000L) : TOUCH - 100 + random.nextInt(200);
    }

    private byte[] change(final SplittableRandom random)
    {
        final boolean bid = random.nextBoolean();
        final long price = price(random);
        final long size = random.nextInt(4) == 0 ? 0 : random.nextLong(1, 1_000);
        final TreeMap<Long, Long> side = bid ? bids : asks;
        if (size == 0)
        {
            side.remove(price);
        }
        else
        {
            side.put(price, size);
        }
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new MarketDataBookUpdateEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(++channelSeq).sequence(channelSeq).priceTicks(price).sizeLots(size).market(MARKET)
            .side(bid ? Side.BUY : Side.SELL).encodedLength());
    }

    private byte[] trade()
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new MarketDataTradeEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(++channelSeq).sequence(channelSeq).tradeId(channelSeq).priceTicks(TOUCH).sizeLots(1)
            .transactTimeNs(channelSeq).market(MARKET).aggressorSide(Side.BUY).encodedLength());
    }

    private byte[] snapshot()
    {
        final MarketDataSnapshotEncoder encoder = new MarketDataSnapshotEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(channelSeq).sequence(channelSeq).market(MARKET);
        final MarketDataSnapshotEncoder.BidsEncoder bidGroup = encoder.bidsCount(bids.size());
        for (final Map.Entry<Long, Long> level : bids.entrySet())
        {
            bidGroup.next().priceTicks(level.getKey()).sizeLots(level.getValue());
        }
        final MarketDataSnapshotEncoder.AsksEncoder askGroup = encoder.asksCount(asks.size());
        for (final Map.Entry<Long, Long> level : asks.entrySet())
        {
            askGroup.next().priceTicks(level.getKey()).sizeLots(level.getValue());
        }
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
