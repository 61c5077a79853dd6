package io.rollbook.matcher.margin;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
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
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A seeded random stream of engine commands that exercises the whole risk engine: several markets whose oracle
 * prices walk at random (with sharp jumps that liquidate), funding ticks of both signs, deposits and withdrawals,
 * cross and isolated traders at varied leverage next to well-funded market makers, reduce-only orders, amends,
 * cancels and mass cancels, IOC, FOK and market orders, isolated margin transfers, fee tiers with rebates.
 *
 * <p>The stream starts with its genesis (fee tiers and markets), then a setup (oracle prices, deposits, fee tiers
 * of accounts), then random commands without end. Each command is executed on the generator's own matcher before
 * {@link #next} returns, so the generator can aim its cancels, amends, reduce-only orders and transfers at the
 * state they will meet; because the matcher is deterministic, a fresh {@code new Matcher(context())} fed the same
 * commands from sequence 1 meets exactly the same states. Same seed, same stream, on any machine.
 *
 * <p>Meant for other modules' tests too (the matcher module exports its test classes): a replay of a million or
 * more commands is a loop over {@link #next}. Not thread-safe.
 */
public final class MarginStreamGenerator
{
    /** The fee account of {@link #context()}. */
    public static final int FEE_ACCOUNT = 1;
    /** The insurance fund of {@link #context()}. */
    public static final int INSURANCE_FUND = 2;
    /** Market makers: well funded, cross margin, quoting both sides of every market. */
    static final int FIRST_MAKER = 3;
    static final int MAKER_COUNT = 4;
    /** Traders: small to mid accounts at varied leverage, some isolated. */
    static final int FIRST_TRADER = FIRST_MAKER + MAKER_COUNT;
    static final int TRADER_COUNT = 40;
    static final int ACCOUNT_LIMIT = FIRST_TRADER + TRADER_COUNT;

    private static final long USDC = 1_000_000L;
    private static final int MAX_TRADER_ORDERS = 12;
    private static final int MAX_MAKER_ORDERS = 48;
    /** Where makers start pulling quotes. */
    private static final int DEEP_BOOK_ORDERS = 120;
    /** A hard cap: no GTC order is placed in a market whose book holds this many. */
    private static final int MAX_BOOK_ORDERS = 200;

    private static final MarketSpec[] MARKETS = {
        // BTC-USD: 0.5 USDC ticks, 0.001 BTC lots (v = 500 micro-USDC), dYdX v3's BTC margin fractions, with size
        // tiering from 0.5 BTC (30,000 USDC) so that traders' positions reach it.
        MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.5").lotSize("0.001")
            .minSizeLots(1).maxOrderSizeLots(50_000).maxPositionLots(170_000).marketOrderBandPpm(50_000)
            .margin(50_000, 30_000).tiering(500, 100, 10_000).build(),
        // ETH-USD: 0.01 USDC ticks, 0.01 ETH lots (v = 100 micro-USDC), tiering from 10 ETH.
        MarketSpec.builder().id(2).symbol("ETH-USD").tickSize("0.01").lotSize("0.01")
            .minSizeLots(1).maxOrderSizeLots(100_000).maxPositionLots(500_000).marketOrderBandPpm(50_000)
            .margin(100_000, 50_000).tiering(1_000, 200, 20_000).build(),
        // DOGE-USD: 0.00001 USDC ticks, 1 DOGE lots (v = 10 micro-USDC): small values, where rounding shows.
        MarketSpec.builder().id(3).symbol("DOGE-USD").tickSize("0.00001").lotSize("1")
            .minSizeLots(10).maxOrderSizeLots(2_000_000).maxPositionLots(10_000_000).marketOrderBandPpm(80_000)
            .margin(200_000, 100_000).build()};
    private static final long[] START_PRICE_TICKS = {120_000, 300_000, 10_000};

    private final SplittableRandom random;
    private final Matcher matcher = new Matcher(context());
    private final EventWriter events = new EventWriter();
    private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(1 << 16);
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
    private final List<byte[]> prelude = new ArrayList<>();
    private final long[] nextClientOrderId = new long[ACCOUNT_LIMIT];
    /** Per trader and market: true if the trader trades that market in isolated mode. */
    private final boolean[][] isolatedPreference = new boolean[ACCOUNT_LIMIT][MARKETS.length + 1];
    /** Per trader: how much of its equity it likes to put at risk, as a multiple of the initial requirement. */
    private final double[] appetite = new double[ACCOUNT_LIMIT];
    private final long[] anchorTicks = START_PRICE_TICKS.clone();
    private int preludeIndex;
    private long sequence;
    private int eventsLength;

    /**
     * @param seed the seed: equal seeds give equal streams
     */
    public MarginStreamGenerator(final long seed)
    {
        random = new SplittableRandom(seed);
        genesis().forEachCommand((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            prelude.add(bytes);
        });
        final ExpandableArrayBuffer setup = new ExpandableArrayBuffer(256);
        for (int m = 0; m < MARKETS.length; m++)
        {
            oracle.wrapAndApplyHeader(setup, 0, header).market(MARKETS[m].id()).priceTicks(START_PRICE_TICKS[m]);
            addPrelude(setup, OraclePriceEncoder.BLOCK_LENGTH);
        }
        deposit.wrapAndApplyHeader(setup, 0, header).account(INSURANCE_FUND).amountMicros(20_000 * USDC);
        addPrelude(setup, DepositEncoder.BLOCK_LENGTH);
        for (int account = FIRST_MAKER; account < ACCOUNT_LIMIT; account++)
        {
            final boolean maker = account < FIRST_TRADER;
            final long amount = maker ? 2_000_000 * USDC : (50 + random.nextLong(5_000)) * USDC;
            deposit.wrapAndApplyHeader(setup, 0, header).account(account).amountMicros(amount);
            addPrelude(setup, DepositEncoder.BLOCK_LENGTH);
            configure.wrapAndApplyHeader(setup, 0, header).account(account).feeTier(maker ? 1 : random.nextInt(3))
                .selfTradePrevention(SelfTradePrevention.NULL_VAL);
            addPrelude(setup, ConfigureAccountEncoder.BLOCK_LENGTH);
            appetite[account] = 0.3 + random.nextDouble() * 1.1;
            for (int m = 1; m <= MARKETS.length; m++)
            {
                isolatedPreference[account][m] = !maker && random.nextInt(3) == 0;
            }
        }
        primeBooks(setup, Side.BUY);
        primeBooks(setup, Side.SELL);
    }

    /**
     * Fills every book on one side beyond anything the stream will hold, from every account up to its own order
     * limit, one price level per order, then cancels it all: afterwards the matcher's pools, books and indexes
     * have grown to their working size, so the random commands run in steady state (what a zero-allocation
     * measurement needs). Every account also opens a slot in every market at once, in its own margin mode.
     */
    private void primeBooks(final ExpandableArrayBuffer setup, final Side side)
    {
        final int[] placed = new int[MARKETS.length];
        for (int account = INSURANCE_FUND; account < ACCOUNT_LIMIT; account++)
        {
            final int limit = account == INSURANCE_FUND ? MARKETS.length :
                account < FIRST_TRADER ? MAX_MAKER_ORDERS : MAX_TRADER_ORDERS;
            for (int i = 0; i < limit; i++)
            {
                final int m = i % MARKETS.length;
                final long start = START_PRICE_TICKS[m];
                final long price = side == Side.BUY ? start / 2 - placed[m] : start * 2 + placed[m];
                placed[m]++;
                place.wrapAndApplyHeader(setup, 0, header)
                    .clientOrderId(++nextClientOrderId[account])
                    .priceTicks(price)
                    .sizeLots(MARKETS[m].minSizeLots())
                    .account(account)
                    .market(MARKETS[m].id())
                    .side(side)
                    .orderType(OrderType.LIMIT)
                    .timeInForce(TimeInForce.GTC)
                    .marginMode(isolatedPreference[account][m + 1] ? MarginMode.ISOLATED : MarginMode.CROSS)
                    .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
                    .flags().clear();
                addPrelude(setup, PlaceOrderEncoder.BLOCK_LENGTH);
            }
        }
        for (int m = 0; m < MARKETS.length; m++)
        {
            if (placed[m] <= MAX_BOOK_ORDERS)
            {
                throw new IllegalStateException("priming must exceed the book cap");
            }
        }
        for (int account = INSURANCE_FUND; account < ACCOUNT_LIMIT; account++)
        {
            massCancel.wrapAndApplyHeader(setup, 0, header).account(account)
                .market(MassCancelEncoder.marketNullValue()).side(Side.NULL_VAL).trigger(MassCancelTrigger.USER);
            addPrelude(setup, MassCancelEncoder.BLOCK_LENGTH);
        }
    }

    /**
     * The genesis of every stream: three fee tiers (one with a maker rebate; every rebate is below every taker
     * fee, so the fee account never pays out more than it takes) and three markets with dYdX-like margin
     * parameters and size tiering.
     */
    public static Genesis genesis()
    {
        return new Genesis(
            List.of(new FeeTierSpec(0, 200, 500), new FeeTierSpec(1, -100, 500), new FeeTierSpec(2, 0, 300)),
            List.of(MARKETS),
            List.of());
    }

    /**
     * @return the matcher definition the stream is made for; a replay must use it
     */
    public static Matcher.Context context()
    {
        return new Matcher.Context()
            .marketCapacity(8)
            .accountCapacity(ACCOUNT_LIMIT)
            .orderCapacity(4_096)
            .maxOpenOrdersPerAccount(64)
            .feeAccount(FEE_ACCOUNT)
            .insuranceFundAccount(INSURANCE_FUND);
    }

    /**
     * @return the generator's own matcher, which has executed every command returned so far
     */
    public Matcher matcher()
    {
        return matcher;
    }

    /**
     * @return the sequence number of the last command returned
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return the events the last command produced on the generator's matcher, from offset 0
     */
    public DirectBuffer lastEvents()
    {
        return eventBuffer;
    }

    public int lastEventsLength()
    {
        return eventsLength;
    }

    /**
     * Writes the next command at {@code offset} (an engine SBE message, header first) and executes it on the
     * generator's matcher with sequence number {@link #sequence()}.
     *
     * @return the command's length in bytes
     */
    public int next(final MutableDirectBuffer buffer, final int offset)
    {
        final int length;
        if (preludeIndex < prelude.size())
        {
            final byte[] bytes = prelude.get(preludeIndex++);
            buffer.putBytes(offset, bytes);
            length = bytes.length;
        }
        else
        {
            length = MessageHeaderEncoder.ENCODED_LENGTH + randomCommand(buffer, offset);
        }
        events.wrap(eventBuffer, 0);
        matcher.execute(++sequence, sequence, buffer, offset, length, events);
        eventsLength = events.position();
        return length;
    }

    private void addPrelude(final ExpandableArrayBuffer setup, final int blockLength)
    {
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + blockLength];
        setup.getBytes(0, bytes);
        prelude.add(bytes);
    }

    /**
     * @return the block length of the command written
     */
    private int randomCommand(final MutableDirectBuffer buffer, final int offset)
    {
        final int roll = random.nextInt(1000);
        if (roll < 60)
        {
            return oracleMove(buffer, offset);
        }
        if (roll < 85)
        {
            return fundingTick(buffer, offset);
        }
        if (roll < 330)
        {
            return makerQuote(buffer, offset);
        }
        if (roll < 530)
        {
            return traderOrder(buffer, offset);
        }
        if (roll < 570)
        {
            return reduceOnly(buffer, offset);
        }
        if (roll < 680)
        {
            return cancelOrAmend(buffer, offset, random.nextBoolean());
        }
        if (roll < 700)
        {
            return massCancel(buffer, offset);
        }
        if (roll < 740)
        {
            return depositOrWithdraw(buffer, offset, true);
        }
        if (roll < 800)
        {
            return depositOrWithdraw(buffer, offset, false);
        }
        if (roll < 860)
        {
            return isolatedTransfer(buffer, offset);
        }
        if (roll < 870)
        {
            configure.wrapAndApplyHeader(buffer, offset, header).account(trader()).feeTier(random.nextInt(4))
                .selfTradePrevention(SelfTradePrevention.NULL_VAL);
            return ConfigureAccountEncoder.BLOCK_LENGTH;
        }
        return closePosition(buffer, offset);
    }

    /**
     * A random walk around an anchor that drifts, with occasional jumps of up to 15%: enough to take leveraged
     * traders through maintenance (and some through bankruptcy, for the insurance fund and deleveraging).
     */
    private int oracleMove(final MutableDirectBuffer buffer, final int offset)
    {
        final int m = random.nextInt(MARKETS.length);
        final Market market = matcher.market(MARKETS[m].id());
        final long now = market.oraclePriceTicks();
        final double move;
        if (random.nextInt(12) == 0)
        {
            move = (random.nextBoolean() ? 1 : -1) * (0.03 + random.nextDouble() * 0.12);
        }
        else
        {
            move = (random.nextDouble() - 0.5) * 0.01;
        }
        // Pull back towards the anchor so prices stay in a band over long streams.
        final double pull = (anchorTicks[m] - now) / (double)anchorTicks[m] * 0.05;
        final long price = Math.max(1, Math.round(now * (1 + move + pull)));
        oracle.wrapAndApplyHeader(buffer, offset, header).market(market.id()).priceTicks(price);
        return OraclePriceEncoder.BLOCK_LENGTH;
    }

    private int fundingTick(final MutableDirectBuffer buffer, final int offset)
    {
        final int m = random.nextInt(MARKETS.length);
        // Mostly realistic rates (up to 0.01% per tick, odd numbers of ppb for rounding), now and then a large one.
        final long rate = random.nextInt(20) == 0 ? random.nextLong(-2_000_000, 2_000_001) :
            random.nextLong(-100_000, 100_001);
        funding.wrapAndApplyHeader(buffer, offset, header).market(MARKETS[m].id()).ratePpb(rate);
        return FundingTickEncoder.BLOCK_LENGTH;
    }

    /**
     * A market maker keeps a ladder on both sides around the oracle price: it adds to a thin side, re-prices a stale
     * order, or pulls one when the book is deep.
     */
    private int makerQuote(final MutableDirectBuffer buffer, final int offset)
    {
        final int account = FIRST_MAKER + random.nextInt(MAKER_COUNT);
        final int m = random.nextInt(MARKETS.length);
        final Market market = matcher.market(MARKETS[m].id());
        final Account maker = matcher.account(account);
        final int bookOrders = bookOrders(market);
        final Order stale = maker == null ? null : randomOrder(maker, market.id());
        if (stale != null && (bookOrders > DEEP_BOOK_ORDERS || maker.liveOrderCount() > 40 ||
            random.nextInt(3) == 0))
        {
            if (random.nextBoolean())
            {
                return cancelOrder(buffer, offset, stale);
            }
            final long price = quotePrice(market, stale.side(), random.nextInt(1, 30));
            return amendOrder(buffer, offset, stale, price, stale.filledLots() + typicalLots(m, 2));
        }
        final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        final long price = quotePrice(market, side, random.nextInt(1, 30));
        return placeOrder(buffer, offset, account, market.id(), side, OrderType.LIMIT, TimeInForce.GTC,
            MarginMode.CROSS, price, typicalLots(m, 3), random.nextInt(5) == 0, false);
    }

    /**
     * A trader opens or adds to a position, sized from its equity and appetite; mostly IOC or aggressive limit
     * orders, some resting, some FOK and market orders.
     */
    private int traderOrder(final MutableDirectBuffer buffer, final int offset)
    {
        final int account = trader();
        final int m = random.nextInt(MARKETS.length);
        final MarketSpec spec = MARKETS[m];
        final Market market = matcher.market(spec.id());
        final Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        final long equity = Math.max(0, roughEquity(matcher.account(account)));
        final double leverage = appetite[account] * 1_000_000.0 / spec.initialMarginPpm();
        final double notional = equity * leverage * (0.05 + random.nextDouble() * 0.6);
        long lots = (long)(notional / (market.valuePerLotMicros()));
        lots = Math.max(spec.minSizeLots(), Math.min(spec.maxOrderSizeLots(), lots));
        MarginMode mode = isolatedPreference[account][spec.id()] ? MarginMode.ISOLATED : MarginMode.CROSS;
        if (random.nextInt(40) == 0)
        {
            mode = mode == MarginMode.CROSS ? MarginMode.ISOLATED : MarginMode.CROSS;
        }
        final int kind = random.nextInt(10);
        if (kind < 4)
        {
            return placeOrder(buffer, offset, account, spec.id(), side, OrderType.LIMIT, TimeInForce.IOC, mode,
                quotePrice(market, side, -random.nextInt(1, 40)), lots, false, false);
        }
        if (kind < 6)
        {
            return placeOrder(buffer, offset, account, spec.id(), side, OrderType.LIMIT, TimeInForce.GTC, mode,
                quotePrice(market, side, random.nextInt(-10, 40)), lots, false, false);
        }
        if (kind < 8)
        {
            return placeOrder(buffer, offset, account, spec.id(), side, OrderType.MARKET,
                random.nextBoolean() ? TimeInForce.IOC : TimeInForce.FOK, mode,
                random.nextInt(4) == 0 ? quotePrice(market, side, -random.nextInt(1, 20)) : 0, lots, false, false);
        }
        return placeOrder(buffer, offset, account, spec.id(), side, OrderType.LIMIT, TimeInForce.FOK, mode,
            quotePrice(market, side, -random.nextInt(1, 60)), lots, false, false);
    }

    /**
     * A reduce-only order against an existing position: mostly within it, sometimes larger (refused), sometimes
     * resting so a later shrink of the position trims or cancels it.
     */
    private int reduceOnly(final MutableDirectBuffer buffer, final int offset)
    {
        final Position position = randomPosition(trader());
        if (position == null)
        {
            return traderOrder(buffer, offset);
        }
        final int m = position.market() - 1;
        final Market market = matcher.market(position.market());
        final long size = position.sizeLots();
        final Side side = size > 0 ? Side.SELL : Side.BUY;
        final long abs = Math.abs(size);
        final long lots = random.nextInt(8) == 0 ? abs + 1 + random.nextLong(abs) :
            Math.max(MARKETS[m].minSizeLots(), 1 + random.nextLong(abs));
        final boolean rest = random.nextBoolean();
        return placeOrder(buffer, offset, position.account().id(), position.market(), side, OrderType.LIMIT,
            rest ? TimeInForce.GTC : TimeInForce.IOC, position.marginMode(),
            quotePrice(market, side, rest ? random.nextInt(1, 20) : -random.nextInt(1, 30)),
            Math.min(lots, MARKETS[m].maxOrderSizeLots()), false, true);
    }

    /**
     * A trader closes (part of) a position with an aggressive IOC order, as traders do after a move.
     */
    private int closePosition(final MutableDirectBuffer buffer, final int offset)
    {
        final Position position = randomPosition(trader());
        if (position == null)
        {
            return traderOrder(buffer, offset);
        }
        final Market market = matcher.market(position.market());
        final Side side = position.sizeLots() > 0 ? Side.SELL : Side.BUY;
        final long lots = Math.min(Math.abs(position.sizeLots()), MARKETS[position.market() - 1].maxOrderSizeLots());
        return placeOrder(buffer, offset, position.account().id(), position.market(), side, OrderType.LIMIT,
            TimeInForce.IOC, position.marginMode(), quotePrice(market, side, -random.nextInt(5, 80)), lots, false,
            random.nextBoolean());
    }

    private int cancelOrAmend(final MutableDirectBuffer buffer, final int offset, final boolean isCancel)
    {
        Order order = null;
        for (int attempt = 0; attempt < 4 && order == null; attempt++)
        {
            final Account account = matcher.account(trader());
            order = account == null ? null : randomOrder(account, 0);
        }
        if (order == null)
        {
            // An order that is not live: a precise rejection, and nothing changes.
            cancel.wrapAndApplyHeader(buffer, offset, header).account(FIRST_TRADER + random.nextInt(TRADER_COUNT))
                .market(CancelOrderEncoder.marketNullValue()).orderId(CancelOrderEncoder.orderIdNullValue())
                .clientOrderId(1 + random.nextInt(50));
            return CancelOrderEncoder.BLOCK_LENGTH;
        }
        if (isCancel)
        {
            return cancelOrder(buffer, offset, order);
        }
        final Market market = matcher.market(order.market());
        final int choice = random.nextInt(4);
        long price = order.priceTicks();
        long size = order.sizeLots();
        if (choice == 0)
        {
            size = order.filledLots() + Math.max(1, order.remainingLots() / 2);
        }
        else if (choice == 1)
        {
            size = order.sizeLots() + 1 + random.nextLong(Math.max(1, order.remainingLots()));
        }
        else
        {
            price = quotePrice(market, order.side(), random.nextInt(-15, 30));
        }
        return amendOrder(buffer, offset, order, price, Math.min(size, MARKETS[order.market() - 1].maxOrderSizeLots()));
    }

    private int massCancel(final MutableDirectBuffer buffer, final int offset)
    {
        final int scope = random.nextInt(3);
        massCancel.wrapAndApplyHeader(buffer, offset, header).account(trader())
            .market(scope == 0 ? MassCancelEncoder.marketNullValue() : 1 + random.nextInt(MARKETS.length))
            .side(scope == 2 ? (random.nextBoolean() ? Side.BUY : Side.SELL) : Side.NULL_VAL)
            .trigger(MassCancelTrigger.USER);
        return MassCancelEncoder.BLOCK_LENGTH;
    }

    private int depositOrWithdraw(final MutableDirectBuffer buffer, final int offset, final boolean isDeposit)
    {
        final int accountId = random.nextInt(25) == 0 ? INSURANCE_FUND : trader();
        if (isDeposit)
        {
            deposit.wrapAndApplyHeader(buffer, offset, header).account(accountId)
                .amountMicros(1 + random.nextLong(2_000 * USDC));
            return DepositEncoder.BLOCK_LENGTH;
        }
        // Around the free collateral, so both sides of the limit are met.
        final Account account = matcher.account(accountId);
        final long roughFree = account == null ? 0 : roughEquity(account) - roughInitial(account);
        final long amount = roughFree > 0 && random.nextInt(4) != 0 ?
            Math.max(1, (long)(roughFree * (0.2 + random.nextDouble()))) : 1 + random.nextLong(500 * USDC);
        withdraw.wrapAndApplyHeader(buffer, offset, header).account(accountId).amountMicros(amount);
        return WithdrawEncoder.BLOCK_LENGTH;
    }

    private int isolatedTransfer(final MutableDirectBuffer buffer, final int offset)
    {
        int accountId = trader();
        Account account = matcher.account(accountId);
        Position bucket = null;
        for (int attempt = 0; attempt < 4 && bucket == null; attempt++)
        {
            accountId = trader();
            account = matcher.account(accountId);
            for (int i = 0; account != null && i < account.positionCount(); i++)
            {
                if (account.positionAt(i).isIsolated() && (bucket == null || random.nextBoolean()))
                {
                    bucket = account.positionAt(i);
                }
            }
        }
        final int market = bucket == null ? 1 + random.nextInt(MARKETS.length) : bucket.market();
        final long amount;
        if (bucket != null && random.nextBoolean())
        {
            amount = -Math.max(1, (long)(bucket.isolatedMarginMicros() * random.nextDouble() * 0.8));
        }
        else
        {
            final long collateral = account == null ? 0 : Math.max(0, account.collateralMicros());
            amount = Math.max(1, (long)(collateral * random.nextDouble() * 0.3));
        }
        isolatedMargin.wrapAndApplyHeader(buffer, offset, header).account(accountId).market(market)
            .amountMicros(amount);
        return IsolatedMarginTransferEncoder.BLOCK_LENGTH;
    }

    private int placeOrder(
        final MutableDirectBuffer buffer,
        final int offset,
        final int account,
        final int market,
        final Side side,
        final OrderType type,
        final TimeInForce timeInForce,
        final MarginMode mode,
        final long priceTicks,
        final long lots,
        final boolean postOnly,
        final boolean reduceOnly)
    {
        final Account existing = matcher.account(account);
        if (timeInForce == TimeInForce.GTC)
        {
            // Bounded books and accounts: the state stays within what the set-up reached (see primeBooks).
            final Order order;
            if (bookOrders(matcher.market(market)) >= MAX_BOOK_ORDERS)
            {
                order = randomBookOrder(matcher.market(market));
            }
            else if (existing != null &&
                existing.liveOrderCount() >= (account < FIRST_TRADER ? MAX_MAKER_ORDERS : MAX_TRADER_ORDERS))
            {
                order = randomOrder(existing, 0);
            }
            else
            {
                order = null;
            }
            if (order != null)
            {
                return cancelOrder(buffer, offset, order);
            }
        }
        place.wrapAndApplyHeader(buffer, offset, header)
            .clientOrderId(++nextClientOrderId[account])
            .priceTicks(priceTicks)
            .sizeLots(lots)
            .account(account)
            .market(market)
            .side(side)
            .orderType(type)
            .timeInForce(timeInForce)
            .marginMode(mode)
            .selfTradePrevention(random.nextInt(10) == 0 ? SelfTradePrevention.EXPIRE_MAKER :
                SelfTradePrevention.ACCOUNT_DEFAULT)
            .flags().clear().postOnly(postOnly && type == OrderType.LIMIT && timeInForce == TimeInForce.GTC)
            .reduceOnly(reduceOnly);
        return PlaceOrderEncoder.BLOCK_LENGTH;
    }

    private int cancelOrder(final MutableDirectBuffer buffer, final int offset, final Order order)
    {
        final boolean byOrderId = random.nextBoolean();
        cancel.wrapAndApplyHeader(buffer, offset, header).account(order.account()).market(order.market())
            .orderId(byOrderId ? order.orderId() : CancelOrderEncoder.orderIdNullValue())
            .clientOrderId(byOrderId ? CancelOrderEncoder.clientOrderIdNullValue() : order.clientOrderId());
        return CancelOrderEncoder.BLOCK_LENGTH;
    }

    private int amendOrder(
        final MutableDirectBuffer buffer, final int offset, final Order order, final long priceTicks, final long lots)
    {
        amend.wrapAndApplyHeader(buffer, offset, header).account(order.account()).market(order.market())
            .orderId(AmendOrderEncoder.orderIdNullValue()).clientOrderId(order.clientOrderId())
            .priceTicks(priceTicks).sizeLots(lots);
        return AmendOrderEncoder.BLOCK_LENGTH;
    }

    /**
     * @param away how many steps of 0.05% of the oracle price away from it on the passive side (negative: through
     *             it, aggressively)
     */
    private static long quotePrice(final Market market, final Side side, final int away)
    {
        final long oracleTicks = market.oraclePriceTicks();
        final long step = Math.max(1, oracleTicks / 2_000);
        final long price = side == Side.BUY ? oracleTicks - away * step : oracleTicks + away * step;
        return Math.max(1, price);
    }

    private long typicalLots(final int m, final int scale)
    {
        final MarketSpec spec = MARKETS[m];
        final Market market = matcher.market(spec.id());
        // Around 2,000 USDC per order, times a random factor.
        final long lots = (long)(2_000.0 * USDC * scale * (0.2 + random.nextDouble()) / market.valuePerLotMicros());
        return Math.max(spec.minSizeLots(), Math.min(spec.maxOrderSizeLots(), lots));
    }

    private int trader()
    {
        return FIRST_TRADER + random.nextInt(TRADER_COUNT);
    }

    private Position randomPosition(final int accountId)
    {
        final Account account = matcher.account(accountId);
        if (account == null)
        {
            return null;
        }
        Position chosen = null;
        int seen = 0;
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            if (position.sizeLots() != 0 && random.nextInt(++seen) == 0)
            {
                chosen = position;
            }
        }
        return chosen;
    }

    /**
     * @param market a market id, or 0 for any
     */
    private Order randomOrder(final Account account, final int market)
    {
        Order chosen = null;
        int seen = 0;
        for (Order order = account.firstLiveOrder(); order != null; order = order.nextOfAccount())
        {
            if ((market == 0 || order.market() == market) && random.nextInt(++seen) == 0)
            {
                chosen = order;
            }
        }
        return chosen;
    }

    private Order randomBookOrder(final Market market)
    {
        final int count = bookOrders(market);
        int index = count == 0 ? -1 : random.nextInt(count);
        for (int side = 0; side < 2; side++)
        {
            final BookSide bookSide = side == 0 ? market.book().bids() : market.book().asks();
            for (int depth = 0; depth < bookSide.levelCount(); depth++)
            {
                for (Order order = bookSide.levelAtDepth(depth).head(); order != null; order = order.nextInLevel())
                {
                    if (index-- == 0)
                    {
                        return order;
                    }
                }
            }
        }
        return null;
    }

    private static int bookOrders(final Market market)
    {
        int count = 0;
        for (int side = 0; side < 2; side++)
        {
            final BookSide bookSide = side == 0 ? market.book().bids() : market.book().asks();
            for (int depth = 0; depth < bookSide.levelCount(); depth++)
            {
                final PriceLevel level = bookSide.levelAtDepth(depth);
                count += level.orderCount();
            }
        }
        return count;
    }

    /**
     * @return the cross equity at the oracle prices, funding ignored: good enough to size orders
     */
    private long roughEquity(final Account account)
    {
        if (account == null)
        {
            return 0;
        }
        long equity = account.collateralMicros();
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated())
            {
                equity += position.sizeLots() * matcher.market(position.market()).valuePerLotMicros();
            }
        }
        return equity;
    }

    private long roughInitial(final Account account)
    {
        long requirement = 0;
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            if (!position.isIsolated())
            {
                final Market market = matcher.market(position.market());
                final long worst = Math.max(Math.abs(position.sizeLots() + position.buyOpenLots()),
                    Math.abs(position.sizeLots() - position.sellOpenLots()));
                requirement += worst * market.valuePerLotMicros() / 1_000_000 * market.initialMarginPpm(worst);
            }
        }
        return requirement;
    }
}
