package io.rollbook.bench.matcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Generates a seeded command stream for a {@link MatcherMix}. It runs every command through a matcher as it goes
 * and follows the events, so cancels and amends name orders that are live at that point; because the matcher is
 * deterministic, replaying the stream on a fresh matcher meets exactly the same book.
 */
public final class MixGenerator
{
    public static final int MARKET_ID = 1;
    static final long MID_PRICE_TICKS = 100_000;
    private static final int PASSIVE_DEPTH_TICKS = 40;
    private static final long DEPOSIT_MICROS = 1_000_000_000_000L;
    /** The margin mix's accounts hold enough for their orders, not unlimited collateral. */
    private static final long MARGIN_DEPOSIT_MICROS = 10_000_000_000L;
    private static final long INSURANCE_DEPOSIT_MICROS = 10_000_000_000_000L;
    /** A risky account re-opens with this much collateral: 5 USDC for about 100 USDC of position. */
    private static final long RISKY_DEPOSIT_MICROS = 5_000_000L;
    private static final int RISKY_STEP_COMMANDS = 100;
    /** The oracle's triangle wave: from -2.5% to +2.5% of the mid price and back every 40 updates. */
    private static final double ORACLE_AMPLITUDE = 0.025;
    private static final int ORACLE_HALF_PERIOD = 20;

    private final MatcherMix mix;
    private final SplittableRandom random;
    private final Matcher matcher;
    private final EventWriter events = new EventWriter();
    private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(64 * 1024);
    private final ExpandableDirectByteBuffer out;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LiquidationStartedDecoder liquidation = new LiquidationStartedDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final List<LiveOrder> live = new ArrayList<>();
    private final Map<Long, Integer> liveIndex = new HashMap<>();
    private final long[] nextClientOrderId;
    private int position;
    private int lastStart;
    private int count;
    private long sequence;
    private long oracleTicks = MID_PRICE_TICKS;
    private int oracleUpdates;
    private int nextRisky;
    private boolean timed;
    private int liquidations;
    /** The total size of the order the current command placed or re-matched, for orders that come to rest. */
    private long pendingTotalLots;

    private MixGenerator(final MatcherMix mix, final long seed, final Matcher.Context context)
    {
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        this.matcher = new Matcher(context);
        this.out = new ExpandableDirectByteBuffer(64 * 1024 * 1024);
        this.nextClientOrderId = new long[mix.accounts() + mix.riskyAccounts() + 1];
    }

    /**
     * @return the market every mix trades in
     */
    public static MarketSpec market()
    {
        return MarketSpec.builder()
            .id(MARKET_ID)
            .symbol("BENCH-USD")
            .tickSize("0.01")
            .lotSize("0.001")
            .minSizeLots(1)
            .maxOrderSizeLots(1_000_000)
            .maxPositionLots(100_000_000)
            .marketOrderBandPpm(50_000)
            .build();
    }

    /**
     * @return the matcher context the stream was generated for, which a replay must use
     */
    public static Matcher.Context context(final MatcherMix mix)
    {
        final int accounts = mix.accounts() + mix.riskyAccounts();
        return new Matcher.Context()
            .accountCapacity(accounts + 3)
            .feeAccount(accounts + 1)
            .insuranceFundAccount(accounts + 2)
            .orderCapacity(1 << 20)
            .maxOpenOrdersPerAccount(1_000);
    }

    /**
     * @param mix      the command mix
     * @param seed     the random seed
     * @param commands how many timed commands after the setup
     */
    public static CommandStream generate(final MatcherMix mix, final long seed, final int commands)
    {
        return new MixGenerator(mix, seed, context(mix)).run(commands);
    }

