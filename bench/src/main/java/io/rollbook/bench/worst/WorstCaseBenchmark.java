package io.rollbook.bench.worst;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.TradeDecoder;
import org.HdrHistogram.Histogram;

/**
 * The matcher's worst case per command on adversarial but legal input: books deep in price levels, one long queue,
 * mass cancels, sweeps, self-trade prevention against many own orders, fill-or-kill walks, liquidation cascades and
 * funding over many positions, all within the service's default limits (1,000 open orders per account, 1,000,000
 * resting orders). Each probe command is timed alone with {@link System#nanoTime}, after warm-up cycles of the same
 * probe, and followed by untimed commands that restore the state, so every sample meets the same book. One line per
 * probe ({@code WORST <scenario> <probe> samples=.. p50_ns=.. p999_ns=.. max_ns=.. events=..}), then a RESULT line
 * over all probes.
 *
 * <p>Single-threaded; a run owns its matchers.
 */
public final class WorstCaseBenchmark
{
    static final int MARKET = 1;
    static final int SECOND_MARKET = 2;
    static final int FEE_ACCOUNT = 1;
    static final int INSURANCE_ACCOUNT = 2;
    static final int PROBER = 3;
    static final int TAKER = 4;
    static final int FIRST_MAKER = 10;
    /** The service's default {@code matcher.maxOpenOrdersPerAccount}: deep books take many accounts. */
    static final int ORDERS_PER_ACCOUNT = 1_000;
    static final long ORACLE_TICKS = 100_000;
    static final long RICH_MICROS = 10_000_000_000_000L;
    private static final long FLATTEN_CLIENT_ORDER_ID = 9_000_000;

    private final int samples;
    private final String only;
    private final PrintStream log;
    private final List<String> lines = new ArrayList<>();
    private final Histogram all = BenchmarkReport.newLatencyHistogram();
    private long probeNanos;

    /**
     * @param samples timed samples per cheap probe; the probes that cost thousands of commands to restore take a
     *                tenth of it, cascades a fixed few
     * @param only    run only the scenarios whose name starts with this, or null for all
     */
    public WorstCaseBenchmark(final int samples, final String only, final PrintStream log)
    {
        this.samples = samples;
        this.only = only;
        this.log = log;
    }

    /**
     * Runs the scenarios and returns the probe lines followed by the RESULT line.
     */
    public List<String> run()
    {
        deepBook(10_000);
        deepBook(100_000);
        longQueue(100_000);
        massCancel(100_000);
        sweep(5_000);
        limitedSweep(5_000, 1_000);
        selfTrade();
        fillOrKill(100_000, 100);
        fillOrKill(10_000, 10_000);
        cascade(1_000);
        cascade(10_000);
        funding(100_000, false);
        funding(10_000, true);
        lines.add(BenchmarkReport.resultLine("matcher-worst",
            all.getTotalCount() * 1e9 / Math.max(1, probeNanos), all));
        return lines;
    }

    private boolean skip(final String scenario)
    {
        return only != null && !scenario.startsWith(only);
    }

    static Matcher.Context context(final int accounts)
    {
        return new Matcher.Context()
            .marketCapacity(4)
            .accountCapacity(FIRST_MAKER + accounts + 1)
            .feeAccount(FEE_ACCOUNT)
            .insuranceFundAccount(INSURANCE_ACCOUNT)
            .orderCapacity(1_000_000)
            .maxOpenOrdersPerAccount(ORDERS_PER_ACCOUNT);
    }

    static MarketSpec market(final int id)
    {
        return MarketSpec.builder()
            .id(id)
            .symbol(id == MARKET ? "BENCH-USD" : "SECOND-USD")
            .tickSize("0.01")
            .lotSize("0.001")
            .minSizeLots(1)
            .maxOrderSizeLots(1_000_000)
            .maxPositionLots(100_000_000)
            .marketOrderBandPpm(50_000)
            .build();
    }

