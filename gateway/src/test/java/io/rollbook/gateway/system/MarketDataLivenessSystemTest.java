package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.SequenceDecoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness of connections that subscribe to market data without negotiating: the server heartbeats them in a quiet
 * market and drops the ones that fall silent, while a client library subscriber that heartbeats in turn keeps its
 * subscription and its book, and order-entry sessions keep their own keep-alive.
 */
@Tag("system")
class MarketDataLivenessSystemTest
{
    private static final long HEARTBEAT_MS = 100;
    private static final long TIMEOUT_MS = 1_000;
    /** The library subscriber's interval: it sends after 100 ms of its own silence, drops the server after 600. */
    private static final long CLIENT_KEEP_ALIVE_MS = 200;

    @TempDir
    Path dataDirectory;

    @Test
    void aSilentSubscriberIsDroppedWhileOneThatHeartbeatsKeepsItsSubscriptionAndItsBook() throws Exception
    {
        try (TestService service = new TestService(dataDirectory,
            context -> context.marketDataHeartbeatMs(HEARTBEAT_MS).marketDataTimeoutMs(TIMEOUT_MS)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder events = new Recorder();
            final Recorder quietEvents = new Recorder();
            // Not polled while the subscribers are watched: a long keep-alive.
            try (RollbookClient trader = service.connect(events);
                RollbookClient taker = service.connect(new Recorder());
                RollbookClient quiet = service.connect(quietEvents).marketDataKeepAliveMs(CLIENT_KEEP_ALIVE_MS))
            {
                trader.logon(service.logon(10).keepAliveMs(60_000));
                // Logged on before the watch rather than during the trading: a logon polls none but its own client,
                // and the library subscriber must be polled within the server's timeout to send its heartbeats.
                taker.logon(service.logon(11).keepAliveMs(60_000));
                quiet.subscribe(BTC);
                quiet.flush();
                quiet.await(() -> !quiet.book(BTC).isStale(), 5_000, "the library subscriber's snapshot");

                final AtomicReference<String> silentEnd = new AtomicReference<>();
                final long silentFromNs;
                try (RawSession silent = new RawSession(service.port()))
                {
                    // Before the subscription is sent, the last the server hears of it: timed from after its answer,
                    // a test thread descheduled in between would shorten the silence the server measured.
                    silentFromNs = System.nanoTime();
                    subscribe(silent, BTC);
                    final Thread watcher = new Thread(() -> silentEnd.set(awaitTermination(silent)));
                    watcher.start();
                    quiet.await(() -> !watcher.isAlive(), 10_000, "the silent subscriber's termination");
                }
                final long silentForNs = System.nanoTime() - silentFromNs;
                assertTrue(silentEnd.get().startsWith("KEEP_ALIVE_LAPSED nothing received for "), silentEnd.get());
                assertTrue(silentForNs >= TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), "not before the timeout");
                quiet.await(() -> service.service().binaryGateway().subscriptionCount() == 1, 5_000,
                    "the silent subscriber's subscription gone");
                // The market was quiet for longer than the library client tolerates silence: only the server's
                // heartbeats kept it from dropping the server, and only its own kept the server from dropping it.
                assertTrue(quiet.isOpen(), "the library subscriber is still connected: " + quietEvents.disconnected);

                final long[] bids = {490_000, 490_100, 490_200};
                final long[] asks = {510_000, 510_100};
                for (int i = 0; i < bids.length; i++)
                {
                    trader.newLimitOrder(i + 1, BTC, Side.BUY, bids[i], i + 1, TimeInForce.GTC);
                }
                for (int i = 0; i < asks.length; i++)
                {
                    trader.newLimitOrder(10 + i, BTC, Side.SELL, asks[i], 4, TimeInForce.GTC);
                }
                trader.flush();
                awaitPollingBoth(trader, quiet, () -> events.count("rested") == bids.length + asks.length,
                    "the resting orders");
                taker.newLimitOrder(99, BTC, Side.SELL, 490_200, 2, TimeInForce.IOC);
                taker.flush();
                awaitPollingBoth(trader, quiet, () -> events.count("trade 3") == 1, "the trade");
                final long channelSeq = service.service().views().marketData().channelSeq(BTC);
                quiet.await(() -> quiet.book(BTC).channelSeq() == channelSeq, 5_000, "the library subscriber up to date");
                final BookSnapshot expected = new BookSnapshot();
                assertTrue(service.service().views().marketData().snapshot(BTC, expected));
                assertEquals(channelSeq, expected.channelSeq(), "the market stayed still meanwhile");
                assertSameBook(expected, quiet.book(BTC));
                assertEquals(1, expected.bidSize(0), "the trade took 2 of the best bid's 3");
                assertEquals(0, quiet.book(BTC).gaps());
                assertTrue(quiet.isOpen());
            }
            assertEquals(0, service.service().binaryGateway().unexpectedErrors());
        }
    }

