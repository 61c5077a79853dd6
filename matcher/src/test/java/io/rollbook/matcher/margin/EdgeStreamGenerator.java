package io.rollbook.matcher.margin;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.WithdrawEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * A seeded random stream of engine commands biased to the edges of what the matcher accepts, to find a command
 * that makes it throw (which would stop the sequencer for everyone): markets whose maximum position is worth the
 * engine's notional limit at the highest oracle price allowed, oracle prices jumping between 1 tick and that
 * highest price, funding ticks at the largest rate many times running, deposits up to the balance limit, orders
 * at the largest price their size allows, at the largest size, far from the oracle price, reduce-only and
 * post-only, market orders, amends to the extremes, isolated transfers of everything or of impossible amounts, fee
 * tiers at the largest rates and rebates, redefined in the middle of the stream.
 *
 * <p>Unlike {@link MarginStreamGenerator} it does not aim at a lifelike market: most orders are refused, which is
 * the point; the command kinds and values are drawn so that every edge is met often. It reads the matcher's state
 * (free collateral, positions) to aim some amounts exactly at a limit. Same seed, same stream.
 */
final class EdgeStreamGenerator
{
    static final int FEE_ACCOUNT = 1;
    static final int INSURANCE_FUND = 2;
    static final int FIRST_TRADER = 3;
    static final int ACCOUNT_LIMIT = 12;

    /** One trillion USDC, the balance limit of a deposit. */
    private static final long MAX_BALANCE_MICROS = 1_000_000_000_000_000_000L;
    private static final long MAX_FUNDING_RATE_PPB = 50_000_000L;

    private static final MarketSpec[] MARKETS = {
        // v = 1 micro-USDC and a maximum position of 1e9 lots: the highest oracle price is 1e7 ticks.
        MarketSpec.builder().id(1).symbol("MICRO").tickSize("0.001").lotSize("0.001")
            .minSizeLots(1).maxOrderSizeLots(1_000_000_000L).maxPositionLots(1_000_000_000L)
            .marketOrderBandPpm(999_999).margin(20_000, 10_000).tiering(0, 1, 1_000_000).build(),
        // v = 1 USDC, a small maximum position: the highest oracle price is 1e7 ticks.
        MarketSpec.builder().id(2).symbol("UNIT").tickSize("1").lotSize("1")
            .minSizeLots(1).maxOrderSizeLots(1_000).maxPositionLots(1_000)
            .marketOrderBandPpm(1).margin(1_000_000, 999_999).build(),
        // v = 1e9 USDC: the only oracle price allowed is 1 tick.
        MarketSpec.builder().id(3).symbol("HUGE").tickSize("1000000").lotSize("1000")
            .minSizeLots(1).maxOrderSizeLots(10).maxPositionLots(10)
            .marketOrderBandPpm(500_000).margin(500_000, 1).build(),
        // A BTC-like market with dYdX's fractions and size tiering.
        MarketSpec.builder().id(4).symbol("BTC-USD").tickSize("0.5").lotSize("0.001")
            .minSizeLots(1).maxOrderSizeLots(50_000).maxPositionLots(170_000).marketOrderBandPpm(50_000)
            .margin(50_000, 30_000).tiering(500, 100, 10_000).build()};

    private final SplittableRandom random;
    private final Matcher matcher = new Matcher(context());
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final FundingTickEncoder funding = new FundingTickEncoder();
    private final IsolatedMarginTransferEncoder isolatedMargin = new IsolatedMarginTransferEncoder();
    private final ConfigureAccountEncoder configure = new ConfigureAccountEncoder();
    private final DefineFeeTierEncoder defineFeeTier = new DefineFeeTierEncoder();
    private final long[] nextClientOrderId = new long[ACCOUNT_LIMIT];
    private int fundingStreak;
    private int fundingMarket;
    private long fundingRate;
    private String description = "";

