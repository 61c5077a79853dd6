package io.rollbook.matcher.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineFeeTierDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferDecoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.WithdrawDecoder;
import org.agrona.DirectBuffer;

/**
 * A second, deliberately plain implementation of docs/MATCHING.md, written from the page and not from the fast
 * book: a {@link TreeMap} of price to an {@link ArrayList} of orders per side, plain hash maps, straightforward
 * loops and every rule of the page as a visible line. The differential test runs it beside the fast
 * {@link Matcher} on seeded random streams and demands byte-identical events, so two independent readings of one
 * specification check each other.
 *
 * <p>Events go through the same {@link EventWriter} as the fast matcher's. The writer takes the fast book's
 * {@link Order} as its argument type; this class fills a scratch {@code Order} from its own {@link RefOrder} just
 * before each event and uses it for nothing else.
 *
 * <p>Where MATCHING.md leaves a detail open — the {@code detail} figure of a rejection, which ids a rejection
 * echoes, market definitions, malformed commands — this class follows docs/JSON.md, which pins those down.
 *
 * <p>Speed is no goal: it allocates freely. Single-threaded, like the matcher it mirrors.
 *
 * <p>Scope: the order book, and the money that moves with it — fees, the cash a fill moves (the buyer pays price x
 * size x tick-lot value, the seller receives it), deposits, withdrawals up to the free collateral of
 * docs/MARGIN.md. It does not model what only the risk engine does: the margin checks that reject orders
 * (initial margin, maximum position), fill validity, reduce-only and isolated orders, funding, isolated margin
 * transfers and liquidation. It writes no {@code position} events. A command it does not model throws
 * {@link UnsupportedOperationException}; streams for the differential test stay clear of them, with deposits large
 * enough that margin never binds. Extending it means adding position state to {@link RefAccount} and the events
 * the risk engine writes after trades; the differential comparison then grows to those events.
 */
public final class ReferenceMatcher
{
    static final byte FLAG_POST_ONLY = 1;
    static final byte FLAG_REDUCE_ONLY = 2;
    private static final int KNOWN_FLAGS = FLAG_POST_ONLY | FLAG_REDUCE_ONLY;

    private static final int NULL_MARKET = CommandRejectedEncoder.marketNullValue();
    private static final long NULL_ORDER_ID = CommandRejectedEncoder.orderIdNullValue();
    private static final long NULL_CLIENT_ORDER_ID = CommandRejectedEncoder.clientOrderIdNullValue();
    private static final short NULL_ENUM = 255;
    private static final long PPM = 1_000_000L;
    /** The engine's limit on one position's or order's notional: ten billion USDC. */
    private static final long MAX_NOTIONAL_MICROS = MarketSpec.MAX_NOTIONAL_MICROS;
    /** One trillion USDC: no deposit may take a balance beyond it. */
    private static final long MAX_BALANCE_MICROS = 1_000_000_000_000_000_000L;
    private static final int MAX_FEE_TIER = 255;
    private static final int MAX_FEE_PPM = 100_000;
    private static final int NULL_FEE_TIER = ConfigureAccountDecoder.feeTierNullValue();
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final int marketCapacity;
    private final int accountCapacity;
    private final int orderCapacity;
    private final int maxOpenOrdersPerAccount;
    /** Resting orders one incoming order may meet; {@link Integer#MAX_VALUE} for no limit. */
    private final int maxMakersPerTaker;
    private final int feeAccount;

    private final Map<Integer, RefMarket> markets = new TreeMap<>();
    private final Map<Integer, RefAccount> accounts = new HashMap<>();
    private final Map<Long, RefOrder> liveOrders = new HashMap<>();
    /** Fee tier to {maker rate, taker rate} in parts per million; tier 0 charges nothing until defined. */
    private final Map<Integer, int[]> feeTiers = new HashMap<>();
    private long lastSequence;
    private long lastOrderId;
    private long lastTradeId;
    /** All deposits less all withdrawals: the exchange-wide balance limit applies to it. */
    private long heldMicros;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PlaceOrderDecoder placeOrder = new PlaceOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final AmendOrderDecoder amendOrder = new AmendOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final OraclePriceDecoder oraclePrice = new OraclePriceDecoder();
    private final ConfigureAccountDecoder configureAccount = new ConfigureAccountDecoder();
    private final DefineMarketDecoder defineMarket = new DefineMarketDecoder();
    private final DefineFeeTierDecoder defineFeeTier = new DefineFeeTierDecoder();
    private final Order eventOrder = new Order();
    private final Order otherEventOrder = new Order();

    /** What a rejection of the command being executed echoes back. */
    private int commandTemplateId;
    private int commandAccount;
    private int commandMarket;
    private long commandOrderId;
    private long commandClientOrderId;
    private EventWriter events;

    public ReferenceMatcher(final Matcher.Context context)
    {
        this.marketCapacity = context.marketCapacity();
        this.accountCapacity = context.accountCapacity();
        this.orderCapacity = context.orderCapacity();
        this.maxOpenOrdersPerAccount = context.maxOpenOrdersPerAccount();
        this.maxMakersPerTaker = context.maxMakersPerTaker() == 0 ? Integer.MAX_VALUE : context.maxMakersPerTaker();
        this.feeAccount = context.feeAccount();
        feeTiers.put(0, new int[] {0, 0});
    }

    /**
     * Same contract as {@link Matcher#execute}.
     */
    public void execute(
        final long sequence,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final EventWriter events)
    {
        if (sequence != lastSequence + 1)
        {
            throw new IllegalStateException("sequence " + sequence + " does not follow " + lastSequence);
        }
        lastSequence = sequence;
        this.events = events;
        echo(0, 0, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            reject(RejectReason.MALFORMED_COMMAND, length);
            return;
        }
        header.wrap(buffer, offset);
        commandTemplateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int available = length - MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || blockLength > available)
        {
            reject(RejectReason.MALFORMED_COMMAND, length);
            return;
        }

        final int needed = blockLengthOf(commandTemplateId);
        if (needed < 0)
        {
            reject(RejectReason.UNKNOWN_COMMAND, commandTemplateId);
            return;
        }
        if (blockLength < needed)
        {
            reject(RejectReason.MALFORMED_COMMAND, length);
            return;
        }