    @Test
    void aSubscriberInAQuietMarketReceivesHeartbeatsOnlyWhenNothingElseWasSent() throws Exception
    {
        try (TestService service = new TestService(dataDirectory,
            context -> context.marketDataHeartbeatMs(HEARTBEAT_MS).marketDataTimeoutMs(TIMEOUT_MS)).start();
            RawSession subscriber = new RawSession(service.port()))
        {
            final long subscribedNs = System.nanoTime();
            subscribe(subscriber, BTC);
            final List<Long> announced = new ArrayList<>();
            while (announced.size() < 5)
            {
                final int template = subscriber.read();
                assertEquals(SequenceDecoder.TEMPLATE_ID, template, "nothing but heartbeats in a quiet market");
                announced.add(new SequenceDecoder().wrap(subscriber.received, MessageHeaderEncoder.ENCODED_LENGTH,
                    subscriber.header.blockLength(), subscriber.header.version()).nextSeqNo());
                // Answered in kind, as the client library does: the subscriber stays alive.
                new SequenceEncoder().wrapAndApplyHeader(subscriber.send, 0, subscriber.headerEncoder).nextSeqNo(1);
                subscriber.send(SequenceEncoder.BLOCK_LENGTH);
            }
            final long fiveHeartbeatsNs = System.nanoTime() - subscribedNs;
            assertEquals(List.of(1L, 1L, 1L, 1L, 1L), announced, "nothing numbered was sent on the connection");
            assertTrue(fiveHeartbeatsNs >= TimeUnit.MILLISECONDS.toNanos(5 * HEARTBEAT_MS),
                "each heartbeat only after an interval without anything sent");
            assertEquals(1, service.service().binaryGateway().subscriptionCount());
            assertEquals(1, service.service().binaryGateway().connectionCount());
        }
    }

    @Test
    void anOrderEntrySessionKeepsItsOwnKeepAliveWhenItAlsoSubscribes() throws Exception
    {
        try (TestService service = new TestService(dataDirectory,
            context -> context.marketDataHeartbeatMs(HEARTBEAT_MS).marketDataTimeoutMs(300)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            try (RawSession session = new RawSession(service.port());
                RawSession reference = new RawSession(service.port()))
            {
                session.logon(10, TestService.ACCOUNT_KEYS[0].getPrivate(), 1, 5_000);
                subscribe(session, BTC);
                // Silent, like the session: its termination shows that the market data timeout has passed.
                subscribe(reference, BTC);
                assertTrue(reference.awaitTermination().startsWith("KEEP_ALIVE_LAPSED"));

                session.sendLimitOrder(1, 5, BTC, Side.BUY, 490_000, 1);
                // What the session was sent while silent is read first: no market data heartbeat, no termination.
                final List<Integer> templates = new ArrayList<>();
                int template;
                do
                {
                    template = session.read();
                    templates.add(template);
                    assertFalse(template == SequenceDecoder.TEMPLATE_ID || template == TerminateDecoder.TEMPLATE_ID ||
                        template == -1, "the session was sent " + templates);
                }
                while (template != ExecutionRestedDecoder.TEMPLATE_ID);
                assertTrue(templates.contains(ExecutionNewDecoder.TEMPLATE_ID), templates.toString());
            }
            assertEquals(0, service.service().binaryGateway().unexpectedErrors());
        }
    }

    /**
     * Waits for what the client sees while the library subscriber is polled as well, as an application polls all of
     * its clients: it answers the server's heartbeats with its own however long the wait takes.
     */
    private static void awaitPollingBoth(
        final RollbookClient client, final RollbookClient subscriber, final BooleanSupplier condition, final String what)
    {
        client.await(() ->
        {
            subscriber.poll();
            return condition.getAsBoolean();
        }, 5_000, what);
    }

    private static void subscribe(final RawSession connection, final int market) throws IOException
    {
        new MarketDataSubscribeEncoder().wrapAndApplyHeader(connection.send, 0, connection.headerEncoder).market(market);
        connection.send(MarketDataSubscribeEncoder.BLOCK_LENGTH);
        connection.expect(MarketDataSnapshotDecoder.TEMPLATE_ID);
    }

    private static String awaitTermination(final RawSession connection)
    {
        try
        {
            return connection.awaitTermination();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "failed: " + ex;
        }
    }

    private static void assertSameBook(final BookSnapshot expected, final LocalOrderBook book)
    {
        assertFalse(book.isStale());
        assertEquals(expected.bidCount(), book.bidCount(), "bid levels");
        assertEquals(expected.askCount(), book.askCount(), "ask levels");
        for (int depth = 0; depth < expected.bidCount(); depth++)
        {
            assertEquals(expected.bidPrice(depth), book.bidPrice(depth), "bid price at depth " + depth);
            assertEquals(expected.bidSize(depth), book.bidSize(depth), "bid size at depth " + depth);
        }
        for (int depth = 0; depth < expected.askCount(); depth++)
        {
            assertEquals(expected.askPrice(depth), book.askPrice(depth), "ask price at depth " + depth);
            assertEquals(expected.askSize(depth), book.askSize(depth), "ask size at depth " + depth);
        }
    }
}