    private CommandStream run(final int commands)
    {
        position += market().encode(out, position);
        executeLast();
        oracle.wrapAndApplyHeader(out, position, headerEncoder).market(MARKET_ID).priceTicks(MID_PRICE_TICKS);
        commit(OraclePriceEncoder.BLOCK_LENGTH);
        for (int account = 1; account <= mix.accounts(); account++)
        {
            deposit.wrapAndApplyHeader(out, position, headerEncoder).account(account)
                .amountMicros(mix.isMargin() ? MARGIN_DEPOSIT_MICROS : DEPOSIT_MICROS);
            commit(DepositEncoder.BLOCK_LENGTH);
        }
        if (mix.isMargin())
        {
            deposit.wrapAndApplyHeader(out, position, headerEncoder).account(context(mix).insuranceFundAccount())
                .amountMicros(INSURANCE_DEPOSIT_MICROS);
            commit(DepositEncoder.BLOCK_LENGTH);
        }
        while (live.size() < mix.targetBookOrders())
        {
            placePassive();
        }
        final int setupCount = count;
        final int setupLength = position;
        timed = true;

        for (int i = 0; i < commands; i++)
        {
            if (mix.isMargin() && i % mix.oracleIntervalCommands() == mix.oracleIntervalCommands() - 1)
            {
                oracleStep();
                continue;
            }
            if (mix.riskyAccounts() > 0 && i % RISKY_STEP_COMMANDS == RISKY_STEP_COMMANDS / 2 && riskyStep())
            {
                continue;
            }
            final double r = random.nextDouble();
            final int bookSize = live.size();
            if (r < mix.gtcShare())
            {
                if (bookSize > mix.targetBookOrders() * 11 / 10)
                {
                    cancelRandom();
                }
                else
                {
                    placeGtc();
                }
            }
            else if (r < mix.gtcShare() + mix.iocShare())
            {
                placeIoc();
            }
            else if (r < mix.gtcShare() + mix.iocShare() + mix.cancelShare())
            {
                if (bookSize < mix.targetBookOrders() * 9 / 10)
                {
                    placePassive();
                }
                else
                {
                    cancelRandom();
                }
            }
            else if (bookSize == 0)
            {
                placePassive();
            }
            else
            {
                amendRandom();
            }
        }

        return new CommandStream(out, position, count, setupCount, setupLength, liquidations);
    }

    /**
     * The oracle follows a triangle wave around the book's mid price with a little noise: the book itself stays
     * centred, as in the other mixes, while margin, liquidation thresholds and market-order bands move.
     */
    private void oracleStep()
    {
        oracleUpdates++;
        final int phase = oracleUpdates % (2 * ORACLE_HALF_PERIOD);
        final double wave = phase < ORACLE_HALF_PERIOD ? phase / (double)ORACLE_HALF_PERIOD :
            2.0 - phase / (double)ORACLE_HALF_PERIOD;
        final double offset = ORACLE_AMPLITUDE * (2 * wave - 1) + (random.nextDouble() - 0.5) * 0.001;
        oracleTicks = Math.round(MID_PRICE_TICKS * (1 + offset));
        oracle.wrapAndApplyHeader(out, position, headerEncoder).market(MARKET_ID).priceTicks(oracleTicks);
        commit(OraclePriceEncoder.BLOCK_LENGTH);
    }