    EdgeStreamGenerator(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    static Genesis genesis()
    {
        return new Genesis(
            List.of(new FeeTierSpec(0, 0, 0), new FeeTierSpec(1, -100_000, 100_000), new FeeTierSpec(2, 100_000, 0),
                new FeeTierSpec(3, 200, 500)),
            List.of(MARKETS),
            List.of());
    }

    static Matcher.Context context()
    {
        return new Matcher.Context()
            .marketCapacity(8)
            .accountCapacity(ACCOUNT_LIMIT)
            .orderCapacity(3_000)
            .maxOpenOrdersPerAccount(1_000)
            .maxMakersPerTaker(16)
            .feeAccount(FEE_ACCOUNT)
            .insuranceFundAccount(INSURANCE_FUND);
    }

    /**
     * @return the commands that start every stream: the genesis (fee tiers and markets); oracle prices come with the
     * random commands
     */
    static List<byte[]> prelude()
    {
        final List<byte[]> commands = new ArrayList<>();
        genesis().forEachCommand((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            commands.add(bytes);
        });
        return commands;
    }

    /**
     * The matcher the generator reads to aim its amounts; the caller executes every command on it.
     */
    Matcher matcher()
    {
        return matcher;
    }

    /**
     * @return what the last command was meant to test, for a failure message
     */
    String description()
    {
        return description;
    }

    /**
     * Writes the next random command at {@code offset}, header first.
     *
     * @return its length in bytes
     */
    int next(final MutableDirectBuffer buffer, final int offset)
    {
        if (fundingStreak > 0)
        {
            fundingStreak--;
            return fundingTick(buffer, offset, fundingMarket, fundingRate);
        }
        final int roll = random.nextInt(100);
        if (roll < 8)
        {
            return oracleMove(buffer, offset);
        }
        if (roll < 12)
        {
            fundingMarket = market();
            fundingRate = random.nextInt(4) == 0 ? random.nextLong(-MAX_FUNDING_RATE_PPB, MAX_FUNDING_RATE_PPB + 1) :
                random.nextBoolean() ? MAX_FUNDING_RATE_PPB : -MAX_FUNDING_RATE_PPB;
            fundingStreak = random.nextInt(10) == 0 ? random.nextInt(100) : 0;
            return fundingTick(buffer, offset, fundingMarket, fundingRate);
        }
        if (roll < 22)
        {
            return depositOrWithdraw(buffer, offset);
        }
        if (roll < 62)
        {
            return placeOrder(buffer, offset);
        }
        if (roll < 74)
        {
            return amendOrder(buffer, offset);
        }
        if (roll < 80)
        {
            return cancelOrder(buffer, offset);
        }
        if (roll < 82)
        {
            massCancel.wrapAndApplyHeader(buffer, offset, header).account(account())
                .market(random.nextBoolean() ? MassCancelEncoder.marketNullValue() : market())
                .side(random.nextBoolean() ? Side.NULL_VAL : side()).trigger(MassCancelTrigger.USER);
            description = "massCancel";
            return length(MassCancelEncoder.BLOCK_LENGTH);
        }
        if (roll < 92)
        {
            return isolatedTransfer(buffer, offset);
        }
        if (roll < 97)
        {
            configure.wrapAndApplyHeader(buffer, offset, header).account(account()).feeTier(random.nextInt(5))
                .selfTradePrevention(random.nextBoolean() ? SelfTradePrevention.NULL_VAL :
                    pick(SelfTradePrevention.EXPIRE_TAKER, SelfTradePrevention.EXPIRE_MAKER,
                        SelfTradePrevention.EXPIRE_BOTH));
            description = "configureAccount";
            return length(ConfigureAccountEncoder.BLOCK_LENGTH);
        }
        final int taker = random.nextBoolean() ? FeeTierSpec.MAX_RATE_PPM : random.nextInt(FeeTierSpec.MAX_RATE_PPM + 1);
        final int maker = random.nextBoolean() ? -taker : random.nextInt(-taker, FeeTierSpec.MAX_RATE_PPM + 1);
        defineFeeTier.wrapAndApplyHeader(buffer, offset, header).tier(random.nextInt(4)).makerFeePpm(maker)
            .takerFeePpm(taker);
        description = "defineFeeTier maker " + maker + " taker " + taker;
        return length(DefineFeeTierEncoder.BLOCK_LENGTH);
    }

    private int oracleMove(final MutableDirectBuffer buffer, final int offset)
    {
        final int marketId = market();
        final long max = maxOraclePrice(marketId);
        final long current = matcher.market(marketId).oraclePriceTicks();
        final long price;
        switch (random.nextInt(7))
        {
            case 0 -> price = 1;
            case 1 -> price = max;
            case 2 -> price = max + 1;
            case 3 -> price = Math.max(1, max / 2);
            case 4 -> price = Math.max(1, current + random.nextLong(-3, 4));
            case 5 -> price = random.nextLong(1, max + 1);
            default -> price = Math.max(1, current == 0 ? max : current / 2);
        }
        oracle.wrapAndApplyHeader(buffer, offset, header).market(marketId).priceTicks(price);
        description = "oracle " + marketId + " " + price;
        return length(OraclePriceEncoder.BLOCK_LENGTH);
    }

    private int fundingTick(final MutableDirectBuffer buffer, final int offset, final int marketId, final long rate)
    {
        funding.wrapAndApplyHeader(buffer, offset, header).market(marketId).ratePpb(rate);
        description = "funding " + marketId + " " + rate;
        return length(FundingTickEncoder.BLOCK_LENGTH);
    }

    private int depositOrWithdraw(final MutableDirectBuffer buffer, final int offset)
    {
        final int accountId = random.nextInt(6) == 0 ? random.nextInt(1, 3) : account();
        final Account account = matcher.account(accountId);
        if (random.nextInt(3) > 0)
        {
            final long room = MAX_BALANCE_MICROS - (account == null ? 0 : Math.max(0, account.collateralMicros()));
            final long amount = switch (random.nextInt(4))
            {
                case 0 -> Math.max(1, room);
                case 1 -> room + 1;
                case 2 -> random.nextLong(1, MAX_BALANCE_MICROS);
                default -> Math.max(1, room / 2);
            };
            deposit.wrapAndApplyHeader(buffer, offset, header).account(accountId).amountMicros(amount);
            description = "deposit " + accountId + " " + amount;
            return length(DepositEncoder.BLOCK_LENGTH);
        }
        final long free = account == null ? 0 : matcher.margin().crossFreeCollateral(account);
        final long amount = switch (random.nextInt(3))
        {
            case 0 -> Math.max(1, free);
            case 1 -> Long.MAX_VALUE;
            default -> random.nextLong(1, Long.MAX_VALUE);
        };
        withdraw.wrapAndApplyHeader(buffer, offset, header).account(accountId).amountMicros(amount);
        description = "withdraw " + accountId + " " + amount;
        return length(WithdrawEncoder.BLOCK_LENGTH);
    }

    private int placeOrder(final MutableDirectBuffer buffer, final int offset)
    {
        final int accountId = random.nextInt(20) == 0 ? random.nextInt(1, 3) : account();
        final int marketId = market();
        final Market market = matcher.market(marketId);
        final Side side = side();
        final boolean reduceOnly = random.nextInt(6) == 0;
        final Position slot = matcher.account(accountId) == null ? null :
            matcher.account(accountId).position(marketId);
        final long size = reduceOnly && slot != null && slot.sizeLots() != 0 && random.nextBoolean() ?
            Math.min(Math.abs(slot.sizeLots()), market.maxOrderSizeLots()) : size(market);
        final boolean isMarket = random.nextInt(6) == 0;
        final long price = isMarket ? (random.nextBoolean() ? 0 : price(market, side, size)) : price(market, side, size);
        final TimeInForce tif = isMarket ? pick(TimeInForce.IOC, TimeInForce.FOK) :
            random.nextInt(4) == 0 ? pick(TimeInForce.IOC, TimeInForce.FOK) : TimeInForce.GTC;
        final boolean postOnly = !isMarket && tif == TimeInForce.GTC && random.nextInt(5) == 0;
        final MarginMode mode = (accountId + marketId) % 3 == 0 ? MarginMode.ISOLATED : MarginMode.CROSS;
        place.wrapAndApplyHeader(buffer, offset, header)
            .clientOrderId(++nextClientOrderId[accountId])
            .priceTicks(price)
            .sizeLots(size)
            .account(accountId)
            .market(marketId)
            .side(side)
            .orderType(isMarket ? OrderType.MARKET : OrderType.LIMIT)
            .timeInForce(tif)
            .marginMode(random.nextInt(20) == 0 ? pick(MarginMode.CROSS, MarginMode.ISOLATED) : mode)
            .selfTradePrevention(pick(SelfTradePrevention.ACCOUNT_DEFAULT, SelfTradePrevention.EXPIRE_MAKER,
                SelfTradePrevention.EXPIRE_TAKER, SelfTradePrevention.EXPIRE_BOTH))
            .flags().clear().postOnly(postOnly).reduceOnly(reduceOnly);
        description = "place account " + accountId + " market " + marketId + " " + side + " " + size + " @ " + price +
            (isMarket ? " market " : " limit ") + tif + (postOnly ? " postOnly" : "") + (reduceOnly ? " reduceOnly" : "");
        return length(PlaceOrderEncoder.BLOCK_LENGTH);
    }

    private int amendOrder(final MutableDirectBuffer buffer, final int offset)
    {
        final int accountId = account();
        final int marketId = market();
        final Market market = matcher.market(marketId);
        final long size = size(market);
        final long price = price(market, side(), size);
        amend.wrapAndApplyHeader(buffer, offset, header)
            .orderId(AmendOrderEncoder.orderIdNullValue())
            .clientOrderId(recentClientOrderId(accountId))
            .priceTicks(price)
            .sizeLots(size)
            .account(accountId)
            .market(AmendOrderEncoder.marketNullValue());
        description = "amend account " + accountId + " to " + size + " @ " + price;
        return length(AmendOrderEncoder.BLOCK_LENGTH);
    }

    private int cancelOrder(final MutableDirectBuffer buffer, final int offset)
    {
        final int accountId = account();
        cancel.wrapAndApplyHeader(buffer, offset, header)
            .orderId(CancelOrderEncoder.orderIdNullValue())
            .clientOrderId(recentClientOrderId(accountId))
            .account(accountId)
            .market(CancelOrderEncoder.marketNullValue());
        description = "cancel account " + accountId;
        return length(CancelOrderEncoder.BLOCK_LENGTH);
    }

    private int isolatedTransfer(final MutableDirectBuffer buffer, final int offset)
    {
        final int accountId = account();
        final int marketId = market();
        final Account account = matcher.account(accountId);
        final Position slot = account == null ? null : account.position(marketId);
        final long amount = switch (random.nextInt(6))
        {
            case 0 -> account == null ? 1 : Math.max(1, matcher.margin().crossFreeCollateral(account));
            case 1 -> slot == null ? -1 : -Math.max(1, slot.isolatedMarginMicros());
            case 2 -> Long.MAX_VALUE;
            case 3 -> Long.MIN_VALUE + 1;
            case 4 -> Long.MIN_VALUE;
            default -> random.nextLong(-MAX_BALANCE_MICROS, MAX_BALANCE_MICROS);
        };
        isolatedMargin.wrapAndApplyHeader(buffer, offset, header).account(accountId).market(marketId)
            .amountMicros(amount);
        description = "isolatedMargin account " + accountId + " market " + marketId + " " + amount;
        return length(IsolatedMarginTransferEncoder.BLOCK_LENGTH);
    }

    /**
     * A size at an edge: the minimum, the maximum order size, or anywhere between.
     */
    private long size(final Market market)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> market.minSizeLots();
            case 1 -> market.maxOrderSizeLots();
            case 2 -> random.nextLong(market.minSizeLots(), market.maxOrderSizeLots() + 1);
            default -> Math.min(market.maxOrderSizeLots(), market.minSizeLots() + random.nextInt(3));
        };
    }

    /**
     * A price at an edge: 1 tick, the largest price the size allows (and one above), near the oracle price or near
     * the best price of either side, or anywhere up to the largest.
     */
    private long price(final Market market, final Side side, final long size)
    {
        final long largest = Math.max(1, Margin.MAX_NOTIONAL_MICROS / size / market.tickLotValueMicros());
        final long oraclePrice = Math.max(1, market.oraclePriceTicks());
        return switch (random.nextInt(7))
        {
            case 0 -> 1;
            case 1 -> largest;
            case 2 -> largest + 1;
            case 3 -> Math.max(1, oraclePrice + random.nextLong(-2, 3));
            case 4 -> random.nextLong(1, largest + 1);
            case 5 -> Math.max(1, side == Side.BUY ? oraclePrice * 2 : oraclePrice / 2);
            default -> Math.max(1, market.book().sideOf(side == Side.BUY ? Side.SELL : Side.BUY).best() == null ?
                oraclePrice : market.book().sideOf(side == Side.BUY ? Side.SELL : Side.BUY).best().priceTicks());
        };
    }

    /**
     * Mostly a live order of the account (a random one of its first few), else a recent id that may have ended.
     */
    private long recentClientOrderId(final int accountId)
    {
        final Account account = matcher.account(accountId);
        if (account != null && account.firstLiveOrder() != null && random.nextInt(4) > 0)
        {
            Order order = account.firstLiveOrder();
            for (int skip = random.nextInt(8); skip > 0 && order.nextOfAccount() != null; skip--)
            {
                order = order.nextOfAccount();
            }
            return order.clientOrderId();
        }
        final long last = nextClientOrderId[accountId];
        return last == 0 ? 1 : Math.max(1, last - random.nextInt((int)Math.min(last, 40)));
    }

    private long maxOraclePrice(final int marketId)
    {
        final Market market = matcher.market(marketId);
        return Margin.MAX_NOTIONAL_MICROS / market.maxPositionLots() / market.tickLotValueMicros();
    }

    private int account()
    {
        return random.nextInt(FIRST_TRADER, ACCOUNT_LIMIT);
    }

    private int market()
    {
        return random.nextInt(1, MARKETS.length + 1);
    }

    private Side side()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    @SafeVarargs
    private <T> T pick(final T... values)
    {
        return values[random.nextInt(values.length)];
    }

    private static int length(final int blockLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
    }
}
