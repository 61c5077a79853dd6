package io.rollbook.bench.snapshot;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.HdrHistogram.Histogram;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The matcher thread's pause for a snapshot: the time {@link Matcher#writeSnapshot} takes to encode a large state
 * into the reused snapshot buffer, as the sequencer does at a batch boundary. The state is built by commands through
 * {@link Matcher#execute}: every account deposits and takes a position in one market by a one-lot trade, then
 * resting orders that cross nothing are placed in a seeded random order (random account, market, side and level),
 * so that a level's queue is scattered over the heap as in a book that grew over time.
 *
 * <p>Throughput: resting orders encoded per second, median encoding; latency: the time of each measured encoding.
 * The first encoding into a fresh buffer of the sequencer's initial size, which grows it, is reported apart.
 */
public final class SnapshotBenchmark
{
    private static final long MID_PRICE_TICKS = 1_000_000;
    private static final int LEVELS_PER_SIDE = 500;
    private static final long DEPOSIT_MICROS = 1_000_000_000_000L;
    private static final int INITIAL_BUFFER = 1 << 20;

    private final int markets;
    private final int accounts;
    private final int orders;
    private final int warmupRuns;
    private final int measuredRuns;
    private final long seed;
    private final PrintStream log;

    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer eventBuffer = new UnsafeBuffer(new byte[1 << 16]);
    private final EventWriter events = new EventWriter();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private Matcher matcher;
    private long sequence;
    private long clientOrderId;

    public SnapshotBenchmark(
        final int markets,
        final int accounts,
        final int orders,
        final int warmupRuns,
        final int measuredRuns,
        final long seed,
        final PrintStream log)
    {
        this.markets = markets;
        this.accounts = accounts;
        this.orders = orders;
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.seed = seed;
        this.log = log;
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        log.printf("snapshot: building %,d accounts with positions in %d markets and %,d resting orders (seed %d) ...%n",
            accounts, markets, orders, seed);
        final long buildStartNs = System.nanoTime();
        build();
        log.printf("snapshot: built in %.1f s: %,d live orders%n", (System.nanoTime() - buildStartNs) / 1e9,
            matcher.liveOrderCount());

        final ExpandableArrayBuffer fresh = new ExpandableArrayBuffer(INITIAL_BUFFER);
        final long firstStartNs = System.nanoTime();
        final int length = matcher.writeSnapshot(fresh, 0);
        log.printf("snapshot: %,d bytes; first encoding into a fresh %,d-byte buffer: %.1f ms%n", length,
            INITIAL_BUFFER, (System.nanoTime() - firstStartNs) / 1e6);

        final ExpandableArrayBuffer buffer = fresh;
        for (int i = 0; i < warmupRuns; i++)
        {
            final long startNs = System.nanoTime();
            matcher.writeSnapshot(buffer, 0);
            log.printf("snapshot: warm-up %d: %.1f ms%n", i + 1, (System.nanoTime() - startNs) / 1e6);
        }
        final Histogram pause = BenchmarkReport.newLatencyHistogram();
        final long[] runs = new long[measuredRuns];
        for (int i = 0; i < measuredRuns; i++)
        {
            final long startNs = System.nanoTime();
            matcher.writeSnapshot(buffer, 0);
            runs[i] = System.nanoTime() - startNs;
            pause.recordValue(runs[i]);
            log.printf("snapshot: run %d: %.1f ms%n", i + 1, runs[i] / 1e6);
        }
        Arrays.sort(runs);
        final long medianNs = runs[runs.length / 2];
        log.printf("snapshot: encoding pause min %.1f ms, median %.1f ms, max %.1f ms (%.2f ns a byte at the median)%n",
            runs[0] / 1e6, medianNs / 1e6, runs[runs.length - 1] / 1e6, (double)medianNs / length);

        return BenchmarkReport.resultLine("snapshot", matcher.liveOrderCount() * 1e9 / medianNs, pause);
    }

    private void build()
    {
        matcher = new Matcher(new Matcher.Context()
            .marketCapacity(markets + 1)
            .accountCapacity(accounts + 3)
            .feeAccount(accounts + 1)
            .insuranceFundAccount(accounts + 2)
            .orderCapacity(Math.max(orders, 1) + accounts)
            .maxOpenOrdersPerAccount(1_000));
        for (int market = 1; market <= markets; market++)
        {
            execute(market(market).encode(command, 0));
            oracle.wrapAndApplyHeader(command, 0, header).market(market).priceTicks(MID_PRICE_TICKS);
            execute(MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH);
        }
        for (int account = 1; account <= accounts; account++)
        {
            deposit.wrapAndApplyHeader(command, 0, header).account(account).amountMicros(DEPOSIT_MICROS);
            execute(MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH);
        }
        for (int account = 1; account + 1 <= accounts; account += 2)
        {
            final int market = 1 + (account / 2) % markets;
            place(account, market, Side.SELL, MID_PRICE_TICKS, TimeInForce.GTC, MarginMode.CROSS);
            place(account + 1, market, Side.BUY, MID_PRICE_TICKS, TimeInForce.IOC, marginMode(account + 1, market));
        }
        final int before = matcher.liveOrderCount();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < orders; i++)
        {
            final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            final long away = random.nextInt(1, LEVELS_PER_SIDE + 1);
            final int account = 1 + random.nextInt(accounts);
            final int market = 1 + random.nextInt(markets);
            place(account, market, side, side == Side.BUY ? MID_PRICE_TICKS - away : MID_PRICE_TICKS + away,
                TimeInForce.GTC, marginMode(account, market));
        }
        if (matcher.liveOrderCount() != before + orders)
        {
            throw new IllegalStateException((matcher.liveOrderCount() - before) + " of the " + orders +
                " orders rest");
        }
    }

    /**
     * @return the margin mode of the account's slot in the market: every fourth account trades its first lot
     *         isolated, so its later orders in that market are isolated too
     */
    private MarginMode marginMode(final int account, final int market)
    {
        final int pairSeller = account - 1;
        return account % 2 == 0 && pairSeller % 4 == 1 && market == 1 + (pairSeller / 2) % markets ?
            MarginMode.ISOLATED : MarginMode.CROSS;
    }

    private static MarketSpec market(final int id)
    {
        return MarketSpec.builder()
            .id(id)
            .symbol("SNAP" + id + "-USD")
            .tickSize("0.01")
            .lotSize("0.001")
            .minSizeLots(1)
            .maxOrderSizeLots(1_000_000)
            .maxPositionLots(100_000_000)
            .marketOrderBandPpm(50_000)
            .build();
    }

    private void place(
        final int account,
        final int market,
        final Side side,
        final long priceTicks,
        final TimeInForce timeInForce,
        final MarginMode marginMode)
    {
        place.wrapAndApplyHeader(command, 0, header)
            .clientOrderId(++clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(1 + clientOrderId % 19)
            .account(account)
            .market(market)
            .side(side)
            .orderType(OrderType.LIMIT)
            .timeInForce(timeInForce)
            .marginMode(marginMode)
            .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
            .flags().clear();
        execute(MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH);
    }

    private void execute(final int length)
    {
        events.wrap(eventBuffer, 0);
        matcher.execute(++sequence, sequence, command, 0, length, events);
    }
}