    /**
     * One risky account, in turn: once flat (after a liquidation) it tops its collateral back up, and when the
     * oracle is far from the book's mid it buys (above) or sells (below) at the book, about 20x leveraged, so that
     * the wave coming back liquidates it. Half of them trade in isolated mode.
     *
     * @return false if the account had nothing to do, so the caller writes an ordinary command instead
     */
    private boolean riskyStep()
    {
        final int account = mix.accounts() + 1 + nextRisky;
        nextRisky = (nextRisky + 1) % mix.riskyAccounts();
        final Account state = matcher.account(account);
        final Position held = state == null ? null : state.position(MARKET_ID);
        if (held != null && held.sizeLots() != 0)
        {
            return false;
        }
        final long collateral = state == null ? 0 : state.collateralMicros();
        if (collateral < RISKY_DEPOSIT_MICROS)
        {
            deposit.wrapAndApplyHeader(out, position, headerEncoder).account(account)
                .amountMicros(RISKY_DEPOSIT_MICROS - collateral);
            commit(DepositEncoder.BLOCK_LENGTH);
            return true;
        }
        final long away = oracleTicks - MID_PRICE_TICKS;
        if (Math.abs(away) < MID_PRICE_TICKS * 3 / 200)
        {
            return false;
        }
        // 96% of the collateral as initial margin (5%) at the oracle price; filling at the book, inside the oracle,
        // costs nothing more.
        final long lotMicros = oracleTicks * market().tickLotValueMicros();
        final long lots = RISKY_DEPOSIT_MICROS * 96 / 100 * 20 / lotMicros;
        final Side side = away > 0 ? Side.BUY : Side.SELL;
        place.wrapAndApplyHeader(out, position, headerEncoder)
            .clientOrderId(++nextClientOrderId[account])
            .priceTicks(side == Side.BUY ? MID_PRICE_TICKS + PASSIVE_DEPTH_TICKS : MID_PRICE_TICKS - PASSIVE_DEPTH_TICKS)
            .sizeLots(lots)
            .account(account)
            .market(MARKET_ID)
            .side(side)
            .orderType(OrderType.LIMIT)
            .timeInForce(TimeInForce.IOC)
            .marginMode(account % 2 == 0 ? MarginMode.ISOLATED : MarginMode.CROSS)
            .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
            .flags().clear();
        commit(PlaceOrderEncoder.BLOCK_LENGTH);
        return true;
    }

    private void placeGtc()
    {
        if (random.nextInt(10) == 0)
        {
            final Side side = randomSide();
            final long price = side == Side.BUY ? MID_PRICE_TICKS + random.nextInt(1, 4) :
                MID_PRICE_TICKS - random.nextInt(1, 4);
            place(side, price, TimeInForce.GTC);
        }
        else
        {
            placePassive();
        }
    }

    private void placePassive()
    {
        final Side side = randomSide();
        final long offset = random.nextInt(1, PASSIVE_DEPTH_TICKS + 1);
        place(side, side == Side.BUY ? MID_PRICE_TICKS - offset : MID_PRICE_TICKS + offset, TimeInForce.GTC);
    }

    private void placeIoc()
    {
        final Side side = randomSide();
        final long reach = random.nextInt(1, 8);
        place(side, side == Side.BUY ? MID_PRICE_TICKS + reach : MID_PRICE_TICKS - reach, TimeInForce.IOC);
    }