        switch (commandTemplateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                place(placeOrder.wrap(buffer, body, blockLength, version));
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                cancel(cancelOrder.wrap(buffer, body, blockLength, version));
                break;
            case AmendOrderDecoder.TEMPLATE_ID:
                amend(amendOrder.wrap(buffer, body, blockLength, version));
                break;
            case MassCancelDecoder.TEMPLATE_ID:
                massCancel(massCancel.wrap(buffer, body, blockLength, version));
                break;
            case DepositDecoder.TEMPLATE_ID:
                deposit(deposit.wrap(buffer, body, blockLength, version));
                break;
            case WithdrawDecoder.TEMPLATE_ID:
                withdraw(withdraw.wrap(buffer, body, blockLength, version));
                break;
            case OraclePriceDecoder.TEMPLATE_ID:
                oracle(oraclePrice.wrap(buffer, body, blockLength, version));
                break;
            case ConfigureAccountDecoder.TEMPLATE_ID:
                configureAccount(configureAccount.wrap(buffer, body, blockLength, version));
                break;
            case DefineMarketDecoder.TEMPLATE_ID:
                defineMarket(defineMarket.wrap(buffer, body, blockLength, version), buffer, body);
                break;
            case DefineFeeTierDecoder.TEMPLATE_ID:
                defineFeeTier(defineFeeTier.wrap(buffer, body, blockLength, version));
                break;
            case FundingTickDecoder.TEMPLATE_ID:
            case IsolatedMarginTransferDecoder.TEMPLATE_ID:
                throw new UnsupportedOperationException("template " + commandTemplateId + " belongs to the risk " +
                    "engine, which the order-book reference does not model");
            default:
                throw new IllegalStateException("template " + commandTemplateId + " has a block length but no handler");
        }
    }

    /**
     * @return the best (highest) bid price of a market, or null when there is none or no such market
     */
    public Long bestBid(final int marketId)
    {
        final RefMarket market = markets.get(marketId);
        return market == null || market.bids.isEmpty() ? null : market.bids.firstKey();
    }

    /**
     * @return the best (lowest) ask price of a market, or null when there is none or no such market
     */
    public Long bestAsk(final int marketId)
    {
        final RefMarket market = markets.get(marketId);
        return market == null || market.asks.isEmpty() ? null : market.asks.firstKey();
    }

    /**
     * @return how many orders rest on the books
     */
    public int liveOrderCount()
    {
        return liveOrders.size();
    }

    private static int blockLengthOf(final int templateId)
    {
        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                return PlaceOrderDecoder.BLOCK_LENGTH;
            case CancelOrderDecoder.TEMPLATE_ID:
                return CancelOrderDecoder.BLOCK_LENGTH;
            case AmendOrderDecoder.TEMPLATE_ID:
                return AmendOrderDecoder.BLOCK_LENGTH;
            case MassCancelDecoder.TEMPLATE_ID:
                return MassCancelDecoder.BLOCK_LENGTH;
            case DepositDecoder.TEMPLATE_ID:
                return DepositDecoder.BLOCK_LENGTH;
            case WithdrawDecoder.TEMPLATE_ID:
                return WithdrawDecoder.BLOCK_LENGTH;
            case OraclePriceDecoder.TEMPLATE_ID:
                return OraclePriceDecoder.BLOCK_LENGTH;
            case ConfigureAccountDecoder.TEMPLATE_ID:
                return ConfigureAccountDecoder.BLOCK_LENGTH;
            case DefineMarketDecoder.TEMPLATE_ID:
                return DefineMarketDecoder.BLOCK_LENGTH;
            case DefineFeeTierDecoder.TEMPLATE_ID:
                return DefineFeeTierDecoder.BLOCK_LENGTH;
            case FundingTickDecoder.TEMPLATE_ID:
                return FundingTickDecoder.BLOCK_LENGTH;
            case IsolatedMarginTransferDecoder.TEMPLATE_ID:
                return IsolatedMarginTransferDecoder.BLOCK_LENGTH;
            default:
                return -1;
        }
    }

    private void place(final PlaceOrderDecoder command)
    {
        final long clientOrderId = command.clientOrderId();
        final long priceTicks = command.priceTicks();
        final long sizeLots = command.sizeLots();
        final int accountId = command.account();
        final int marketId = command.market();
        echo(PlaceOrderDecoder.TEMPLATE_ID, accountId, marketId, NULL_ORDER_ID, clientOrderId);

        final RefMarket market = markets.get(marketId);
        if (market == null)
        {
            reject(RejectReason.UNKNOWN_MARKET, 0);
            return;
        }
        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return;
        }
        final Side side = side(command.sideRaw());
        if (side == null)
        {
            reject(RejectReason.INVALID_SIDE, command.sideRaw());
            return;
        }
        final OrderType orderType = orderType(command.orderTypeRaw());
        if (orderType == null)
        {
            reject(RejectReason.INVALID_ORDER_TYPE, command.orderTypeRaw());
            return;
        }
        final TimeInForce timeInForce = timeInForce(command.timeInForceRaw());
        if (timeInForce == null)
        {
            reject(RejectReason.INVALID_TIME_IN_FORCE, command.timeInForceRaw());
            return;
        }
        final MarginMode marginMode = marginMode(command.marginModeRaw());
        if (marginMode == null)
        {
            reject(RejectReason.INVALID_MARGIN_MODE, command.marginModeRaw());
            return;
        }
        final SelfTradePrevention requestedStp = selfTradePrevention(command.selfTradePreventionRaw());
        if (requestedStp == null)
        {
            reject(RejectReason.INVALID_SELF_TRADE_PREVENTION, command.selfTradePreventionRaw());
            return;
        }
        final short flags = command.flags().getRaw();
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            reject(RejectReason.INVALID_FLAGS, flags);
            return;
        }
        if (!clientOrderIdIsValid(clientOrderId))
        {
            reject(RejectReason.INVALID_CLIENT_ORDER_ID, 0);
            return;
        }
        if (sizeLots <= 0)
        {
            reject(RejectReason.SIZE_NOT_POSITIVE, sizeLots);
            return;
        }
        if (sizeLots < market.minSizeLots)
        {
            reject(RejectReason.SIZE_BELOW_MINIMUM, market.minSizeLots);
            return;
        }
        if (sizeLots > market.maxOrderSizeLots)
        {
            reject(RejectReason.SIZE_ABOVE_MAXIMUM, market.maxOrderSizeLots);
            return;
        }
        final boolean isMarket = orderType == OrderType.MARKET;
        if (!isMarket && priceTicks <= 0)
        {
            reject(RejectReason.PRICE_NOT_POSITIVE, priceTicks);
            return;
        }
        if (isMarket && priceTicks < 0)
        {
            reject(RejectReason.PRICE_NOT_POSITIVE, priceTicks);
            return;
        }
        if (!isMarket && !notionalWithinLimit(priceTicks, sizeLots, market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM, priceTicks);
            return;
        }
        if (isMarket && timeInForce == TimeInForce.GTC)
        {
            reject(RejectReason.MARKET_ORDER_NOT_IMMEDIATE, 0);
            return;
        }
        final boolean postOnly = (flags & FLAG_POST_ONLY) != 0;
        if (postOnly && (isMarket || timeInForce != TimeInForce.GTC))
        {
            reject(RejectReason.POST_ONLY_NOT_GTC, 0);
            return;
        }
        final RefOrder sameClientId = liveOrderByClientId(accountId, clientOrderId);
        if (sameClientId != null)
        {
            reject(RejectReason.DUPLICATE_CLIENT_ORDER_ID, sameClientId.orderId);
            return;
        }
        if (market.oraclePriceTicks == 0)
        {
            reject(RejectReason.NO_ORACLE_PRICE, 0);
            return;
        }
        final long limitTicks = isMarket ? protectionPrice(market, side, priceTicks) : priceTicks;
        if (isMarket && !notionalWithinLimit(limitTicks, sizeLots, market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM, limitTicks);
            return;
        }
        if (!sideWithinLimit(accountId, marketId, side, limitTicks, sizeLots, null, market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM, limitTicks);
            return;
        }
        if (marginMode != MarginMode.CROSS || (flags & FLAG_REDUCE_ONLY) != 0)
        {
            throw new UnsupportedOperationException("isolated and reduce-only orders belong to the risk engine, " +
                "which the order-book reference does not model");
        }
        if (timeInForce == TimeInForce.GTC && account(accountId).liveOrders.size() >= maxOpenOrdersPerAccount)
        {
            reject(RejectReason.TOO_MANY_OPEN_ORDERS, maxOpenOrdersPerAccount);
            return;
        }
        if (timeInForce == TimeInForce.GTC && liveOrders.size() >= orderCapacity)
        {
            reject(RejectReason.ORDER_CAPACITY_EXHAUSTED, orderCapacity);
            return;
        }
        final TreeMap<Long, List<RefOrder>> opposite = market.opposite(side);
        if (postOnly && !opposite.isEmpty() && crosses(side, opposite.firstKey(), priceTicks))
        {
            reject(RejectReason.POST_ONLY_WOULD_CROSS, opposite.firstKey());
            return;
        }
        final SelfTradePrevention stp = requestedStp == SelfTradePrevention.ACCOUNT_DEFAULT ?
            account(accountId).defaultSelfTradePrevention : requestedStp;
        if (timeInForce == TimeInForce.FOK)
        {
            final long fillable = fillableLots(opposite, side, limitTicks, accountId, stp, sizeLots, maxMakersPerTaker);
            if (fillable < sizeLots)
            {
                reject(RejectReason.FOK_NOT_FILLABLE, fillable);
                return;
            }
        }
        // The last checks, maximum position and initial margin, are the risk engine's; the streams never fail them.

        final RefOrder order = new RefOrder(++lastOrderId, clientOrderId, accountId, marketId, side, orderType,
            timeInForce, marginMode, stp, (byte)flags, limitTicks, sizeLots);
        events.accepted(eventOrder(eventOrder, order));

        final MatchStop stop = match(market, order);
        if (order.openLots() == 0)
        {
            return;
        }
        if (stop == MatchStop.SELF_TRADE)
        {
            events.canceled(eventOrder(eventOrder, order), order.openLots(), CancelReason.SELF_TRADE_PREVENTION, false);
        }
        else if (stop == MatchStop.MAKERS)
        {
            events.canceled(eventOrder(eventOrder, order), order.openLots(), CancelReason.MATCH_LIMIT, false);
        }
        else if (isMarket)
        {
            final CancelReason reason = stop == MatchStop.PRICE ?
                CancelReason.PRICE_PROTECTION : CancelReason.IOC_REMAINDER;
            events.canceled(eventOrder(eventOrder, order), order.openLots(), reason, false);
        }
        else if (timeInForce == TimeInForce.GTC)
        {
            rest(market, order);
            liveOrders.put(order.orderId, order);
            account(accountId).liveOrders.put(order.orderId, order);
            events.resting(eventOrder(eventOrder, order));
        }
        else
        {
            events.canceled(eventOrder(eventOrder, order), order.openLots(), CancelReason.IOC_REMAINDER, false);
        }
    }

    /**
     * Market orders trade no further than {@code floor(P * (1 + b))} (buy) or {@code ceil(P * (1 - b))} (sell, at
     * least one tick) from the oracle price {@code P}; a worst price of the client's own tightens that.
     */
    private static long protectionPrice(final RefMarket market, final Side side, final long worstPriceTicks)
    {
        final BigInteger oracle = BigInteger.valueOf(market.oraclePriceTicks);
        final BigInteger ppm = BigInteger.valueOf(PPM);
        long protection;
        if (side == Side.BUY)
        {
            final BigInteger floor = oracle.multiply(BigInteger.valueOf(PPM + market.marketOrderBandPpm)).divide(ppm);
            protection = floor.min(LONG_MAX).longValueExact();
            if (worstPriceTicks > 0)
            {
                protection = Math.min(protection, worstPriceTicks);
            }
        }
        else
        {
            final BigInteger numerator = oracle.multiply(BigInteger.valueOf(PPM - market.marketOrderBandPpm));
            final BigInteger ceil = numerator.add(ppm).subtract(BigInteger.ONE).divide(ppm);
            protection = Math.max(1, ceil.longValueExact());
            if (worstPriceTicks > 0)
            {
                protection = Math.max(protection, worstPriceTicks);
            }
        }

        return protection;
    }

    /**
     * What a fill-or-kill order could trade now: resting orders in priority order while they cross, counting
     * only what its self-trade prevention mode would let it trade, and no more of them than it may meet.
     */
    private static long fillableLots(
        final TreeMap<Long, List<RefOrder>> opposite,
        final Side side,
        final long limitTicks,
        final int account,
        final SelfTradePrevention stp,
        final long wantedLots,
        final int maxMakers)
    {
        long fillable = 0;
        int met = 0;
        for (final Map.Entry<Long, List<RefOrder>> level : opposite.entrySet())
        {
            if (!crosses(side, level.getKey(), limitTicks))
            {
                return fillable;
            }
            for (final RefOrder maker : level.getValue())
            {
                if (met++ == maxMakers)
                {
                    return fillable;
                }
                if (maker.account == account)
                {
                    if (stp == SelfTradePrevention.EXPIRE_MAKER)
                    {
                        continue;
                    }
                    return fillable;
                }
                fillable += maker.openLots();
                if (fillable >= wantedLots)
                {
                    return fillable;
                }
            }
        }

        return fillable;
    }

    private enum MatchStop
    {
        /** The taker has nothing left open, or the opposite side ran out. */
        FILLED_OR_EMPTY,
        /** The next resting price does not cross the taker's limit (or protection) price. */
        PRICE,
        /** Self-trade prevention expired the taker. */
        SELF_TRADE,
        /** The taker met as many resting orders as it may, and the next one crosses. */
        MAKERS
    }

    /**
     * Trades the taker against the opposite side, best price first and oldest first within a price, until it is
     * filled, the book runs out, a price no longer crosses, or self-trade prevention stops it.
     */
    private MatchStop match(final RefMarket market, final RefOrder taker)
    {
        final TreeMap<Long, List<RefOrder>> opposite = market.opposite(taker.side);
        int met = 0;
        while (taker.openLots() > 0)
        {
            if (opposite.isEmpty())
            {
                return MatchStop.FILLED_OR_EMPTY;
            }
            final long levelPrice = opposite.firstKey();
            if (!crosses(taker.side, levelPrice, taker.priceTicks))
            {
                return MatchStop.PRICE;
            }
            final RefOrder maker = opposite.get(levelPrice).get(0);
            if (met++ == maxMakersPerTaker)
            {
                return MatchStop.MAKERS;
            }

            if (maker.account == taker.account)
            {
                switch (taker.selfTradePrevention)
                {
                    case EXPIRE_TAKER:
                        return MatchStop.SELF_TRADE;
                    case EXPIRE_MAKER:
                        cancelResting(maker, CancelReason.SELF_TRADE_PREVENTION);
                        continue;
                    case EXPIRE_BOTH:
                        cancelResting(maker, CancelReason.SELF_TRADE_PREVENTION);
                        return MatchStop.SELF_TRADE;
                    default:
                        throw new IllegalStateException("unresolved self-trade prevention on " + taker);
                }
            }

            final long tradeLots = Math.min(taker.openLots(), maker.openLots());
            maker.filledLots += tradeLots;
            taker.filledLots += tradeLots;
            final long notionalMicros = Math.multiplyExact(Math.multiplyExact(levelPrice, tradeLots),
                market.tickLotValueMicros);
            final long takerFeeMicros = takerFee(notionalMicros, feeTiers.get(account(taker.account).feeTier)[1]);
            final long makerFeeMicros = Math.max(
                makerFee(notionalMicros, feeTiers.get(account(maker.account).feeTier)[0]), -takerFeeMicros);
            final RefAccount buyer = account(taker.side == Side.BUY ? taker.account : maker.account);
            final RefAccount seller = account(taker.side == Side.BUY ? maker.account : taker.account);
            buyer.collateralMicros -= notionalMicros;
            seller.collateralMicros += notionalMicros;
            buyer.positions.merge(taker.market, tradeLots, Long::sum);
            seller.positions.merge(taker.market, -tradeLots, Long::sum);
            account(maker.account).collateralMicros -= makerFeeMicros;
            account(taker.account).collateralMicros -= takerFeeMicros;
            final RefAccount fees = account(feeAccount);
            fees.collateralMicros += makerFeeMicros + takerFeeMicros;
            events.trade(++lastTradeId, eventOrder(eventOrder, maker), eventOrder(otherEventOrder, taker), levelPrice,
                tradeLots, makerFeeMicros, takerFeeMicros);
            if (makerFeeMicros + takerFeeMicros != 0)
            {
                events.balanceChanged(feeAccount, makerFeeMicros + takerFeeMicros, fees.collateralMicros,
                    BalanceCause.FEES);
            }
            if (maker.openLots() == 0)
            {
                removeLive(maker);
            }
        }

        return MatchStop.FILLED_OR_EMPTY;
    }

    /**
     * @return true if a resting order at {@code restingPriceTicks} trades with a taker on {@code takerSide} whose
     * limit is {@code limitTicks}
     */
    private static boolean crosses(final Side takerSide, final long restingPriceTicks, final long limitTicks)
    {
        return takerSide == Side.BUY ? restingPriceTicks <= limitTicks : restingPriceTicks >= limitTicks;
    }

    private static void rest(final RefMarket market, final RefOrder order)
    {
        market.own(order.side).computeIfAbsent(order.priceTicks, price -> new ArrayList<>()).add(order);
    }

    private static void unrest(final RefMarket market, final RefOrder order)
    {
        final TreeMap<Long, List<RefOrder>> side = market.own(order.side);
        final List<RefOrder> level = side.get(order.priceTicks);
        if (level == null || !level.remove(order))
        {
            throw new IllegalStateException(order + " is not on the book");
        }
        if (level.isEmpty())
        {
            side.remove(order.priceTicks);
        }
    }

    /** Takes a resting order off its book and out of every registry: filled, or about to be reported canceled. */
    private void removeLive(final RefOrder order)
    {
        unrest(markets.get(order.market), order);
        liveOrders.remove(order.orderId);
        account(order.account).liveOrders.remove(order.orderId);
    }

    private void cancelResting(final RefOrder order, final CancelReason reason)
    {
        final long openLots = order.openLots();
        removeLive(order);
        events.canceled(eventOrder(eventOrder, order), openLots, reason, true);
    }

    private void cancel(final CancelOrderDecoder command)
    {
        final int accountId = command.account();
        final int marketId = command.market();
        echo(CancelOrderDecoder.TEMPLATE_ID, accountId, marketId, command.orderId(), command.clientOrderId());

        final RefOrder order = findOrder(accountId, command.orderId(), command.clientOrderId(), marketId);
        if (order == null)
        {
            return;
        }
        cancelResting(order, CancelReason.USER);
    }

    /**
     * The checks cancel and amend share: account in range, an id given, the order live and this account's, and
     * in the market named if one is. Emits the rejection and returns null when one fails.
     */
    private RefOrder findOrder(final int accountId, final long orderId, final long clientOrderId, final int marketId)
    {
        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return null;
        }
        final RefOrder order;
        if (orderId != NULL_ORDER_ID)
        {
            final RefOrder byId = liveOrders.get(orderId);
            order = byId != null && byId.account == accountId ? byId : null;
        }
        else if (clientOrderId != NULL_CLIENT_ORDER_ID)
        {
            order = liveOrderByClientId(accountId, clientOrderId);
        }
        else
        {
            reject(RejectReason.NO_ORDER_ID_GIVEN, 0);
            return null;
        }
        if (order == null)
        {
            reject(RejectReason.UNKNOWN_ORDER, 0);
            return null;
        }
        if (marketId != NULL_MARKET && marketId != order.market)
        {
            reject(RejectReason.MARKET_MISMATCH, order.market);
            return null;
        }
        echo(commandTemplateId, accountId, order.market, order.orderId, order.clientOrderId);

        return order;
    }

    /**
     * @return true if the account's open orders on one side of the market, with {@code replaced} (null for none)
     * at {@code priceTicks} x {@code lots} instead, are worth at most the engine's notional limit at their prices
     */
    private boolean sideWithinLimit(
        final int accountId,
        final int marketId,
        final Side side,
        final long priceTicks,
        final long lots,
        final RefOrder replaced,
        final long tickLotValueMicros)
    {
        BigInteger total = BigInteger.valueOf(priceTicks).multiply(BigInteger.valueOf(lots));
        for (final RefOrder order : account(accountId).liveOrders.values())
        {
            if (order != replaced && order.market == marketId && order.side == side)
            {
                total = total.add(BigInteger.valueOf(order.priceTicks).multiply(BigInteger.valueOf(order.openLots())));
            }
        }
        return total.multiply(BigInteger.valueOf(tickLotValueMicros)).compareTo(
            BigInteger.valueOf(MAX_NOTIONAL_MICROS)) <= 0;
    }

    private void amend(final AmendOrderDecoder command)
    {
        final int accountId = command.account();
        final int marketId = command.market();
        final long priceTicks = command.priceTicks();
        final long sizeLots = command.sizeLots();
        echo(AmendOrderDecoder.TEMPLATE_ID, accountId, marketId, command.orderId(), command.clientOrderId());

        final RefOrder order = findOrder(accountId, command.orderId(), command.clientOrderId(), marketId);
        if (order == null)
        {
            return;
        }
        final RefMarket market = markets.get(order.market);
        if (priceTicks <= 0)
        {
            reject(RejectReason.PRICE_NOT_POSITIVE, priceTicks);
            return;
        }
        if (sizeLots <= 0)
        {
            reject(RejectReason.SIZE_NOT_POSITIVE, sizeLots);
            return;
        }
        if (sizeLots < market.minSizeLots)
        {
            reject(RejectReason.SIZE_BELOW_MINIMUM, market.minSizeLots);
            return;
        }
        if (sizeLots > market.maxOrderSizeLots)
        {
            reject(RejectReason.SIZE_ABOVE_MAXIMUM, market.maxOrderSizeLots);
            return;
        }
        if (!notionalWithinLimit(priceTicks, sizeLots, market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM, priceTicks);
            return;
        }
        if (sizeLots <= order.filledLots)
        {
            reject(RejectReason.AMEND_SIZE_NOT_ABOVE_FILLED, order.filledLots);
            return;
        }
        if (!sideWithinLimit(accountId, order.market, order.side, priceTicks, sizeLots - order.filledLots, order,
            market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM, priceTicks);
            return;
        }
        final TreeMap<Long, List<RefOrder>> opposite = market.opposite(order.side);
        if (order.isPostOnly() && !opposite.isEmpty() && crosses(order.side, opposite.firstKey(), priceTicks))
        {
            reject(RejectReason.POST_ONLY_WOULD_CROSS, opposite.firstKey());
            return;
        }

        final long oldPriceTicks = order.priceTicks;
        final long oldOpenLots = order.openLots();
        final long newOpenLots = sizeLots - order.filledLots;
        if (priceTicks == oldPriceTicks && newOpenLots <= oldOpenLots)
        {
            order.sizeLots = sizeLots;
            events.amended(eventOrder(eventOrder, order), oldPriceTicks, oldOpenLots, true);
            return;
        }

        unrest(market, order);
        order.priceTicks = priceTicks;
        order.sizeLots = sizeLots;
        events.amended(eventOrder(eventOrder, order), oldPriceTicks, oldOpenLots, false);
        final MatchStop stop = match(market, order);
        if (order.openLots() == 0)
        {
            liveOrders.remove(order.orderId);
            account(order.account).liveOrders.remove(order.orderId);
        }
        else if (stop == MatchStop.SELF_TRADE || stop == MatchStop.MAKERS)
        {
            liveOrders.remove(order.orderId);
            account(order.account).liveOrders.remove(order.orderId);
            events.canceled(eventOrder(eventOrder, order), order.openLots(), stop == MatchStop.SELF_TRADE ?
                CancelReason.SELF_TRADE_PREVENTION : CancelReason.MATCH_LIMIT, false);
        }
        else
        {
            rest(market, order);
            events.resting(eventOrder(eventOrder, order));
        }
    }

    private void massCancel(final MassCancelDecoder command)
    {
        final int accountId = command.account();
        final int marketId = command.market();
        final short sideRaw = command.sideRaw();
        final short triggerRaw = command.triggerRaw();
        echo(MassCancelDecoder.TEMPLATE_ID, accountId, marketId, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return;
        }
        if (marketId != NULL_MARKET && !markets.containsKey(marketId))
        {
            reject(RejectReason.UNKNOWN_MARKET, 0);
            return;
        }
        final Side side = sideRaw == NULL_ENUM ? Side.NULL_VAL : side(sideRaw);
        if (side == null)
        {
            reject(RejectReason.INVALID_SIDE, sideRaw);
            return;
        }
        final MassCancelTrigger trigger = trigger(triggerRaw);
        if (trigger == null)
        {
            reject(RejectReason.INVALID_MASS_CANCEL_TRIGGER, triggerRaw);
            return;
        }
        final CancelReason reason;
        switch (trigger)
        {
            case DISCONNECT:
                reason = CancelReason.CANCEL_ON_DISCONNECT;
                break;
            case DEAD_MAN_TIMER:
                reason = CancelReason.DEAD_MAN_TIMER;
                break;
            default:
                reason = CancelReason.MASS_CANCEL;
        }

        final List<RefOrder> victims = new ArrayList<>();
        for (final RefOrder order : account(accountId).liveOrders.values())
        {
            final boolean marketMatches = marketId == NULL_MARKET || order.market == marketId;
            final boolean sideMatches = side == Side.NULL_VAL || order.side == side;
            if (marketMatches && sideMatches)
            {
                victims.add(order);
            }
        }
        victims.sort((a, b) -> Long.compare(a.orderId, b.orderId));
        for (final RefOrder order : victims)
        {
            cancelResting(order, reason);
        }
        events.massCanceled(accountId, marketId, side, victims.size(), trigger);
    }

    private void deposit(final DepositDecoder command)
    {
        final int accountId = command.account();
        final long amountMicros = command.amountMicros();
        echo(DepositDecoder.TEMPLATE_ID, accountId, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return;
        }
        if (amountMicros <= 0)
        {
            reject(RejectReason.AMOUNT_NOT_POSITIVE, amountMicros);
            return;
        }
        final RefAccount account = account(accountId);
        final long room = Math.min(MAX_BALANCE_MICROS - Math.max(0, heldMicros),
            MAX_BALANCE_MICROS - Math.max(0, account.collateralMicros));
        if (amountMicros > room)
        {
            reject(RejectReason.AMOUNT_TOO_LARGE, room);
            return;
        }
        heldMicros += amountMicros;
        account.collateralMicros += amountMicros;
        events.balanceChanged(accountId, amountMicros, account.collateralMicros, BalanceCause.DEPOSIT);
    }

    private void withdraw(final WithdrawDecoder command)
    {
        final int accountId = command.account();
        final long amountMicros = command.amountMicros();
        echo(WithdrawDecoder.TEMPLATE_ID, accountId, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return;
        }
        if (amountMicros <= 0)
        {
            reject(RejectReason.AMOUNT_NOT_POSITIVE, amountMicros);
            return;
        }
        final RefAccount account = account(accountId);
        final long freeCollateralMicros = freeCollateral(accountId);
        if (amountMicros > freeCollateralMicros)
        {
            reject(RejectReason.WITHDRAWAL_EXCEEDS_FREE_COLLATERAL, freeCollateralMicros);
            return;
        }
        heldMicros -= amountMicros;
        account.collateralMicros -= amountMicros;
        events.balanceChanged(accountId, -amountMicros, account.collateralMicros, BalanceCause.WITHDRAWAL);
    }

    private void oracle(final OraclePriceDecoder command)
    {
        final int marketId = command.market();
        final long priceTicks = command.priceTicks();
        echo(OraclePriceDecoder.TEMPLATE_ID, 0, marketId, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        final RefMarket market = markets.get(marketId);
        if (market == null)
        {
            reject(RejectReason.UNKNOWN_MARKET, 0);
            return;
        }
        if (priceTicks <= 0)
        {
            reject(RejectReason.PRICE_NOT_POSITIVE, priceTicks);
            return;
        }
        if (!notionalWithinLimit(priceTicks, market.maxPositionLots, market.tickLotValueMicros))
        {
            reject(RejectReason.PRICE_ABOVE_MAXIMUM,
                MAX_NOTIONAL_MICROS / Math.multiplyExact(market.maxPositionLots, market.tickLotValueMicros));
            return;
        }
        market.oraclePriceTicks = priceTicks;
        events.oracleUpdated(marketId, priceTicks);
    }

    private void configureAccount(final ConfigureAccountDecoder command)
    {
        final int accountId = command.account();
        final short stpRaw = command.selfTradePreventionRaw();
        final int feeTier = command.feeTier();
        echo(ConfigureAccountDecoder.TEMPLATE_ID, accountId, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (!accountInRange(accountId))
        {
            reject(RejectReason.ACCOUNT_OUT_OF_RANGE, accountCapacity - 1);
            return;
        }
        final SelfTradePrevention mode = stpRaw == NULL_ENUM ? null : selfTradePrevention(stpRaw);
        if (stpRaw != NULL_ENUM && (mode == null || mode == SelfTradePrevention.ACCOUNT_DEFAULT))
        {
            reject(RejectReason.INVALID_SELF_TRADE_PREVENTION, stpRaw);
            return;
        }
        if (feeTier != NULL_FEE_TIER && !feeTiers.containsKey(feeTier))
        {
            reject(RejectReason.UNKNOWN_FEE_TIER, feeTier);
            return;
        }
        final RefAccount account = account(accountId);
        if (mode != null)
        {
            account.defaultSelfTradePrevention = mode;
        }
        if (feeTier != NULL_FEE_TIER)
        {
            account.feeTier = feeTier;
        }
        events.accountConfigured(accountId, account.feeTier, account.defaultSelfTradePrevention);
    }

    private void defineFeeTier(final DefineFeeTierDecoder command)
    {
        final int tier = command.tier();
        final int makerPpm = command.makerFeePpm();
        final int takerPpm = command.takerFeePpm();
        echo(DefineFeeTierDecoder.TEMPLATE_ID, 0, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        final boolean valid = tier >= 0 && tier <= MAX_FEE_TIER &&
            takerPpm >= 0 && takerPpm <= MAX_FEE_PPM &&
            makerPpm <= MAX_FEE_PPM && makerPpm >= -takerPpm;
        if (!valid)
        {
            reject(RejectReason.INVALID_FEE_TIER, tier);
            return;
        }
        feeTiers.put(tier, new int[] {makerPpm, takerPpm});
        events.feeTierDefined(tier, makerPpm, takerPpm);
    }

    private void defineMarket(final DefineMarketDecoder command, final DirectBuffer buffer, final int body)
    {
        final int marketId = command.market();
        echo(DefineMarketDecoder.TEMPLATE_ID, 0, marketId, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID);

        if (marketId <= 0)
        {
            reject(RejectReason.INVALID_MARKET_DEFINITION, marketCapacity - 1);
            return;
        }
        if (marketId >= marketCapacity)
        {
            reject(RejectReason.MARKET_CAPACITY_EXHAUSTED, marketCapacity - 1);
            return;
        }
        if (markets.containsKey(marketId))
        {
            reject(RejectReason.MARKET_ALREADY_DEFINED, 0);
            return;
        }
        final long tickLotValueMicros = tickLotValueMicros(command.tickSizeMantissa(), command.tickSizeExponent(),
            command.lotSizeMantissa(), command.lotSizeExponent());
        final String symbol = command.symbol();
        boolean symbolTaken = false;
        for (final RefMarket market : markets.values())
        {
            symbolTaken |= market.symbol.equals(symbol);
        }
        final long maxPositionLots = command.maxPositionLots();
        final int initialPpm = command.initialMarginPpm();
        final int maintenancePpm = command.maintenanceMarginPpm();
        final int incrementalPpm = command.incrementalInitialMarginPpm();
        final boolean valid = symbolIsValid(command) &&
            !symbolTaken &&
            tickLotValueMicros > 0 &&
            command.minSizeLots() > 0 &&
            command.maxOrderSizeLots() >= command.minSizeLots() &&
            command.marketOrderBandPpm() > 0 &&
            command.marketOrderBandPpm() < PPM &&
            maintenancePpm > 0 &&
            maintenancePpm < initialPpm &&
            initialPpm <= PPM &&
            incrementalPpm >= 0 &&
            incrementalPpm <= PPM &&
            command.baselinePositionLots() >= 0 &&
            command.incrementalPositionLots() > 0 &&
            maxPositionLots >= command.maxOrderSizeLots() &&
            maxPositionLots <= MAX_NOTIONAL_MICROS / tickLotValueMicros;
        if (!valid)
        {
            reject(RejectReason.INVALID_MARKET_DEFINITION, 0);
            return;
        }

        markets.put(marketId, new RefMarket(symbol, command.minSizeLots(), command.maxOrderSizeLots(),
            command.marketOrderBandPpm(), tickLotValueMicros, maxPositionLots, command.baselinePositionLots(),
            command.incrementalPositionLots(), initialPpm, incrementalPpm));
        events.marketDefined(marketId, command.tickSizeMantissa(), command.tickSizeExponent(),
            command.lotSizeMantissa(), command.lotSizeExponent(), command.minSizeLots(), command.maxOrderSizeLots(),
            command.marketOrderBandPpm(), command.baselinePositionLots(), command.incrementalPositionLots(),
            maxPositionLots, initialPpm, maintenancePpm, incrementalPpm, buffer,
            body + DefineMarketDecoder.symbolEncodingOffset());
    }

    /** As MarketSpec demands: 1 to 16 of A-Z 0-9 _ / - starting with a letter or digit, then NUL padding. */
    private static boolean symbolIsValid(final DefineMarketDecoder command)
    {
        int length = 0;
        while (length < DefineMarketDecoder.symbolLength() && command.symbol(length) != 0)
        {
            length++;
        }
        if (length == 0)
        {
            return false;
        }
        for (int i = length; i < DefineMarketDecoder.symbolLength(); i++)
        {
            if (command.symbol(i) != 0)
            {
                return false;
            }
        }
        for (int i = 0; i < length; i++)
        {
            final char c = (char)command.symbol(i);
            final boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '_' && c != '/' && c != '-')))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * @return tick x lot in micro-USDC when that is a positive whole number that fits in a long, else -1
     */
    static long tickLotValueMicros(
        final long tickMantissa, final int tickExponent, final long lotMantissa, final int lotExponent)
    {
        if (tickMantissa <= 0 || lotMantissa <= 0)
        {
            return -1;
        }
        final BigDecimal tick = new BigDecimal(BigInteger.valueOf(tickMantissa), -tickExponent);
        final BigDecimal lot = new BigDecimal(BigInteger.valueOf(lotMantissa), -lotExponent);
        final BigDecimal micros = tick.multiply(lot).movePointRight(6);
        final BigDecimal whole = micros.setScale(0, RoundingMode.DOWN);
        if (micros.compareTo(whole) != 0 || whole.signum() <= 0 || whole.compareTo(new BigDecimal(LONG_MAX)) > 0)
        {
            return -1;
        }

        return whole.longValueExact();
    }

    private boolean accountInRange(final int accountId)
    {
        return accountId >= 1 && accountId < accountCapacity;
    }

    private RefAccount account(final int accountId)
    {
        return accounts.computeIfAbsent(accountId, id -> new RefAccount());
    }

    private RefOrder liveOrderByClientId(final int accountId, final long clientOrderId)
    {
        final RefAccount account = accounts.get(accountId);
        if (account == null)
        {
            return null;
        }
        for (final RefOrder order : account.liveOrders.values())
        {
            if (order.clientOrderId == clientOrderId)
            {
                return order;
            }
        }

        return null;
    }

    /**
     * A number from 0 up, or a string of 1 to 8 printable ASCII characters ({@code '!'} to {@code '~'}) packed
     * 7 bits a character behind the sign bit, first character highest, unused characters zero at the end.
     */
    private static boolean clientOrderIdIsValid(final long clientOrderId)
    {
        if (clientOrderId >= 0)
        {
            return true;
        }
        int length = 0;
        boolean ended = false;
        for (int i = 0; i < 8; i++)
        {
            final int c = (int)((clientOrderId >>> (49 - 7 * i)) & 0x7F);
            if (c == 0)
            {
                ended = true;
            }
            else if (ended || c < '!' || c > '~')
            {
                return false;
            }
            else
            {
                length++;
            }
        }

        return length > 0;
    }

    /**
     * @return true if price x size x tick-lot value is at most the engine's notional limit
     */
    private static boolean notionalWithinLimit(
        final long priceTicks, final long sizeLots, final long tickLotValueMicros)
    {
        final BigInteger notional = BigInteger.valueOf(priceTicks)
            .multiply(BigInteger.valueOf(sizeLots))
            .multiply(BigInteger.valueOf(tickLotValueMicros))
            .abs();
        return notional.compareTo(BigInteger.valueOf(MAX_NOTIONAL_MICROS)) <= 0;
    }

    /** The taker pays {@code ceil(notional x rate)}: rounding favours the venue. */
    private static long takerFee(final long notionalMicros, final int takerPpm)
    {
        return ceilDiv(BigInteger.valueOf(notionalMicros).multiply(BigInteger.valueOf(takerPpm)));
    }

    /**
     * The maker pays {@code ceil(notional x rate)}, or for a rebate receives {@code floor(notional x |rate|)}; the
     * caller caps a rebate at the taker's fee of the same fill.
     */
    private static long makerFee(final long notionalMicros, final int makerPpm)
    {
        if (makerPpm >= 0)
        {
            return ceilDiv(BigInteger.valueOf(notionalMicros).multiply(BigInteger.valueOf(makerPpm)));
        }
        return -BigInteger.valueOf(notionalMicros).multiply(BigInteger.valueOf(-makerPpm))
            .divide(BigInteger.valueOf(PPM)).longValueExact();
    }

    /**
     * @return {@code ceil(value / 1e6)} for a value >= 0
     */
    private static long ceilDiv(final BigInteger partsPerMillion)
    {
        return partsPerMillion.add(BigInteger.valueOf(PPM - 1)).divide(BigInteger.valueOf(PPM)).longValueExact();
    }

    /**
     * The free cross collateral of docs/MARGIN.md: equity (collateral plus every position at the oracle price)
     * less the worst-case initial requirement, which for each market is the worse of "every open buy fills at its
     * limit" and "every open sell fills at its limit": the initial margin of the resulting position plus what
     * filling at the limit prices costs against the oracle price, plus the fee those fills can pay at the highest
     * rate of the account's tier (a rebate counts as nothing).
     */
    private long freeCollateral(final int accountId)
    {
        final RefAccount account = account(accountId);
        final int[] tier = feeTiers.get(account.feeTier);
        final BigInteger feePpm = BigInteger.valueOf(Math.max(0, Math.max(tier[0], tier[1])));
        BigInteger equity = BigInteger.valueOf(account.collateralMicros);
        BigInteger requirement = BigInteger.ZERO;
        for (final Map.Entry<Integer, RefMarket> entry : markets.entrySet())
        {
            final int marketId = entry.getKey();
            final RefMarket market = entry.getValue();
            final long position = account.positions.getOrDefault(marketId, 0L);
            long buyLots = 0;
            long sellLots = 0;
            BigInteger buyNotional = BigInteger.ZERO;
            BigInteger sellNotional = BigInteger.ZERO;
            for (final RefOrder order : account.liveOrders.values())
            {
                if (order.market != marketId)
                {
                    continue;
                }
                final BigInteger notional = BigInteger.valueOf(order.priceTicks)
                    .multiply(BigInteger.valueOf(order.openLots()))
                    .multiply(BigInteger.valueOf(market.tickLotValueMicros));
                if (order.side == Side.BUY)
                {
                    buyLots += order.openLots();
                    buyNotional = buyNotional.add(notional);
                }
                else
                {
                    sellLots += order.openLots();
                    sellNotional = sellNotional.add(notional);
                }
            }
            if (position == 0 && buyLots == 0 && sellLots == 0)
            {
                continue;
            }
            final BigInteger oracleValue = BigInteger.valueOf(market.oraclePriceTicks)
                .multiply(BigInteger.valueOf(market.tickLotValueMicros));
            equity = equity.add(oracleValue.multiply(BigInteger.valueOf(position)));
            final BigInteger buysFill = initialMargin(market, position + buyLots)
                .add(buyNotional.subtract(oracleValue.multiply(BigInteger.valueOf(buyLots))).max(BigInteger.ZERO))
                .add(BigInteger.valueOf(ceilDiv(buyNotional.multiply(feePpm))));
            final BigInteger sellsFill = initialMargin(market, position - sellLots)
                .add(oracleValue.multiply(BigInteger.valueOf(sellLots)).subtract(sellNotional).max(BigInteger.ZERO))
                .add(BigInteger.valueOf(ceilDiv(sellNotional.multiply(feePpm))));
            requirement = requirement.add(buysFill.max(sellsFill));
        }

        return equity.subtract(requirement).longValueExact();
    }

    /**
     * {@code ceil(|S x P x v| x I(S))} with the tiered fraction {@code I(S) = I0 + ceil((|S| - B) / D) x d} beyond
     * the baseline {@code B}, at most 1.
     */
    private static BigInteger initialMargin(final RefMarket market, final long positionLots)
    {
        final long size = Math.abs(positionLots);
        long fractionPpm = market.initialMarginPpm;
        if (size > market.baselinePositionLots)
        {
            final long steps = (size - market.baselinePositionLots + market.incrementalPositionLots - 1) /
                market.incrementalPositionLots;
            fractionPpm = Math.min(PPM, fractionPpm + steps * market.incrementalInitialMarginPpm);
        }
        final BigInteger notional = BigInteger.valueOf(size).multiply(BigInteger.valueOf(market.oraclePriceTicks))
            .multiply(BigInteger.valueOf(market.tickLotValueMicros));
        return notional.multiply(BigInteger.valueOf(fractionPpm)).add(BigInteger.valueOf(PPM - 1))
            .divide(BigInteger.valueOf(PPM));
    }

    private void echo(
        final int templateId, final int account, final int market, final long orderId, final long clientOrderId)
    {
        commandTemplateId = templateId;
        commandAccount = account;
        commandMarket = market;
        commandOrderId = orderId;
        commandClientOrderId = clientOrderId;
    }

    private void reject(final RejectReason reason, final long detail)
    {
        events.rejected(commandTemplateId, reason, commandAccount, commandMarket, commandOrderId, commandClientOrderId,
            detail);
    }

    private static Order eventOrder(final Order target, final RefOrder order)
    {
        target.init(order.orderId, order.clientOrderId, order.account, order.market, order.side, order.orderType,
            order.timeInForce, order.marginMode, order.selfTradePrevention, order.flags, order.priceTicks,
            order.sizeLots);
        target.fillAsTaker(order.filledLots);
        return target;
    }

    private static Side side(final short raw)
    {
        switch (raw)
        {
            case 0:
                return Side.BUY;
            case 1:
                return Side.SELL;
            default:
                return null;
        }
    }

    private static OrderType orderType(final short raw)
    {
        switch (raw)
        {
            case 0:
                return OrderType.LIMIT;
            case 1:
                return OrderType.MARKET;
            default:
                return null;
        }
    }

    private static TimeInForce timeInForce(final short raw)
    {
        switch (raw)
        {
            case 0:
                return TimeInForce.GTC;
            case 1:
                return TimeInForce.IOC;
            case 2:
                return TimeInForce.FOK;
            default:
                return null;
        }
    }

    private static MarginMode marginMode(final short raw)
    {
        switch (raw)
        {
            case 0:
                return MarginMode.CROSS;
            case 1:
                return MarginMode.ISOLATED;
            default:
                return null;
        }
    }

    private static SelfTradePrevention selfTradePrevention(final short raw)
    {
        switch (raw)
        {
            case 0:
                return SelfTradePrevention.ACCOUNT_DEFAULT;
            case 1:
                return SelfTradePrevention.EXPIRE_TAKER;
            case 2:
                return SelfTradePrevention.EXPIRE_MAKER;
            case 3:
                return SelfTradePrevention.EXPIRE_BOTH;
            default:
                return null;
        }
    }

    private static MassCancelTrigger trigger(final short raw)
    {
        switch (raw)
        {
            case 0:
                return MassCancelTrigger.USER;
            case 1:
                return MassCancelTrigger.DISCONNECT;
            case 2:
                return MassCancelTrigger.DEAD_MAN_TIMER;
            default:
                return null;
        }
    }

    /** A market: its symbol, its limits, its oracle price (0 until the first) and its two sides, best price first. */
    private static final class RefMarket
    {
        final String symbol;
        final long minSizeLots;
        final long maxOrderSizeLots;
        final int marketOrderBandPpm;
        final long tickLotValueMicros;
        final long maxPositionLots;
        final long baselinePositionLots;
        final long incrementalPositionLots;
        final int initialMarginPpm;
        final int incrementalInitialMarginPpm;
        final TreeMap<Long, List<RefOrder>> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, List<RefOrder>> asks = new TreeMap<>();
        long oraclePriceTicks;

        RefMarket(
            final String symbol,
            final long minSizeLots,
            final long maxOrderSizeLots,
            final int marketOrderBandPpm,
            final long tickLotValueMicros,
            final long maxPositionLots,
            final long baselinePositionLots,
            final long incrementalPositionLots,
            final int initialMarginPpm,
            final int incrementalInitialMarginPpm)
        {
            this.symbol = symbol;
            this.minSizeLots = minSizeLots;
            this.maxOrderSizeLots = maxOrderSizeLots;
            this.marketOrderBandPpm = marketOrderBandPpm;
            this.tickLotValueMicros = tickLotValueMicros;
            this.maxPositionLots = maxPositionLots;
            this.baselinePositionLots = baselinePositionLots;
            this.incrementalPositionLots = incrementalPositionLots;
            this.initialMarginPpm = initialMarginPpm;
            this.incrementalInitialMarginPpm = incrementalInitialMarginPpm;
        }

        TreeMap<Long, List<RefOrder>> own(final Side side)
        {
            return side == Side.BUY ? bids : asks;
        }

        TreeMap<Long, List<RefOrder>> opposite(final Side side)
        {
            return side == Side.BUY ? asks : bids;
        }
    }

    /**
     * An account: its defaults, its cross collateral (which every fill moves), its position size per market and its
     * live orders by order id.
     */
    private static final class RefAccount
    {
        final TreeMap<Long, RefOrder> liveOrders = new TreeMap<>();
        final TreeMap<Integer, Long> positions = new TreeMap<>();
        SelfTradePrevention defaultSelfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
        int feeTier;
        long collateralMicros;
    }
}