    /**
     * A matcher with both markets at the oracle price, the insurance fund, prober and taker funded, and the
     * accounts {@code FIRST_MAKER ..} up to {@code makers} funded with {@code makerMicros}.
     */
    private static EngineDriver driver(final int makers, final long makerMicros)
    {
        return driver(makers, makerMicros, 0);
    }

    private static EngineDriver driver(final int makers, final long makerMicros, final int maxMakersPerTaker)
    {
        final EngineDriver driver = new EngineDriver(context(makers).maxMakersPerTaker(maxMakersPerTaker));
        driver.defineMarket(market(MARKET));
        driver.defineMarket(market(SECOND_MARKET));
        driver.oracle(MARKET, ORACLE_TICKS);
        driver.oracle(SECOND_MARKET, ORACLE_TICKS);
        driver.deposit(INSURANCE_ACCOUNT, RICH_MICROS);
        driver.deposit(PROBER, RICH_MICROS);
        driver.deposit(TAKER, RICH_MICROS);
        for (int i = 0; i < makers; i++)
        {
            driver.deposit(FIRST_MAKER + i, makerMicros);
        }
        return driver;
    }

    private static int makerOf(final int order)
    {
        return FIRST_MAKER + order / ORDERS_PER_ACCOUNT;
    }

    private static int makersFor(final int orders)
    {
        return (orders + ORDERS_PER_ACCOUNT - 1) / ORDERS_PER_ACCOUNT;
    }