    private void place(final Side side, final long priceTicks, final TimeInForce timeInForce)
    {
        final int account = 1 + random.nextInt(mix.accounts());
        place.wrapAndApplyHeader(out, position, headerEncoder)
            .clientOrderId(++nextClientOrderId[account])
            .priceTicks(priceTicks)
            .sizeLots(randomSize())
            .account(account)
            .market(MARKET_ID)
            .side(side)
            .orderType(OrderType.LIMIT)
            .timeInForce(timeInForce)
            .marginMode(account <= mix.accounts() * mix.isolatedShare() ? MarginMode.ISOLATED : MarginMode.CROSS)
            .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT)
            .flags().clear();
        commit(PlaceOrderEncoder.BLOCK_LENGTH);
    }

    private void cancelRandom()
    {
        if (live.isEmpty())
        {
            placePassive();
            return;
        }
        final LiveOrder order = live.get(random.nextInt(live.size()));
        cancel.wrapAndApplyHeader(out, position, headerEncoder)
            .account(order.account)
            .market(MARKET_ID)
            .orderId(CancelOrderEncoder.orderIdNullValue())
            .clientOrderId(order.clientOrderId);
        commit(CancelOrderEncoder.BLOCK_LENGTH);
    }

    private void amendRandom()
    {
        final LiveOrder order = live.get(random.nextInt(live.size()));
        long price = order.priceTicks;
        long size = order.filledLots + order.remainingLots;
        if (random.nextBoolean())
        {
            final long move = random.nextInt(-3, 4);
            price = order.side == Side.BUY ?
                Math.min(MID_PRICE_TICKS - 1, Math.max(MID_PRICE_TICKS - PASSIVE_DEPTH_TICKS, price + move)) :
                Math.max(MID_PRICE_TICKS + 1, Math.min(MID_PRICE_TICKS + PASSIVE_DEPTH_TICKS, price + move));
        }
        else
        {
            size = order.filledLots + Math.max(1, order.remainingLots + random.nextInt(-5, 4));
        }
        amend.wrapAndApplyHeader(out, position, headerEncoder)
            .account(order.account)
            .market(MARKET_ID)
            .orderId(AmendOrderEncoder.orderIdNullValue())
            .clientOrderId(order.clientOrderId)
            .priceTicks(price)
            .sizeLots(size);
        commit(AmendOrderEncoder.BLOCK_LENGTH);
    }

    private Side randomSide()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    private long randomSize()
    {
        return random.nextInt(1, 20);
    }

    private void commit(final int blockLength)
    {
        position += MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
        executeLast();
    }

    private void executeLast()
    {
        events.wrap(eventBuffer, 0);
        matcher.execute(++sequence, 0, out, lastStart, position - lastStart, events);
        count++;
        lastStart = position;
        follow(events.position());
    }

    private void follow(final int end)
    {
        int offset = 0;
        while (offset < end)
        {
            header.wrap(eventBuffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    accepted.wrap(eventBuffer, body, blockLength, version);
                    pendingTotalLots = accepted.sizeLots();
                    break;
                case OrderRestingDecoder.TEMPLATE_ID:
                    resting.wrap(eventBuffer, body, blockLength, version);
                    rest(resting.orderId(), resting.account(), resting.clientOrderId(), resting.side(),
                        resting.priceTicks(), resting.remainingLots());
                    break;
                case TradeDecoder.TEMPLATE_ID:
                    trade.wrap(eventBuffer, body, blockLength, version);
                    final LiveOrder maker = find(trade.makerOrderId());
                    maker.filledLots += trade.sizeLots();
                    maker.remainingLots = trade.makerRemainingLots();
                    if (maker.remainingLots == 0)
                    {
                        remove(maker.orderId);
                    }
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    canceled.wrap(eventBuffer, body, blockLength, version);
                    if (liveIndex.containsKey(canceled.orderId()))
                    {
                        remove(canceled.orderId());
                    }
                    break;
                case LiquidationStartedDecoder.TEMPLATE_ID:
                    liquidations += timed ? 1 : 0;
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    amended.wrap(eventBuffer, body, blockLength, version);
                    final LiveOrder order = find(amended.orderId());
                    if (amended.priorityKept() == BooleanType.TRUE)
                    {
                        order.remainingLots = amended.remainingLots();
                    }
                    else
                    {
                        pendingTotalLots = amended.sizeLots();
                        remove(order.orderId);
                    }
                    break;
                default:
                    break;
            }
            offset += MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        }
    }

    private void rest(
        final long orderId,
        final int account,
        final long clientOrderId,
        final Side side,
        final long priceTicks,
        final long remainingLots)
    {
        final LiveOrder order = new LiveOrder();
        order.orderId = orderId;
        order.account = account;
        order.clientOrderId = clientOrderId;
        order.side = side;
        order.priceTicks = priceTicks;
        order.remainingLots = remainingLots;
        order.filledLots = pendingTotalLots - remainingLots;
        liveIndex.put(orderId, live.size());
        live.add(order);
    }

    private LiveOrder find(final long orderId)
    {
        return live.get(liveIndex.get(orderId));
    }

    private void remove(final long orderId)
    {
        final int index = liveIndex.remove(orderId);
        final LiveOrder last = live.remove(live.size() - 1);
        if (index < live.size())
        {
            live.set(index, last);
            liveIndex.put(last.orderId, index);
        }
    }

    private static final class LiveOrder
    {
        long orderId;
        int account;
        long clientOrderId;
        Side side;
        long priceTicks;
        long filledLots;
        long remainingLots;
    }
}
