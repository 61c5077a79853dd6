package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.rollbook.journal.BatchBuilder;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalAppender;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ViewBootstrap} reads the journal on a second thread and applies it on its own; the views it builds must be
 * those of reading and applying every batch in order on one thread, field for field (tables, rings, counters and the
 * retransmission index included). The journal is written by the matcher from a seeded random command stream, in
 * batches of one command (thousands of them, so the batches span many of the reader's hand-overs by count) and of
 * up to two thousand (so they span hand-overs by size).
 */
class ViewBootstrapEquivalenceTest
{
    private static final int ACCOUNTS = 50;
    private static final long MID_TICKS = 500_000;
    private static final int MARKET_CAPACITY = 8;
    private static final int ENDED_WINDOW = 1024;
    private static final MarketSpec[] MARKETS = {
        MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.1").lotSize("0.001").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build(),
        MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.01").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build()};

    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20261204L, 7L})
    void theViewsEqualThoseOfASingleThreadedRead(final long seed) throws ReflectiveOperationException
    {
        System.out.println("ViewBootstrapEquivalenceTest seed " + seed);
        final long commands = writeJournal(seed);

        final JournalIndex index = new JournalIndex(4, 64);
        final GatewayViews views = ViewBootstrap.load(dataDirectory, MARKET_CAPACITY, ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = readOnOneThread(expectedIndex);

        assertEquals(commands, expected.updater().lastSequence(), "seed " + seed);
        assertEquals(expected.updater().lastSequence(), views.updater().lastSequence(), "seed " + seed);
        assertTrue(expected.marketData().channelSeq(1) > 0 && expected.orders().size() > 0, "seed " + seed +
            ": the stream trades and rests orders");
        for (final Field field : GatewayViews.class.getDeclaredFields())
        {
            if (field.getType() != ViewUpdater.class)
            {
                field.setAccessible(true);
                assertSame(field.get(expected), field.get(views), "seed " + seed + ": " + field.getName(),
                    new IdentityHashMap<>());
            }
        }
        assertSame(expectedIndex, index, "seed " + seed + ": journal index", new IdentityHashMap<>());
    }

    /**
     * The read as it was before the reading thread: the cursor's batches, applied as they come.
     */
    private GatewayViews readOnOneThread(final JournalIndex index)
    {
        final GatewayViews views = new GatewayViews(MARKET_CAPACITY, ENDED_WINDOW, 0);
        final RecordView record = new RecordView();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind == JournalCursor.BATCH)
                {
                    cursor.document().records(record);
                    while (record.next())
                    {
                        views.updater().onReleased(record.sequence(), record.timestampNs(), record.source(),
                            record.buffer(), record.commandOffset(), record.commandLength(), record.eventsOffset(),
                            record.eventsLength());
                    }
                    index.onBatch(cursor.lastBatchNumber(), cursor.lastBatchIndex(), cursor.lastSequence());
                }
            }
        }
        return views;
    }

    /**
     * @return how many commands the journal holds
     */
    private long writeJournal(final long seed)
    {
        final Matcher.Context context = new Matcher.Context().marketCapacity(MARKET_CAPACITY)
            .accountCapacity(ACCOUNTS + 3).feeAccount(ACCOUNTS + 1).insuranceFundAccount(ACCOUNTS + 2)
            .orderCapacity(1 << 16).maxOpenOrdersPerAccount(500);
        final Matcher matcher = new Matcher(context);
        final Commands commands = new Commands(seed);
        final ExpandableArrayBuffer batch = new ExpandableArrayBuffer(1 << 22);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(512);
        final BatchBuilder builder = new BatchBuilder();
        final EventWriter events = new EventWriter();
        final SplittableRandom sizes = new SplittableRandom(seed);
        long sequence = 0;
        long batchNumber = 0;
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalAppender appender = new JournalAppender(queue, SyncPolicy.NONE))
        {
            appender.append(batch, 0, GenesisDocument.of(context).encode(batch, 0));
            for (int round = 0; round < 3; round++)
            {
                for (int single = 0; single < 5_000; single++)
                {
                    sequence = appendBatch(appender, matcher, builder, events, batch, command, commands, ++batchNumber,
                        sequence, 1);
                }
                for (int large = 0; large < 20; large++)
                {
                    sequence = appendBatch(appender, matcher, builder, events, batch, command, commands, ++batchNumber,
                        sequence, sizes.nextInt(1, 2_000));
                }
            }
        }
        return sequence;
    }

    private static long appendBatch(
        final JournalAppender appender,
        final Matcher matcher,
        final BatchBuilder builder,
        final EventWriter events,
        final ExpandableArrayBuffer batch,
        final ExpandableArrayBuffer command,
        final Commands commands,
        final long batchNumber,
        final long lastSequence,
        final int size)
    {
        long sequence = lastSequence;
        builder.begin(batch, batchNumber);
        for (int i = 0; i < size; i++)
        {
            sequence++;
            final int length = commands.encode(sequence - 1, command);
            final long timestampNs = 1_000_000_000L * sequence;
            final int eventsOffset = builder.beginRecord(sequence, timestampNs, 0, command, 0, length);
            events.wrap(batch, eventsOffset);
            matcher.execute(sequence, timestampNs, batch, eventsOffset - length, length, events);
            builder.endRecord(events.position(), events.eventCount());
        }
        appender.append(batch, 0, builder.finish());
        return sequence;
    }

    /**
     * Markets, deposits and oracle prices first, then limit orders around a mid price (GTC and IOC, so books build
     * and trade), cancels and amends of earlier client order ids, oracle moves and further deposits.
     */
    private static final class Commands
    {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final PlaceOrderEncoder place = new PlaceOrderEncoder();
        private final CancelOrderEncoder cancel = new CancelOrderEncoder();
        private final AmendOrderEncoder amend = new AmendOrderEncoder();
        private final DepositEncoder deposit = new DepositEncoder();
        private final OraclePriceEncoder oracle = new OraclePriceEncoder();
        private final SplittableRandom random;

        Commands(final long seed)
        {
            random = new SplittableRandom(seed);
        }

        int encode(final long n, final ExpandableArrayBuffer buffer)
        {
            if (n < MARKETS.length)
            {
                return MARKETS[(int)n].encode(buffer, 0);
            }
            if (n < MARKETS.length + ACCOUNTS)
            {
                return deposit((int)(n - MARKETS.length) + 1, buffer);
            }
            if (n < 2L * MARKETS.length + ACCOUNTS)
            {
                oracle.wrapAndApplyHeader(buffer, 0, header).market((int)(n - MARKETS.length - ACCOUNTS) + 1)
                    .priceTicks(MID_TICKS);
                return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
            }
            final int account = 1 + random.nextInt(ACCOUNTS);
            final int market = 1 + random.nextInt(MARKETS.length);
            final int roll = random.nextInt(100);
            if (roll < 55)
            {
                final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                final long reach = random.nextInt(-30, 8);
                place.wrapAndApplyHeader(buffer, 0, header)
                    .clientOrderId(n)
                    .priceTicks(side == Side.BUY ? MID_TICKS + reach : MID_TICKS - reach)
                    .sizeLots(random.nextInt(1, 50))
                    .account(account)
                    .market(market)
                    .side(side)
                    .orderType(OrderType.LIMIT)
                    .timeInForce(random.nextInt(6) == 0 ? TimeInForce.IOC : TimeInForce.GTC)
                    .marginMode(MarginMode.CROSS)
                    .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
                    .flags().clear();
                return MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH;
            }
            final long earlier = MARKETS.length + ACCOUNTS + random.nextLong(Math.max(1, n - MARKETS.length - ACCOUNTS));
            if (roll < 75)
            {
                cancel.wrapAndApplyHeader(buffer, 0, header)
                    .orderId(CancelOrderEncoder.orderIdNullValue())
                    .clientOrderId(earlier)
                    .account(account)
                    .market(CancelOrderEncoder.marketNullValue());
                return MessageHeaderEncoder.ENCODED_LENGTH + CancelOrderEncoder.BLOCK_LENGTH;
            }
            if (roll < 95)
            {
                amend.wrapAndApplyHeader(buffer, 0, header)
                    .orderId(AmendOrderEncoder.orderIdNullValue())
                    .clientOrderId(earlier)
                    .priceTicks(MID_TICKS + random.nextInt(-30, 30))
                    .sizeLots(random.nextInt(1, 60))
                    .account(account)
                    .market(market);
                return MessageHeaderEncoder.ENCODED_LENGTH + AmendOrderEncoder.BLOCK_LENGTH;
            }
            if (roll < 98)
            {
                oracle.wrapAndApplyHeader(buffer, 0, header).market(market)
                    .priceTicks(MID_TICKS + random.nextInt(-100, 100));
                return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
            }
            return deposit(account, buffer);
        }

        private int deposit(final int account, final ExpandableArrayBuffer buffer)
        {
            deposit.wrapAndApplyHeader(buffer, 0, header).account(account).amountMicros(1_000_000_000_000L);
            return MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        }
    }

    /**
     * Compares two object graphs field by field: the views' own classes and Agrona's collections through their
     * fields, the few JDK types the views hold through their contents.
     */
    private static void assertSame(
        final Object expected, final Object actual, final String path, final Map<Object, Object> compared)
        throws IllegalAccessException
    {
        if (expected == null || actual == null)
        {
            assertEquals(expected, actual, path);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), path);
        if (compared.put(expected, actual) != null)
        {
            return;
        }
        final Class<?> type = expected.getClass();
        if (type.isArray())
        {
            assertEquals(Array.getLength(expected), Array.getLength(actual), path + ".length");
            for (int i = 0; i < Array.getLength(expected); i++)
            {
                final Object e = Array.get(expected, i);
                final Object a = Array.get(actual, i);
                if (type.getComponentType().isPrimitive())
                {
                    if (!e.equals(a))
                    {
                        fail(path + "[" + i + "]: expected " + e + " but was " + a);
                    }
                }
                else
                {
                    assertSame(e, a, path + "[" + i + "]", compared);
                }
            }
            return;
        }
        if (type == Object.class)
        {
            return;
        }
        if (type.getName().startsWith("java."))
        {
            assertSameJdk(expected, actual, path, compared);
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()))
                {
                    continue;
                }
                field.setAccessible(true);
                final String at = path + "." + field.getName();
                if (field.getType().isPrimitive())
                {
                    assertEquals(field.get(expected), field.get(actual), at);
                }
                else
                {
                    assertSame(field.get(expected), field.get(actual), at, compared);
                }
            }
        }
    }

    private static void assertSameJdk(
        final Object expected, final Object actual, final String path, final Map<Object, Object> compared)
        throws IllegalAccessException
    {
        if (expected instanceof String || expected instanceof Number || expected instanceof Boolean ||
            expected instanceof Character)
        {
            assertEquals(expected, actual, path);
        }
        else if (expected instanceof AtomicLongArray e)
        {
            final AtomicLongArray a = (AtomicLongArray)actual;
            assertEquals(e.length(), a.length(), path + ".length");
            for (int i = 0; i < e.length(); i++)
            {
                assertEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
        }
        else if (expected instanceof AtomicReferenceArray<?> e)
        {
            final AtomicReferenceArray<?> a = (AtomicReferenceArray<?>)actual;
            assertEquals(e.length(), a.length(), path + ".length");
            for (int i = 0; i < e.length(); i++)
            {
                assertSame(e.get(i), a.get(i), path + "[" + i + "]", compared);
            }
        }
        else if (expected instanceof Collection<?> e)
        {
            assertSame(e.toArray(), ((Collection<?>)actual).toArray(), path, compared);
        }
        else
        {
            fail(path + ": no comparison for " + expected.getClass().getName());
        }
    }
}
