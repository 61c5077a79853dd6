package io.rollbook.gateway.view;

import java.nio.file.Path;
import java.util.SplittableRandom;

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
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.sequencer.ReleaseListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

/**
 * A journal the matcher wrote from a seeded random command stream, as the views' tests read it: markets, deposits
 * and oracle prices, then limit orders around a mid price (GTC and IOC, so books build and trade), cancels and
 * amends of earlier client order ids, oracle moves, funding ticks, further deposits, fee tier definitions and
 * account settings; in rounds of 5,000 batches of one command
 * and 20 of up to 2,000. The same seed gives the same batches, so a journal of fewer rounds is a prefix of one of
 * more.
 */
final class RandomJournal
{
    static final int ACCOUNTS = 50;
    static final long MID_TICKS = 500_000;
    static final int MARKET_CAPACITY = 8;
    static final int ENDED_WINDOW = 1024;
    static final MarketSpec[] MARKETS = {
        MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.1").lotSize("0.001").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build(),
        MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.01").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build()};

    private RandomJournal()
    {
    }

    /**
     * @return how many commands the journal holds
     */
    static long write(final Path dataDirectory, final long seed, final int rounds)
    {
        return write(dataDirectory, seed, rounds, ACCOUNTS + 3);
    }

    /**
     * @param accountCapacity the matcher's, which the genesis document states
     * @return how many commands the journal holds
     */
    static long write(final Path dataDirectory, final long seed, final int rounds, final int accountCapacity)
    {
        final Matcher.Context context = new Matcher.Context().marketCapacity(MARKET_CAPACITY)
            .accountCapacity(accountCapacity).feeAccount(ACCOUNTS + 1).insuranceFundAccount(ACCOUNTS + 2)
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
            for (int round = 0; round < rounds; round++)
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

    /**
     * The read as the release thread sees the batches: every command to the views' updater and to the listener, and
     * the end of every batch to the listener and the index.
     *
     * @param upToBatch the last batch read
     */
    static void release(
        final Path dataDirectory,
        final GatewayViews views,
        final JournalIndex index,
        final ReleaseListener listener,
        final long upToBatch)
    {
        final RecordView record = new RecordView();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END && cursor.lastBatchNumber() <= upToBatch)
            {
                if (kind == JournalCursor.BATCH)
                {
                    cursor.document().records(record);
                    while (record.next())
                    {
                        views.updater().onReleased(record.sequence(), record.timestampNs(), record.source(),
                            record.buffer(), record.commandOffset(), record.commandLength(), record.eventsOffset(),
                            record.eventsLength());
                        listener.onReleased(record.sequence(), record.timestampNs(), record.source(),
                            record.buffer(), record.commandOffset(), record.commandLength(), record.eventsOffset(),
                            record.eventsLength());
                    }
                    index.onBatch(cursor.lastBatchNumber(), cursor.lastBatchIndex(), cursor.lastSequence());
                    listener.onBatchReleased(cursor.lastBatchNumber(), cursor.document().firstSequence(),
                        cursor.lastSequence(), cursor.lastBatchIndex());
                }
            }
        }
    }

    /**
     * The read from genesis as it was before the reading thread: the cursor's batches, applied as they come.
     */
    static GatewayViews readOnOneThread(final Path dataDirectory, final JournalIndex index)
    {
        final GatewayViews views = new GatewayViews(MARKET_CAPACITY, ENDED_WINDOW, 0);
        release(dataDirectory, views, index, (sequence, timestampNs, source, buffer, commandOffset, commandLength,
            eventsOffset, eventsLength) -> { }, Long.MAX_VALUE);
        return views;
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
        private final FundingTickEncoder funding = new FundingTickEncoder();
        private final DefineFeeTierEncoder feeTier = new DefineFeeTierEncoder();
        private final ConfigureAccountEncoder configure = new ConfigureAccountEncoder();
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
            if (roll < 97)
            {
                oracle.wrapAndApplyHeader(buffer, 0, header).market(market)
                    .priceTicks(MID_TICKS + random.nextInt(-100, 100));
                return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
            }
            if (roll < 98)
            {
                funding.wrapAndApplyHeader(buffer, 0, header).market(market).ratePpb(random.nextInt(-50_000, 50_000));
                return MessageHeaderEncoder.ENCODED_LENGTH + FundingTickEncoder.BLOCK_LENGTH;
            }
            if (roll < 99)
            {
                return deposit(account, buffer);
            }
            if (random.nextBoolean())
            {
                feeTier.wrapAndApplyHeader(buffer, 0, header).tier(random.nextInt(1, 4))
                    .makerFeePpm(random.nextInt(-100, 300)).takerFeePpm(random.nextInt(0, 700));
                return MessageHeaderEncoder.ENCODED_LENGTH + DefineFeeTierEncoder.BLOCK_LENGTH;
            }
            configure.wrapAndApplyHeader(buffer, 0, header).account(account).feeTier(random.nextInt(0, 4))
                .selfTradePrevention(random.nextBoolean() ? SelfTradePrevention.EXPIRE_MAKER :
                    SelfTradePrevention.EXPIRE_BOTH);
            return MessageHeaderEncoder.ENCODED_LENGTH + ConfigureAccountEncoder.BLOCK_LENGTH;
        }

        private int deposit(final int account, final ExpandableArrayBuffer buffer)
        {
            deposit.wrapAndApplyHeader(buffer, 0, header).account(account).amountMicros(1_000_000_000_000L);
            return MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
        }
    }
}
