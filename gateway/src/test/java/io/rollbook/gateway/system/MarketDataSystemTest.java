package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static io.rollbook.gateway.system.TestService.ETH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.rollbook.client.ClientListener;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.RollbookClient;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.protocol.orderentry.AmendOrderEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * After seeded random trading from several sessions, the book every market data subscriber built (one from the
 * start, one that joined half way through) equals the matcher's book level for level.
 */
@Tag("system")
class MarketDataSystemTest
{
    private static final int TRADERS = 4;
    private static final int MESSAGES_PER_TRADER = 600;

    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void subscribersBooksEqualTheMatchersBookAfterRandomActivity(final long seed) throws Exception
    {
        final List<LocalOrderBook[]> books = new ArrayList<>();
        final Matcher matcher;
        try (TestService service = new TestService(dataDirectory).start())
        {
            final int[] accounts = new int[TRADERS];
            for (int i = 0; i < TRADERS; i++)
            {
                accounts[i] = TestService.FIRST_ACCOUNT + i;
            }
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, accounts);
            final RollbookClient early = service.connect(new ClientListener()
            {
            });
            early.subscribe(BTC);
            early.subscribe(ETH);
            early.flush();
            early.await(() -> !early.book(BTC).isStale() && !early.book(ETH).isStale(), 5_000, "snapshots");

            final RollbookClient[] traders = new RollbookClient[TRADERS];
            final Recorder[] recorders = new Recorder[TRADERS];
            for (int i = 0; i < TRADERS; i++)
            {
                recorders[i] = new Recorder();
                traders[i] = service.session(accounts[i], recorders[i]);
            }
            final SplittableRandom random = new SplittableRandom(seed);
            RollbookClient late = null;
            for (int n = 0; n < MESSAGES_PER_TRADER; n++)
            {
                for (int t = 0; t < TRADERS; t++)
                {
                    sendRandom(traders[t], random, n);
                }
                if (n % 20 == 19)
                {
                    for (final RollbookClient trader : traders)
                    {
                        trader.flush();
                        trader.poll();
                    }
                    early.poll();
                    if (late != null)
                    {
                        late.poll();
                    }
                }
                if (n == MESSAGES_PER_TRADER / 2)
                {
                    late = service.connect(new ClientListener()
                    {
                    });
                    late.subscribe(BTC);
                    late.subscribe(ETH);
                    late.flush();
                }
            }
            // A marker order per trader: once it rests, everything the trader sent before it was sequenced.
            for (int t = 0; t < TRADERS; t++)
            {
                traders[t].newLimitOrder(1_000_000 + t, BTC, Side.BUY, 1 + t, 1, TimeInForce.GTC);
                traders[t].flush();
            }
            for (int t = 0; t < TRADERS; t++)
            {
                final int marker = t;
                traders[t].await(() -> recorders[marker].lines.contains("rested " + (1_000_000 + marker) + " 1@" +
                    (1 + marker)), 10_000, "marker order " + marker);
            }
            final RollbookClient lateSubscriber = late;
            for (final int market : new int[] {BTC, ETH})
            {
                final long channelSeq = service.service().views().marketData().channelSeq(market);
                early.await(() -> early.book(market).channelSeq() == channelSeq, 10_000, "early subscriber up to date");
                lateSubscriber.await(() -> lateSubscriber.book(market).channelSeq() == channelSeq, 10_000,
                    "late subscriber up to date");
            }
            books.add(new LocalOrderBook[] {early.book(BTC), early.book(ETH)});
            books.add(new LocalOrderBook[] {late.book(BTC), late.book(ETH)});
            assertTrue(early.book(BTC).bidCount() + early.book(BTC).askCount() > 10, "a book with some depth");
            service.service().sequencer().close();
            matcher = service.service().sequencer().matcherAfterClose();
        }
        for (final LocalOrderBook[] pair : books)
        {
            assertSame(matcher, pair[0]);
            assertSame(matcher, pair[1]);
        }
    }

    private static void sendRandom(final RollbookClient trader, final SplittableRandom random, final int n)
    {
        final int market = random.nextInt(4) == 0 ? ETH : BTC;
        final long mid = market == BTC ? 500_000 : 30_000;
        final int kind = random.nextInt(10);
        final long clientOrderId = n;
        if (kind < 6)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long offset = random.nextInt(40) - 12;
            final long price = side == Side.BUY ? mid - offset : mid + offset;
            final TimeInForce tif = random.nextInt(5) == 0 ? TimeInForce.IOC : TimeInForce.GTC;
            trader.newLimitOrder(clientOrderId, market, side, price, 1 + random.nextInt(20), tif);
        }
        else if (kind < 8 && n > 0)
        {
            trader.cancelByClientOrderId(random.nextInt(n), AmendOrderEncoder.marketNullValue());
        }
        else if (n > 0)
        {
            final long target = random.nextInt(n);
            trader.amend(AmendOrderEncoder.orderIdNullValue(), target, market, mid + random.nextInt(40) - 20,
                1 + random.nextInt(20));
        }
    }

    private static void assertSame(final Matcher matcher, final LocalOrderBook book)
    {
        assertFalse(book.isStale());
        final io.rollbook.matcher.book.OrderBook expected = matcher.market(book.market()).book();
        compare(expected.bids(), book, 0);
        compare(expected.asks(), book, 1);
    }

    private static void compare(final BookSide side, final LocalOrderBook book, final int which)
    {
        final int count = which == 0 ? book.bidCount() : book.askCount();
        assertEquals(side.levelCount(), count, "levels on side " + which + " of market " + book.market());
        for (int depth = 0; depth < count; depth++)
        {
            final long price = which == 0 ? book.bidPrice(depth) : book.askPrice(depth);
            final long size = which == 0 ? book.bidSize(depth) : book.askSize(depth);
            assertEquals(side.levelAtDepth(depth).priceTicks(), price, "price at depth " + depth);
            assertEquals(side.levelAtDepth(depth).totalLots(), size, "size at depth " + depth);
        }
    }
}