    /**
     * Asks of one lot each at {@code ORACLE + 1 + 2 i}: one price level per order, with a free price between any
     * two, so a probe can open a level anywhere.
     */
    private static void restSpacedAsks(final EngineDriver driver, final int levels)
    {
        for (int i = 0; i < levels; i++)
        {
            driver.limit(makerOf(i), MARKET, i, Side.SELL, ORACLE_TICKS + 1 + 2L * i, 1, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            driver.expectAccepted("resting ask " + i);
        }
    }

    private void deepBook(final int levels)
    {
        final String scenario = "deep-" + levels / 1000 + "k";
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(makersFor(levels), RICH_MICROS);
        restSpacedAsks(driver, levels);
        final long far = ORACLE_TICKS + 2L * levels + 2;
        final long middle = ORACLE_TICKS + 2L * (levels / 2);
        final long near = ORACLE_TICKS + 2;
        final Probe placeFar = probe(scenario, "place-far-end");
        final Probe cancelFar = probe(scenario, "cancel-far-end");
        final Probe placeMiddle = probe(scenario, "place-middle");
        final Probe cancelMiddle = probe(scenario, "cancel-middle");
        final Probe placeNear = probe(scenario, "place-near-best");
        final Probe cancelNear = probe(scenario, "cancel-near-best");
        final Probe amendFarToMiddle = probe(scenario, "amend-far-to-middle");
        final Probe amendMiddleToFar = probe(scenario, "amend-middle-to-far");
        final Probe amendKeep = probe(scenario, "amend-keep-priority");
        for (int i = -warmup(samples); i < samples; i++)
        {
            placeFar.record(i, driver, driver.limit(PROBER, MARKET, 1, Side.SELL, far, 2, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER));
            amendKeep.record(i, driver, driver.amend(PROBER, MARKET, 1, far, 1));
            amendFarToMiddle.record(i, driver, driver.amend(PROBER, MARKET, 1, middle, 1));
            amendMiddleToFar.record(i, driver, driver.amend(PROBER, MARKET, 1, far, 1));
            cancelFar.record(i, driver, driver.cancel(PROBER, MARKET, 1));
            placeMiddle.record(i, driver, driver.limit(PROBER, MARKET, 1, Side.SELL, middle, 1, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER));
            cancelMiddle.record(i, driver, driver.cancel(PROBER, MARKET, 1));
            placeNear.record(i, driver, driver.limit(PROBER, MARKET, 1, Side.SELL, near, 1, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER));
            cancelNear.record(i, driver, driver.cancel(PROBER, MARKET, 1));
        }
        report(placeFar, cancelFar, placeMiddle, cancelMiddle, placeNear, cancelNear, amendFarToMiddle,
            amendMiddleToFar, amendKeep);
    }

    /**
     * One price level holding {@code orders} orders of {@code orders / 1,000} accounts: cancel the last in the queue
     * and put it back at the back, amend it in place and to the back again.
     */
    private void longQueue(final int orders)
    {
        final String scenario = "queue-" + orders / 1000 + "k";
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(makersFor(orders), RICH_MICROS);
        final long price = ORACLE_TICKS + 10;
        for (int i = 0; i < orders; i++)
        {
            driver.limit(makerOf(i), MARKET, i, Side.SELL, price, 2, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
            driver.expectAccepted("queued ask " + i);
        }
        final int last = orders - 1;
        final int lastMaker = makerOf(last);
        final Probe cancelLast = probe(scenario, "cancel-last");
        final Probe placeBack = probe(scenario, "place-at-back");
        final Probe amendShrink = probe(scenario, "amend-shrink-in-place");
        final Probe amendGrow = probe(scenario, "amend-grow-to-back");
        for (int i = -warmup(samples); i < samples; i++)
        {
            cancelLast.record(i, driver, driver.cancel(lastMaker, MARKET, last));
            placeBack.record(i, driver, driver.limit(lastMaker, MARKET, last, Side.SELL, price, 2, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER));
            amendShrink.record(i, driver, driver.amend(lastMaker, MARKET, last, price, 1));
            amendGrow.record(i, driver, driver.amend(lastMaker, MARKET, last, price, 2));
        }
        report(cancelLast, placeBack, amendShrink, amendGrow);
    }

    /**
     * An account at its limit of open orders, each on a level of its own scattered through a book of {@code levels}
     * levels, canceled all at once.
     */
    private void massCancel(final int levels)
    {
        final String scenario = "mass-cancel-" + levels / 1000 + "k";
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(makersFor(levels), RICH_MICROS);
        restSpacedAsks(driver, levels);
        final Probe cancelAll = probe(scenario, "cancel-all-1000-levels");
        final int cycles = Math.max(5, samples / 10);
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            for (int k = 0; k < ORDERS_PER_ACCOUNT; k++)
            {
                driver.limit(PROBER, MARKET, k, Side.SELL, ORACLE_TICKS + 2L * ((long)k * levels / ORDERS_PER_ACCOUNT) + 2,
                    1, TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
                driver.expectAccepted("prober ask " + k);
            }
            cancelAll.record(i, driver, driver.massCancel(PROBER));
        }
        report(cancelAll);
    }

    /**
     * A market buy through {@code levels} levels of one lot each, all inside the market order band.
     */
    private void sweep(final int levels)
    {
        final String scenario = "sweep-" + levels;
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(makersFor(levels), RICH_MICROS);
        final Probe sweep = probe(scenario, "market-buy-" + levels + "-levels");
        final int cycles = Math.max(5, samples / 10);
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            for (int k = 0; k < levels; k++)
            {
                driver.limit(makerOf(k), MARKET, k, Side.SELL, ORACLE_TICKS + 1 + k, 1, TimeInForce.GTC,
                    SelfTradePrevention.EXPIRE_TAKER);
                driver.expectAccepted("ask " + k);
            }
            sweep.record(i, driver, driver.place(TAKER, MARKET, i + 1_000_000L, Side.BUY, OrderType.MARKET, 0, levels,
                TimeInForce.IOC, SelfTradePrevention.EXPIRE_TAKER));
            expectCount(driver, TradeDecoder.TEMPLATE_ID, levels, "sweep trades");
            // Both sides flat again, so every cycle meets the same margins.
            driver.limit(TAKER, MARKET, 0, Side.SELL, ORACLE_TICKS, levels, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            for (int m = 0; m < makersFor(levels); m++)
            {
                final long lots = Math.min(ORDERS_PER_ACCOUNT, levels - (long)m * ORDERS_PER_ACCOUNT);
                driver.limit(FIRST_MAKER + m, MARKET, FLATTEN_CLIENT_ORDER_ID, Side.BUY, ORACLE_TICKS, lots,
                    TimeInForce.IOC, SelfTradePrevention.EXPIRE_TAKER);
                expectCount(driver, TradeDecoder.TEMPLATE_ID, 1, "flattening buy");
            }
        }
        report(sweep);
    }

    /**
     * The sweep above with {@code matcher.maxMakersPerTaker} at {@code limit} (the service's default is 1,000): the
     * market buy for the whole book stops after {@code limit} trades and its remainder is canceled. The asks it took
     * are put back at their prices and both sides flattened, so every sample meets the same book.
     */
    private void limitedSweep(final int levels, final int limit)
    {
        final String scenario = "sweep-" + levels + "-limit-" + limit;
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(makersFor(levels), RICH_MICROS, limit);
        for (int k = 0; k < levels; k++)
        {
            driver.limit(makerOf(k), MARKET, k, Side.SELL, ORACLE_TICKS + 1 + k, 1, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            driver.expectAccepted("ask " + k);
        }
        final Probe sweep = probe(scenario, "market-buy-" + levels + "-levels");
        final int cycles = Math.max(5, samples / 10);
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            sweep.record(i, driver, driver.place(TAKER, MARKET, i + 1_000_000L, Side.BUY, OrderType.MARKET, 0, levels,
                TimeInForce.IOC, SelfTradePrevention.EXPIRE_TAKER));
            expectCount(driver, TradeDecoder.TEMPLATE_ID, limit, "trades of the limited sweep");
            for (int k = 0; k < limit; k++)
            {
                driver.limit(makerOf(k), MARKET, k, Side.SELL, ORACLE_TICKS + 1 + k, 1, TimeInForce.GTC,
                    SelfTradePrevention.EXPIRE_TAKER);
                driver.expectAccepted("ask " + k + " again");
            }
            driver.limit(TAKER, MARKET, 0, Side.SELL, ORACLE_TICKS, limit, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            for (int m = 0; m < makersFor(limit); m++)
            {
                final long lots = Math.min(ORDERS_PER_ACCOUNT, limit - (long)m * ORDERS_PER_ACCOUNT);
                driver.limit(FIRST_MAKER + m, MARKET, FLATTEN_CLIENT_ORDER_ID, Side.BUY, ORACLE_TICKS, lots,
                    TimeInForce.IOC, SelfTradePrevention.EXPIRE_TAKER);
                expectCount(driver, TradeDecoder.TEMPLATE_ID, 1, "flattening buy");
            }
        }
        report(sweep);
    }

    /**
     * A taker meeting 1,000 resting orders of its own account at the top of the book (the limit of open orders),
     * under each self-trade prevention mode.
     */
    private void selfTrade()
    {
        final String scenario = "self-trade";
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(1, RICH_MICROS);
        final long limit = ORACLE_TICKS + 2 * ORDERS_PER_ACCOUNT + 1;
        // Less than the fill-or-kill probe asks for, so that probe walks every order and is refused.
        driver.limit(FIRST_MAKER, MARKET, 0, Side.SELL, limit, 999_999, TimeInForce.GTC,
            SelfTradePrevention.EXPIRE_TAKER);
        driver.expectAccepted("other account's ask");
        final Probe expireTaker = probe(scenario, "expire-taker");
        final Probe fokExpireMaker = probe(scenario, "fok-expire-maker-unfillable");
        final Probe expireMaker = probe(scenario, "expire-maker-1000-own");
        final int cycles = Math.max(5, samples / 10);
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            for (int k = 0; k < ORDERS_PER_ACCOUNT - 1; k++)
            {
                driver.limit(PROBER, MARKET, k, Side.SELL, ORACLE_TICKS + 1 + 2L * k, 1, TimeInForce.GTC,
                    SelfTradePrevention.EXPIRE_TAKER);
                driver.expectAccepted("own ask " + k);
            }
            expireTaker.record(i, driver, driver.limit(PROBER, MARKET, 1_000_001, Side.BUY, limit, 1, TimeInForce.IOC,
                SelfTradePrevention.EXPIRE_TAKER));
            fokExpireMaker.record(i, driver, driver.limit(PROBER, MARKET, 1_000_001, Side.BUY, limit, 1_000_000,
                TimeInForce.FOK, SelfTradePrevention.EXPIRE_MAKER));
            driver.expectRejected("unfillable fill-or-kill");
            expireMaker.record(i, driver, driver.limit(PROBER, MARKET, 1_000_001, Side.BUY, limit - 1, 1,
                TimeInForce.IOC, SelfTradePrevention.EXPIRE_MAKER));
        }
        report(expireTaker, fokExpireMaker, expireMaker);
    }

    /**
     * A fill-or-kill buy for more than the book holds, at a limit that crosses all of it: the engine must walk every
     * order to find what it could fill, then refuses it. {@code orders} orders of {@code ordersPerAccount} each.
     */
    private void fillOrKill(final int orders, final int makers)
    {
        final String scenario = "fok-" + orders / 1000 + "k-orders-" + makers + "-accounts";
        if (skip(scenario))
        {
            return;
        }
        final int perMaker = orders / makers;
        final EngineDriver driver = driver(makers, RICH_MICROS);
        for (int i = 0; i < orders; i++)
        {
            driver.limit(FIRST_MAKER + i / perMaker, MARKET, i, Side.SELL, ORACLE_TICKS + 1 + i % 1000, 1,
                TimeInForce.GTC, SelfTradePrevention.EXPIRE_TAKER);
            driver.expectAccepted("ask " + i);
        }
        final Probe fok = probe(scenario, "fok-unfillable");
        final int cycles = Math.max(5, samples / 10);
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            fok.record(i, driver, driver.limit(TAKER, MARKET, 1, Side.BUY, ORACLE_TICKS + 1000, orders + 1,
                TimeInForce.FOK, SelfTradePrevention.EXPIRE_TAKER));
            driver.expectRejected("unfillable fill-or-kill");
        }
        report(fok);
    }

    /**
     * {@code accounts} accounts each long 100 lots on 5.5% margin; one oracle update 4% lower puts all of them below
     * maintenance at once, and each is closed against resting bids.
     */
    private void cascade(final int accounts)
    {
        final String scenario = "cascade-" + accounts;
        if (skip(scenario))
        {
            return;
        }
        final Probe cascade = probe(scenario, "oracle-liquidates-" + accounts);
        final int runs = 5;
        for (int run = -1; run < runs; run++)
        {
            final EngineDriver driver = driver(accounts, 5_500_000);
            final long lots = 100;
            driver.limit(PROBER, MARKET, 0, Side.SELL, ORACLE_TICKS, lots * accounts, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            for (int a = 0; a < accounts; a++)
            {
                driver.limit(FIRST_MAKER + a, MARKET, 0, Side.BUY, ORACLE_TICKS, lots, TimeInForce.IOC,
                    SelfTradePrevention.EXPIRE_TAKER);
                expectCount(driver, TradeDecoder.TEMPLATE_ID, 1, "victim's buy");
            }
            for (long left = lots * accounts, k = 0; left > 0; k++)
            {
                final long size = Math.min(left, 1_000_000);
                driver.limit(TAKER, MARKET, k, Side.BUY, ORACLE_TICKS * 95 / 100, size, TimeInForce.GTC,
                    SelfTradePrevention.EXPIRE_TAKER);
                driver.expectAccepted("liquidity bid");
                left -= size;
            }
            cascade.record(run, driver, driver.oracle(MARKET, ORACLE_TICKS * 96 / 100));
            expectCount(driver, LiquidationStartedDecoder.TEMPLATE_ID, accounts, "liquidations");
        }
        report(cascade);
    }

    /**
     * Funding ticks (and oracle updates) over {@code accounts} open positions: single-market positions sit in the
     * liquidation heaps; accounts with positions in two markets are re-checked exactly at every move.
     */
    private void funding(final int accounts, final boolean twoMarkets)
    {
        final String scenario = "funding-" + accounts / 1000 + "k-" + (twoMarkets ? "two-markets" : "one-market");
        if (skip(scenario))
        {
            return;
        }
        final EngineDriver driver = driver(accounts, 100_000_000);
        final int markets = twoMarkets ? 2 : 1;
        for (int m = MARKET; m < MARKET + markets; m++)
        {
            driver.limit(PROBER, m, 0, Side.SELL, ORACLE_TICKS, accounts, TimeInForce.GTC,
                SelfTradePrevention.EXPIRE_TAKER);
            for (int a = 0; a < accounts; a++)
            {
                driver.limit(FIRST_MAKER + a, m, 0, Side.BUY, ORACLE_TICKS, 1, TimeInForce.IOC,
                    SelfTradePrevention.EXPIRE_TAKER);
                expectCount(driver, TradeDecoder.TEMPLATE_ID, 1, "position");
            }
        }
        final Probe funding = probe(scenario, "funding-tick");
        final Probe oracle = probe(scenario, "oracle-update");
        final int cycles = twoMarkets ? Math.max(5, samples / 10) : samples;
        for (int i = -warmup(cycles); i < cycles; i++)
        {
            funding.record(i, driver, driver.funding(MARKET, i % 2 == 0 ? 1 : -1));
            oracle.record(i, driver, driver.oracle(MARKET, ORACLE_TICKS + (i % 2 == 0 ? 1 : 0)));
        }
        report(funding, oracle);
    }

    private static void expectCount(final EngineDriver driver, final int templateId, final int expected, final String what)
    {
        final int found = driver.count(templateId);
        if (found != expected)
        {
            throw new IllegalStateException(what + ": " + found + " events of template " + templateId + ", expected " +
                expected);
        }
    }

    private static int warmup(final int cycles)
    {
        return Math.max(2, cycles / 5);
    }

    private Probe probe(final String scenario, final String name)
    {
        return new Probe(scenario, name);
    }

    private void report(final Probe... probes)
    {
        for (final Probe probe : probes)
        {
            final String line = probe.line();
            log.println(line);
            lines.add(line);
            all.add(probe.histogram);
            probeNanos += probe.totalNanos;
        }
    }

    /**
     * The samples of one kind of probe command; negative sample numbers are warm-up and not recorded.
     */
    private static final class Probe
    {
        private final String scenario;
        private final String name;
        private final Histogram histogram = BenchmarkReport.newLatencyHistogram();
        private long totalNanos;
        private int maxEvents;

        Probe(final String scenario, final String name)
        {
            this.scenario = scenario;
            this.name = name;
        }

        void record(final int sample, final EngineDriver driver, final long nanos)
        {
            if (sample >= 0)
            {
                histogram.recordValue(nanos);
                totalNanos += nanos;
                maxEvents = Math.max(maxEvents, driver.eventCount());
            }
        }

        String line()
        {
            return "WORST " + scenario + " " + name +
                " samples=" + histogram.getTotalCount() +
                " p50_ns=" + histogram.getValueAtPercentile(50) +
                " p999_ns=" + histogram.getValueAtPercentile(99.9) +
                " max_ns=" + histogram.getMaxValue() +
                " events=" + maxEvents;
        }
    }
}
