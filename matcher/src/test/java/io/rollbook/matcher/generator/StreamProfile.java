package io.rollbook.matcher.generator;

import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.MarketSpec;

/**
 * The world a generated command stream lives in: its fee tiers, its markets (with a starting mid price, and whether
 * the oracle knows them from the start or a market is only defined part-way through), which accounts trade, the
 * matcher capacities every replay of the stream must use, and the deposit each account starts with.
 *
 * <p>The standard profile keeps the capacities small so that the limits (open orders per account, book
 * capacity, account range, market capacity) are hit by random streams, and the accounts few so that orders meet
 * their own account's orders often and self-trade prevention runs. Its deposits are so large, and its position
 * limits so wide, that margin never binds: the streams exercise the order book, fees and the cash fills move,
 * and stay clear of margin rejections and liquidations. The trading accounts are not the fee account (1) or
 * the insurance fund (2). Immutable.
 */
public final class StreamProfile
{
    private final List<FeeTierSpec> feeTiers;
    private final List<MarketSetup> markets;
    private final int firstAccount;
    private final int accounts;
    private final long depositMicros;
    private final int marketCapacity;
    private final int accountCapacity;
    private final int orderCapacity;
    private final int maxOpenOrdersPerAccount;
    private final int maxMakersPerTaker;

    public StreamProfile(
        final List<FeeTierSpec> feeTiers,
        final List<MarketSetup> markets,
        final int firstAccount,
        final int accounts,
        final long depositMicros,
        final int marketCapacity,
        final int accountCapacity,
        final int orderCapacity,
        final int maxOpenOrdersPerAccount,
        final int maxMakersPerTaker)
    {
        this.feeTiers = List.copyOf(feeTiers);
        this.markets = List.copyOf(markets);
        this.firstAccount = firstAccount;
        this.accounts = accounts;
        this.depositMicros = depositMicros;
        this.marketCapacity = marketCapacity;
        this.accountCapacity = accountCapacity;
        this.orderCapacity = orderCapacity;
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
        this.maxMakersPerTaker = maxMakersPerTaker;
        if (accounts < 2 || firstAccount < 3 || firstAccount + accounts > accountCapacity)
        {
            throw new IllegalArgumentException("need at least 2 trading accounts, after the fee account and the " +
                "insurance fund and below the account capacity");
        }
    }

    /**
     * Three fee tiers (one with a maker rebate, one free); four markets with different tick and lot sizes,
     * minimums, protection bands (one narrow enough that market orders stop at it often) and margin tiering (with
     * baselines small enough that positions pass them); the
     * third has no oracle price until the stream sends one, the fourth is defined only part-way through. Six
     * accounts (3 to 8) with 100 billion USDC each, up to 64 open orders each, 200 in all; an incoming order meets at
     * most 8 resting orders, so that sweeps reach the makers limit.
     */
    public static StreamProfile standard()
    {
        return new StreamProfile(
            List.of(new FeeTierSpec(0, 200, 500), new FeeTierSpec(1, -100, 400), new FeeTierSpec(2, 0, 0)),
            List.of(
                new MarketSetup(MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.1").lotSize("0.0001")
                    .minSizeLots(10).maxOrderSizeLots(1_000_000).maxPositionLots(100_000_000)
                    .marketOrderBandPpm(50_000).margin(50_000, 30_000).tiering(2_000, 500, 10_000).build(),
                    500_000, true, false),
                new MarketSetup(MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.001")
                    .minSizeLots(1).maxOrderSizeLots(5_000).maxPositionLots(1_000_000)
                    .marketOrderBandPpm(120).margin(50_000, 30_000).tiering(100, 40, 10_000).build(),
                    100_000, true, false),
                new MarketSetup(MarketSpec.builder().id(3).symbol("SOL-USD").tickSize("0.001").lotSize("0.01")
                    .minSizeLots(5).maxOrderSizeLots(20_000).maxPositionLots(10_000_000)
                    .marketOrderBandPpm(80_000).margin(100_000, 50_000).tiering(500, 100, 20_000).build(),
                    150_000, false, false),
                new MarketSetup(MarketSpec.builder().id(4).symbol("DOGE-USD").tickSize("0.00001").lotSize("1")
                    .minSizeLots(100).maxOrderSizeLots(10_000_000).maxPositionLots(1_000_000_000)
                    .marketOrderBandPpm(20_000).margin(200_000, 100_000).tiering(0, 1, 0).build(),
                    12_345, true, true)),
            3,
            6,
            100_000_000_000_000_000L,
            8,
            16,
            200,
            64,
            8);
    }

    public List<FeeTierSpec> feeTiers()
    {
        return feeTiers;
    }

    public List<MarketSetup> markets()
    {
        return markets;
    }

    /**
     * @return every market's spec, the late one included
     */
    public List<MarketSpec> marketSpecs()
    {
        return markets.stream().map(MarketSetup::spec).toList();
    }

    /**
     * @return the lowest id of the trading accounts
     */
    public int firstAccount()
    {
        return firstAccount;
    }

    /**
     * @return how many accounts trade: ids {@link #firstAccount()} on
     */
    public int accounts()
    {
        return accounts;
    }

    public long depositMicros()
    {
        return depositMicros;
    }

    /**
     * @return a fresh matcher context with this profile's capacities, which every replay of a stream must use
     */
    public Matcher.Context context()
    {
        return new Matcher.Context()
            .marketCapacity(marketCapacity)
            .accountCapacity(accountCapacity)
            .orderCapacity(orderCapacity)
            .maxOpenOrdersPerAccount(maxOpenOrdersPerAccount)
            .maxMakersPerTaker(maxMakersPerTaker);
    }

    /**
     * One market of a profile.
     *
     * @param spec          its definition
     * @param midPriceTicks where prices start
     * @param oracleAtStart whether the setup sends its oracle price
     * @param late          whether it is defined only part-way through the stream
     */
    public record MarketSetup(MarketSpec spec, long midPriceTicks, boolean oracleAtStart, boolean late)
    {
    }
}
