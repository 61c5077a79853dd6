package io.rollbook.matcher.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.DefineMarketEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MarketDefinedDecoder;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.protocol.engine.WithdrawEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Generates a seeded random stream of engine commands that exercises every rule of docs/MATCHING.md: limit GTC,
 * IOC and FOK orders, market orders with and without a worst price, post-only orders, every self-trade prevention
 * mode and account defaults, cancels and amends of live orders (and of unknown orders, other accounts' orders,
 * the wrong market), mass cancels, oracle updates, deposits and withdrawals, duplicate and reused client order
 * ids, invalid values of every field, a market defined part-way through, and malformed commands.
 *
 * <p>Orders are all cross-margined and none is reduce-only: those, funding and isolated margin belong to the risk
 * engine, and these streams test the order book (with the fees and cash that fills move) on accounts whose
 * deposits keep margin from ever binding.
 *
 * <p>Prices cluster around a mid price per market that moves with the oracle, so books stay deep and incoming
 * orders cross often. To aim cancels and amends at live orders, the generator follows the events of each command
 * through {@link #onEvents}; a caller that never feeds it events still gets a well-formed stream, only with fewer
 * hits. The same seed, profile and events give the same commands.
 *
 * <p>Not thread-safe.
 */
public final class CommandGenerator
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int LATE_MARKET_AFTER = 2_000;
    private static final int LATE_ORACLE_AFTER = 3_000;

    private final StreamProfile profile;
    private final SplittableRandom random;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final ConfigureAccountEncoder configureAccount = new ConfigureAccountEncoder();
    private final DefineMarketEncoder defineMarket = new DefineMarketEncoder();
    private final DefineFeeTierEncoder defineFeeTier = new DefineFeeTierEncoder();

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MarketDefinedDecoder marketDefined = new MarketDefinedDecoder();

    private final List<MarketState> marketStates = new ArrayList<>();
    private final Map<Integer, MarketState> marketsById = new HashMap<>();
    /** Orders the events showed accepted and not yet dead: resting ones, and the taker of the last command. */
    private final Map<Long, KnownOrder> orders = new HashMap<>();
    /** The resting orders, for picking one at random; each knows its index here. */
    private final List<KnownOrder> live = new ArrayList<>();
    private final long[] nextClientOrderId;
    private final int invalidAccountBeyond;

    private int setupStep;
    private long generated;
    private long lastOrderId;
    private int targetLive = 120;

    /**
     * @param profile the markets, accounts and capacities
     * @param seed    the random seed: same seed, same stream
     */
    public CommandGenerator(final StreamProfile profile, final long seed)
    {
        this.profile = profile;
        this.random = new SplittableRandom(seed);
        this.nextClientOrderId = new long[profile.firstAccount() + profile.accounts()];
        this.invalidAccountBeyond = profile.context().accountCapacity();
        for (final StreamProfile.MarketSetup setup : profile.markets())
        {
            final MarketState state = new MarketState(setup);
            marketStates.add(state);
            marketsById.put(setup.spec().id(), state);
        }
    }

    public StreamProfile profile()
    {
        return profile;
    }

    /**
     * @return how many orders the events have shown resting right now
     */
    public int liveOrderCount()
    {
        return live.size();
    }

    /**
     * Writes the next command.
     *
     * @return its length in bytes, header included (a deliberately truncated command may be shorter than a
     * header)
     */
    public int next(final MutableDirectBuffer buffer, final int offset)
    {
        generated++;
        final int setupLength = setup(buffer, offset);
        if (setupLength > 0)
        {
            return setupLength;
        }
        for (final MarketState market : marketStates)
        {
            if (market.setup.late() && !market.definitionSent && generated > LATE_MARKET_AFTER &&
                random.nextInt(200) == 0)
            {
                market.definitionSent = true;
                return market.setup.spec().encode(buffer, offset);
            }
        }
        if (random.nextInt(500) == 0)
        {
            targetLive = random.nextInt(20, 260);
        }

        final int roll = random.nextInt(1000);
        if (roll < 380)
        {
            return live.size() > targetLive && random.nextBoolean() ?
                cancel(buffer, offset) : placeLimit(buffer, offset, 0);
        }
        if (roll < 430)
        {
            return placePostOnly(buffer, offset);
        }
        if (roll < 490)
        {
            return placeLimit(buffer, offset, 1);
        }
        if (roll < 530)
        {
            return placeLimit(buffer, offset, 2);
        }
        if (roll < 590)
        {
            return placeMarket(buffer, offset);
        }
        if (roll < 630)
        {
            return placeInvalid(buffer, offset);
        }
        if (roll < 790)
        {
            return live.size() < targetLive && random.nextBoolean() ?
                placeLimit(buffer, offset, 0) : cancel(buffer, offset);
        }
        if (roll < 930)
        {
            return amend(buffer, offset);
        }
        if (roll < 945)
        {
            return live.size() < targetLive && random.nextInt(4) != 0 ?
                placeLimit(buffer, offset, 0) : massCancel(buffer, offset);
        }
        if (roll < 975)
        {
            return oracle(buffer, offset);
        }
        if (roll < 982)
        {
            return configureAccount(buffer, offset);
        }
        if (roll < 994)
        {
            return money(buffer, offset);
        }
        if (roll < 997)
        {
            return defineMarket(buffer, offset);
        }

        return malformed(buffer, offset);
    }

    /**
     * Learns from the events the last command produced: which orders were accepted, rest, traded, were amended or
     * canceled, and which markets exist.
     */
    public void onEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            header.wrap(buffer, position);
            final int body = position + HEADER;
            final int blockLength = header.blockLength();
            final int version = header.version();
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    onAccepted(accepted.wrap(buffer, body, blockLength, version));
                    break;
                case TradeDecoder.TEMPLATE_ID:
                    onTrade(trade.wrap(buffer, body, blockLength, version));
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    canceled.wrap(buffer, body, blockLength, version);
                    forget(canceled.orderId());
                    break;
                case OrderRestingDecoder.TEMPLATE_ID:
                    onResting(resting.wrap(buffer, body, blockLength, version));
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    onAmended(amended.wrap(buffer, body, blockLength, version));
                    break;
                case MarketDefinedDecoder.TEMPLATE_ID:
                    marketDefined.wrap(buffer, body, blockLength, version);
                    final MarketState market = marketsById.get(marketDefined.market());
                    if (market != null)
                    {
                        market.defined = true;
                    }
                    break;
                default:
                    break;
            }
            position = body + blockLength;
        }
        orders.values().removeIf(order -> order.liveIndex < 0);
    }

    private void onAccepted(final OrderAcceptedDecoder event)
    {
        final KnownOrder order = new KnownOrder(event.orderId(), event.clientOrderId(), event.account(),
            event.market(), event.side(), event.sizeLots(), event.flags().postOnly());
        order.priceTicks = event.priceTicks();
        orders.put(order.orderId, order);
        lastOrderId = Math.max(lastOrderId, order.orderId);
    }

    private void onTrade(final TradeDecoder event)
    {
        final KnownOrder maker = orders.get(event.makerOrderId());
        if (maker != null)
        {
            maker.filledLots += event.sizeLots();
            if (event.makerRemainingLots() == 0)
            {
                forget(maker.orderId);
            }
        }
        final KnownOrder taker = orders.get(event.takerOrderId());
        if (taker != null)
        {
            taker.filledLots += event.sizeLots();
            if (event.takerRemainingLots() == 0)
            {
                forget(taker.orderId);
            }
        }
    }

    private void onResting(final OrderRestingDecoder event)
    {
        final KnownOrder order = orders.get(event.orderId());
        if (order != null)
        {
            order.priceTicks = event.priceTicks();
            order.liveIndex = live.size();
            live.add(order);
        }
    }

    private void onAmended(final OrderAmendedDecoder event)
    {
        final KnownOrder order = orders.get(event.orderId());
        if (order != null)
        {
            order.priceTicks = event.priceTicks();
            order.sizeLots = event.sizeLots();
            if (event.priorityKept() != BooleanType.TRUE)
            {
                unlist(order);
            }
        }
    }

    private void forget(final long orderId)
    {
        final KnownOrder order = orders.remove(orderId);
        if (order != null)
        {
            unlist(order);
        }
    }

    private void unlist(final KnownOrder order)
    {
        if (order.liveIndex < 0)
        {
            return;
        }
        final KnownOrder last = live.remove(live.size() - 1);
        if (last != order)
        {
            live.set(order.liveIndex, last);
            last.liveIndex = order.liveIndex;
        }
        order.liveIndex = -1;
    }

    /**
     * Fee tiers, markets (all but the late one), a deposit for every trading account, the oracle prices known at
     * the start: one command per call until there are none left, then 0.
     */
    private int setup(final MutableDirectBuffer buffer, final int offset)
    {
        final List<FeeTierSpec> tiers = profile.feeTiers();
        final List<StreamProfile.MarketSetup> setups = profile.markets();
        final int accounts = profile.accounts();
        while (true)
        {
            int step = setupStep;
            if (step >= tiers.size() + setups.size() + accounts + setups.size())
            {
                return 0;
            }
            setupStep++;
            if (step < tiers.size())
            {
                return tiers.get(step).encode(buffer, offset);
            }
            step -= tiers.size();
            if (step < setups.size())
            {
                final StreamProfile.MarketSetup setup = setups.get(step);
                if (!setup.late())
                {
                    marketsById.get(setup.spec().id()).definitionSent = true;
                    return setup.spec().encode(buffer, offset);
                }
                continue;
            }
            step -= setups.size();
            if (step < accounts)
            {
                deposit.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .account(profile.firstAccount() + step)
                    .amountMicros(profile.depositMicros());
                return HEADER + DepositEncoder.BLOCK_LENGTH;
            }
            step -= accounts;
            final StreamProfile.MarketSetup setup = setups.get(step);
            if (setup.oracleAtStart() && !setup.late())
            {
                oracle.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .market(setup.spec().id())
                    .priceTicks(setup.midPriceTicks());
                return HEADER + OraclePriceEncoder.BLOCK_LENGTH;
            }
        }
    }

    /**
     * @param timeInForce 0 GTC, 1 IOC, 2 FOK (raw values)
     */
    private int placeLimit(final MutableDirectBuffer buffer, final int offset, final int timeInForce)
    {
        final MarketState market = pickMarket();
        final int account = pickAccount();
        final Side side = pickSide();
        final long price = timeInForce == 0 ? restingPrice(market, side) : aggressivePrice(market, side);
        return encodePlace(buffer, offset, account, market.id(), side, 0, timeInForce, price, pickSize(market),
            false, clientOrderIdFor(account));
    }

    private int placePostOnly(final MutableDirectBuffer buffer, final int offset)
    {
        final MarketState market = pickMarket();
        final int account = pickAccount();
        final Side side = pickSide();
        final long price = random.nextInt(4) == 0 ? aggressivePrice(market, side) : restingPrice(market, side);
        return encodePlace(buffer, offset, account, market.id(), side, 0, 0, price, pickSize(market), true,
            clientOrderIdFor(account));
    }

    private int placeMarket(final MutableDirectBuffer buffer, final int offset)
    {
        final MarketState market = pickMarket();
        final int account = pickAccount();
        final Side side = pickSide();
        long worstPrice = 0;
        if (random.nextBoolean())
        {
            final long slack = random.nextInt(-5, 25);
            worstPrice = Math.max(1, side == Side.BUY ? market.midTicks + slack : market.midTicks - slack);
        }
        final long size = random.nextInt(4) == 0 ? pickSize(market) * random.nextInt(2, 8) : pickSize(market);
        return encodePlace(buffer, offset, account, market.id(), side, 1, random.nextInt(3) == 0 ? 2 : 1,
            worstPrice, size, false, clientOrderIdFor(account));
    }

    /**
     * A place with one or two invalid fields, so that both each check and the order between checks are tested.
     */
    private int placeInvalid(final MutableDirectBuffer buffer, final int offset)
    {
        final MarketState market = pickMarket();
        final int account = pickAccount();
        final Side side = pickSide();
        final int length = encodePlace(buffer, offset, account, market.id(), side, 0, random.nextInt(3),
            restingPrice(market, side), pickSize(market), false, clientOrderIdFor(account));
        final int corruptions = random.nextInt(3) == 0 ? 2 : 1;
        for (int i = 0; i < corruptions; i++)
        {
            corruptPlace(buffer, offset + HEADER, market);
        }

        return length;
    }

    private void corruptPlace(final MutableDirectBuffer buffer, final int body, final MarketState market)
    {
        final MarketSpec spec = market.setup.spec();
        switch (random.nextInt(19))
        {
            case 0:
                buffer.putInt(body + PlaceOrderEncoder.marketEncodingOffset(), pick(0, -1, 7, 99, Integer.MAX_VALUE));
                break;
            case 1:
                buffer.putInt(body + PlaceOrderEncoder.accountEncodingOffset(), invalidAccount());
                break;
            case 2:
                buffer.putByte(body + PlaceOrderEncoder.sideEncodingOffset(), (byte)pick(2, 9, 255));
                break;
            case 3:
                buffer.putByte(body + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)pick(2, 77, 255));
                break;
            case 4:
                buffer.putByte(body + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)pick(3, 200, 255));
                break;
            case 5:
                buffer.putByte(body + PlaceOrderEncoder.marginModeEncodingOffset(), (byte)pick(2, 255));
                break;
            case 6:
                buffer.putByte(body + PlaceOrderEncoder.selfTradePreventionEncodingOffset(), (byte)pick(4, 17, 255));
                break;
            case 7:
                buffer.putByte(body + PlaceOrderEncoder.flagsEncodingOffset(), (byte)pick(4, 5, 0x80, 0xFF));
                break;
            case 8:
                buffer.putLong(body + PlaceOrderEncoder.clientOrderIdEncodingOffset(), ClientOrderIds.NULL_VALUE);
                break;
            case 9:
                buffer.putLong(body + PlaceOrderEncoder.sizeLotsEncodingOffset(), pickLong(0, -1, -50, Long.MIN_VALUE));
                break;
            case 10:
                buffer.putLong(body + PlaceOrderEncoder.sizeLotsEncodingOffset(), spec.minSizeLots() - 1);
                break;
            case 11:
                buffer.putLong(body + PlaceOrderEncoder.sizeLotsEncodingOffset(),
                    pickLong(spec.maxOrderSizeLots() + 1, Long.MAX_VALUE));
                break;
            case 12:
                buffer.putLong(body + PlaceOrderEncoder.priceTicksEncodingOffset(), pickLong(0, -1, Long.MIN_VALUE));
                break;
            case 13:
                buffer.putByte(body + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)1);
                buffer.putLong(body + PlaceOrderEncoder.priceTicksEncodingOffset(), pickLong(-1, -1000));
                break;
            case 14:
                buffer.putLong(body + PlaceOrderEncoder.priceTicksEncodingOffset(),
                    pickLong(Long.MAX_VALUE, Long.MAX_VALUE / 1000, 1L << 40));
                break;
            case 15:
                buffer.putByte(body + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)1);
                buffer.putByte(body + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)0);
                break;
            case 16:
                buffer.putByte(body + PlaceOrderEncoder.flagsEncodingOffset(), (byte)1);
                if (random.nextBoolean())
                {
                    buffer.putByte(body + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)pick(1, 2));
                }
                else
                {
                    buffer.putByte(body + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)1);
                    buffer.putByte(body + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)1);
                }
                break;
            case 17:
                buffer.putLong(body + PlaceOrderEncoder.clientOrderIdEncodingOffset(),
                    pickLong(-5, Long.MIN_VALUE + 1));
                break;
            default:
                final KnownOrder sameAccount = pickLive();
                if (sameAccount != null)
                {
                    buffer.putInt(body + PlaceOrderEncoder.accountEncodingOffset(), sameAccount.account);
                    buffer.putLong(body + PlaceOrderEncoder.clientOrderIdEncodingOffset(), sameAccount.clientOrderId);
                }
                break;
        }
    }

    private int encodePlace(
        final MutableDirectBuffer buffer,
        final int offset,
        final int account,
        final int market,
        final Side side,
        final int orderType,
        final int timeInForce,
        final long priceTicks,
        final long sizeLots,
        final boolean postOnly,
        final long clientOrderId)
    {
        place.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .account(account)
            .market(market)
            .side(side);
        final int body = offset + HEADER;
        buffer.putByte(body + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)orderType);
        buffer.putByte(body + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)timeInForce);
        buffer.putByte(body + PlaceOrderEncoder.marginModeEncodingOffset(), (byte)0);
        buffer.putByte(body + PlaceOrderEncoder.selfTradePreventionEncodingOffset(), (byte)pickStp());
        place.flags().clear().postOnly(postOnly);
        return HEADER + PlaceOrderEncoder.BLOCK_LENGTH;
    }

    private int cancel(final MutableDirectBuffer buffer, final int offset)
    {
        final KnownOrder target = random.nextInt(100) < 85 ? pickLive() : null;
        long orderId = CancelOrderEncoder.orderIdNullValue();
        long clientOrderId = CancelOrderEncoder.clientOrderIdNullValue();
        int account = pickAccount();
        int market = CancelOrderEncoder.marketNullValue();
        if (target != null)
        {
            account = random.nextInt(12) == 0 ? otherAccount(target.account) : target.account;
            if (random.nextInt(100) < 55)
            {
                orderId = target.orderId;
            }
            else
            {
                clientOrderId = target.clientOrderId;
            }
            market = targetMarket(target.market);
        }
        else
        {
            switch (random.nextInt(6))
            {
                case 0:
                    break;
                case 1:
                    account = invalidAccount();
                    orderId = random.nextLong(1, lastOrderId + 2);
                    break;
                case 2:
                    clientOrderId = random.nextLong(0, 40);
                    break;
                default:
                    orderId = random.nextLong(1, lastOrderId + 10);
                    break;
            }
        }
        cancel.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .account(account)
            .market(market);
        return HEADER + CancelOrderEncoder.BLOCK_LENGTH;
    }

    /**
     * @return the market id a cancel or amend names for an order in {@code market}: mostly none or the right one,
     * sometimes another or one that does not exist
     */
    private int targetMarket(final int market)
    {
        final int roll = random.nextInt(100);
        if (roll < 45)
        {
            return CancelOrderEncoder.marketNullValue();
        }
        if (roll < 92)
        {
            return market;
        }
        if (roll < 97)
        {
            return pickMarket().id();
        }
        return pick(0, 6, 99);
    }

    private int amend(final MutableDirectBuffer buffer, final int offset)
    {
        final KnownOrder target = random.nextInt(100) < 92 ? pickLive() : null;
        if (target == null)
        {
            final MarketState market = pickMarket();
            final Side side = pickSide();
            return encodeAmend(buffer, offset, pickAccount(), random.nextLong(1, lastOrderId + 10),
                AmendOrderEncoder.clientOrderIdNullValue(), targetMarket(market.id()), restingPrice(market, side),
                pickSize(market));
        }

        final MarketState market = marketsById.get(target.market);
        final MarketSpec spec = market.setup.spec();
        final long openLots = target.sizeLots - target.filledLots;
        long price = target.priceTicks;
        long size = target.sizeLots;
        final int variant = target.postOnly && random.nextInt(3) == 0 ? 7 : random.nextInt(12);
        switch (variant)
        {
            case 0:
            case 1:
                size = target.filledLots + Math.max(1, openLots - random.nextLong(0, openLots));
                break;
            case 2:
                break;
            case 3:
            case 4:
                size = target.sizeLots + pickSize(market);
                break;
            case 5:
            case 6:
                price = restingPrice(market, target.side);
                break;
            case 7:
            case 8:
                price = aggressivePrice(market, target.side);
                size = random.nextBoolean() ? size : target.filledLots + pickSize(market);
                break;
            case 9:
                size = target.filledLots == 0 ? pickLong(0, -3) : random.nextLong(1, target.filledLots + 1);
                break;
            case 10:
                size = pickLong(0, -1, spec.minSizeLots() - 1, spec.maxOrderSizeLots() + 1, Long.MAX_VALUE,
                    Long.MIN_VALUE);
                break;
            default:
                price = pickLong(0, -7, Long.MAX_VALUE, 1L << 42);
                if (random.nextInt(3) == 0)
                {
                    size = pickLong(0, -1, spec.minSizeLots() - 1, spec.maxOrderSizeLots() + 1, Long.MAX_VALUE,
                        target.filledLots);
                }
                break;
        }
        final int account = random.nextInt(25) == 0 ? otherAccount(target.account) : target.account;
        final boolean byOrderId = random.nextInt(100) < 55;
        return encodeAmend(buffer, offset, account,
            byOrderId ? target.orderId : AmendOrderEncoder.orderIdNullValue(),
            byOrderId ? AmendOrderEncoder.clientOrderIdNullValue() : target.clientOrderId,
            random.nextInt(60) == 0 ? pick(AmendOrderEncoder.marketNullValue(), 99) : targetMarket(target.market),
            price, size);
    }

    private int encodeAmend(
        final MutableDirectBuffer buffer,
        final int offset,
        final int account,
        final long orderId,
        final long clientOrderId,
        final int market,
        final long priceTicks,
        final long sizeLots)
    {
        final boolean neither = random.nextInt(200) == 0;
        amend.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .orderId(neither ? AmendOrderEncoder.orderIdNullValue() : orderId)
            .clientOrderId(neither ? AmendOrderEncoder.clientOrderIdNullValue() : clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .account(account)
            .market(market);
        return HEADER + AmendOrderEncoder.BLOCK_LENGTH;
    }

    private int massCancel(final MutableDirectBuffer buffer, final int offset)
    {
        final int roll = random.nextInt(100);
        final int account = roll < 3 ? invalidAccount() : pickAccount();
        final int market = random.nextInt(100) < 40 ? MassCancelEncoder.marketNullValue() :
            random.nextInt(20) == 0 ? pick(0, 5, 99) : pickMarket().id();
        final int sideRoll = random.nextInt(100);
        final short side = sideRoll < 50 ? 255 : sideRoll < 96 ? (short)random.nextInt(2) : (short)pick(2, 254);
        final int triggerRoll = random.nextInt(100);
        final short trigger = triggerRoll < 80 ? 0 : triggerRoll < 88 ? 1 : triggerRoll < 96 ? 2 : (short)pick(3, 255);
        massCancel.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .account(account)
            .market(market);
        final int body = offset + HEADER;
        buffer.putByte(body + MassCancelEncoder.sideEncodingOffset(), (byte)side);
        buffer.putByte(body + MassCancelEncoder.triggerEncodingOffset(), (byte)trigger);
        return HEADER + MassCancelEncoder.BLOCK_LENGTH;
    }

    private int oracle(final MutableDirectBuffer buffer, final int offset)
    {
        final MarketState picked = pickMarket();
        final MarketState market = picked.setup.oracleAtStart() || generated > LATE_ORACLE_AFTER ?
            picked : marketStates.get(0);
        market.midTicks = Math.max(50, market.midTicks + random.nextInt(-4, 5) +
            (random.nextInt(40) == 0 ? random.nextInt(-30, 31) : 0));
        long price = market.midTicks;
        int marketId = market.id();
        final int roll = random.nextInt(100);
        if (roll < 10)
        {
            price = market.midTicks + random.nextInt(-40, 41);
        }
        else if (roll < 13)
        {
            price = pickLong(0, -1, Long.MIN_VALUE);
        }
        else if (roll < 15)
        {
            marketId = pick(0, 6, 99);
        }
        else if (roll < 16)
        {
            price = pickLong(Long.MAX_VALUE, 1L << 40);
        }
        oracle.wrapAndApplyHeader(buffer, offset, headerEncoder).market(marketId).priceTicks(price);
        return HEADER + OraclePriceEncoder.BLOCK_LENGTH;
    }

    /**
     * A new self-trade prevention default or fee tier, or both, now and then an unknown one; or a change of a fee
     * tier's rates, valid or not.
     */
    private int configureAccount(final MutableDirectBuffer buffer, final int offset)
    {
        final int roll = random.nextInt(100);
        if (roll >= 92)
        {
            defineFeeTier.wrapAndApplyHeader(buffer, offset, headerEncoder)
                .tier(roll < 96 ? 2 : pick(2, 7, -1, 256))
                .makerFeePpm(roll < 96 ? random.nextInt(-50, 300) : pick(-600, 100_001, 0))
                .takerFeePpm(roll < 96 ? random.nextInt(50, 600) : pick(-1, 100_001, 500));
            return HEADER + DefineFeeTierEncoder.BLOCK_LENGTH;
        }
        final int account = roll < 4 ? invalidAccount() : pickAccount();
        final int what = random.nextInt(10);
        final short mode = what < 4 ? 255 : random.nextInt(10) != 0 ? (short)random.nextInt(1, 4) : (short)pick(0, 4);
        final int tier = what >= 4 && what < 7 ? ConfigureAccountEncoder.feeTierNullValue() :
            random.nextInt(10) != 0 ? random.nextInt(0, 3) :
            pick(9, -1, 256, ConfigureAccountEncoder.feeTierNullValue());
        configureAccount.wrapAndApplyHeader(buffer, offset, headerEncoder).account(account).feeTier(tier);
        buffer.putByte(offset + HEADER + ConfigureAccountEncoder.selfTradePreventionEncodingOffset(), (byte)mode);
        return HEADER + ConfigureAccountEncoder.BLOCK_LENGTH;
    }

    private int money(final MutableDirectBuffer buffer, final int offset)
    {
        final int roll = random.nextInt(100);
        final int account = roll < 4 ? invalidAccount() : pickAccount();
        long amount = random.nextLong(1, 1_000_000_000L);
        if (roll >= 80)
        {
            amount = pickLong(0, -1, Long.MAX_VALUE, Long.MIN_VALUE, profile.depositMicros() * 2,
                profile.depositMicros() * 11);
        }
        if (random.nextBoolean())
        {
            deposit.wrapAndApplyHeader(buffer, offset, headerEncoder).account(account).amountMicros(amount);
            return HEADER + DepositEncoder.BLOCK_LENGTH;
        }
        withdraw.wrapAndApplyHeader(buffer, offset, headerEncoder).account(account).amountMicros(amount);
        return HEADER + WithdrawEncoder.BLOCK_LENGTH;
    }

    private int defineMarket(final MutableDirectBuffer buffer, final int offset)
    {
        final MarketSpec base = pickMarket().setup.spec();
        defineMarket.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .tickSizeMantissa(base.tickSizeMantissa())
            .lotSizeMantissa(base.lotSizeMantissa())
            .minSizeLots(base.minSizeLots())
            .maxOrderSizeLots(base.maxOrderSizeLots())
            .market(base.id())
            .marketOrderBandPpm(base.marketOrderBandPpm())
            .tickSizeExponent((byte)base.tickSizeExponent())
            .lotSizeExponent((byte)base.lotSizeExponent())
            .symbol(base.symbol())
            .baselinePositionLots(base.baselinePositionLots())
            .incrementalPositionLots(base.incrementalPositionLots())
            .maxPositionLots(base.maxPositionLots())
            .initialMarginPpm(base.initialMarginPpm())
            .maintenanceMarginPpm(base.maintenanceMarginPpm())
            .incrementalInitialMarginPpm(base.incrementalInitialMarginPpm());
        final int freeId = profile.markets().size() + 1;
        switch (random.nextInt(14))
        {
            case 0:
                break;
            case 1:
                defineMarket.market(pick(8, 9, 1000));
                break;
            case 2:
                defineMarket.market(pick(0, -2)).symbol("ZERO-USD");
                break;
            case 3:
                defineMarket.market(freeId).symbol("BAD-TICK").tickSizeMantissa(pickLong(0, -1));
                break;
            case 4:
                defineMarket.market(freeId).symbol("BAD-LOT").lotSizeMantissa(pickLong(0, -5));
                break;
            case 5:
                defineMarket.market(freeId).symbol("BAD-MIN").minSizeLots(pickLong(0, -1))
                    .maxOrderSizeLots(pickLong(10, 0));
                break;
            case 6:
                defineMarket.market(freeId).symbol("BAD-MAX").minSizeLots(10).maxOrderSizeLots(9);
                break;
            case 7:
                defineMarket.market(freeId).symbol("BAD-BAND").marketOrderBandPpm(pick(0, -1, 1_000_000, 2_000_000));
                break;
            case 8:
                defineMarket.market(freeId).symbol(pickText("", "btc-usd", "-X", "A B", base.symbol()));
                break;
            case 9:
                defineMarket.market(freeId).symbol("BAD-IM").initialMarginPpm(pick(0, 1_000_001))
                    .maintenanceMarginPpm(pick(0, base.initialMarginPpm(), -5));
                break;
            case 10:
                defineMarket.market(freeId).symbol("BAD-TIER").baselinePositionLots(pickLong(-1, 0))
                    .incrementalPositionLots(pickLong(0, -1)).incrementalInitialMarginPpm(pick(-1, 1_000_001, 0));
                break;
            case 11:
                defineMarket.market(freeId).symbol("BAD-POS")
                    .maxPositionLots(pickLong(base.maxOrderSizeLots() - 1, Long.MAX_VALUE, 0));
                break;
            default:
                defineMarket.market(freeId).symbol("FINE-USD")
                    .tickSizeMantissa(1).tickSizeExponent((byte)-7)
                    .lotSizeMantissa(1).lotSizeExponent((byte)-1);
                break;
        }

        return HEADER + DefineMarketEncoder.BLOCK_LENGTH;
    }

    private int malformed(final MutableDirectBuffer buffer, final int offset)
    {
        final int length = placeLimit(buffer, offset, 0);
        switch (random.nextInt(5))
        {
            case 0:
                return random.nextInt(0, HEADER);
            case 1:
                buffer.putShort(offset + 4, (short)(MessageHeaderEncoder.SCHEMA_ID + 1));
                return length;
            case 2:
                buffer.putShort(offset, (short)(PlaceOrderEncoder.BLOCK_LENGTH - 10));
                return length - 10;
            case 3:
                buffer.putShort(offset, (short)(PlaceOrderEncoder.BLOCK_LENGTH + 20));
                return length;
            default:
                buffer.putShort(offset + 2, (short)pick(0, 42, 100, 999));
                return length;
        }
    }

    /** Skewed towards the first markets; a market not defined yet is named now and then, for the rejection. */
    private MarketState pickMarket()
    {
        final int roll = random.nextInt(100);
        final int index = roll < 40 ? 0 : roll < 70 ? 1 : roll < 88 ? 2 : 3;
        final MarketState market = marketStates.get(Math.min(index, marketStates.size() - 1));
        return market.defined || random.nextInt(5) == 0 ? market : marketStates.get(0);
    }

    /** Two busy accounts and a few quieter ones, so that orders meet their own account's orders often. */
    private int pickAccount()
    {
        final int first = profile.firstAccount();
        final int roll = random.nextInt(100);
        if (roll < 30)
        {
            return first;
        }
        if (roll < 55)
        {
            return first + 1;
        }
        return first + random.nextInt(profile.accounts());
    }

    private int otherAccount(final int account)
    {
        return profile.firstAccount() + (account - profile.firstAccount() + 1) % profile.accounts();
    }

    private int invalidAccount()
    {
        return pick(0, -1, invalidAccountBeyond, invalidAccountBeyond + 3, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private Side pickSide()
    {
        return random.nextBoolean() ? Side.BUY : Side.SELL;
    }

    /** ACCOUNT_DEFAULT half of the time, so that configured account defaults matter. */
    private int pickStp()
    {
        final int roll = random.nextInt(100);
        return roll < 46 ? 0 : roll < 64 ? 1 : roll < 82 ? 2 : 3;
    }

    /** Mostly on its own side of the mid, deep enough to build a book; now and then through it. */
    private long restingPrice(final MarketState market, final Side side)
    {
        final long away = random.nextInt(10) == 0 ? -random.nextInt(1, 6) : random.nextInt(0, 25);
        return Math.max(1, side == Side.BUY ? market.midTicks - away : market.midTicks + away);
    }

    /** Through the mid, often sweeping a few levels. */
    private long aggressivePrice(final MarketState market, final Side side)
    {
        final long through = random.nextInt(4) == 0 ? random.nextInt(5, 40) : random.nextInt(-3, 8);
        return Math.max(1, side == Side.BUY ? market.midTicks + through : market.midTicks - through);
    }

    private long pickSize(final MarketState market)
    {
        final long min = market.setup.spec().minSizeLots();
        final long unit = Math.max(min, 1);
        return random.nextInt(10) == 0 ? unit * random.nextInt(10, 40) + random.nextInt(0, 3) :
            unit * random.nextInt(1, 8) + random.nextInt(0, 3);
    }

    /**
     * A fresh id most of the time (number or string), sometimes a small number that may belong to a live or a
     * finished order of the account, so duplicates and reuse of freed ids both happen.
     */
    private long clientOrderIdFor(final int account)
    {
        final int roll = random.nextInt(100);
        if (roll < 8)
        {
            return random.nextLong(0, 12);
        }
        final long counter = ++nextClientOrderId[account];
        if (roll < 50)
        {
            return 1_000 + counter;
        }
        return ClientOrderIds.fromString("o" + Long.toString(counter, 36));
    }

    private KnownOrder pickLive()
    {
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    private int pick(final int... values)
    {
        return values[random.nextInt(values.length)];
    }

    private long pickLong(final long... values)
    {
        return values[random.nextInt(values.length)];
    }

    private String pickText(final String... values)
    {
        return values[random.nextInt(values.length)];
    }

    /** What the generator knows of one market. */
    private static final class MarketState
    {
        final StreamProfile.MarketSetup setup;
        long midTicks;
        boolean definitionSent;
        boolean defined;

        MarketState(final StreamProfile.MarketSetup setup)
        {
            this.setup = setup;
            this.midTicks = setup.midPriceTicks();
        }

        int id()
        {
            return setup.spec().id();
        }
    }

    /** What the events told about one order. */
    private static final class KnownOrder
    {
        final long orderId;
        final long clientOrderId;
        final int account;
        final int market;
        final Side side;
        final boolean postOnly;
        long priceTicks;
        long sizeLots;
        long filledLots;
        int liveIndex = -1;

        KnownOrder(
            final long orderId,
            final long clientOrderId,
            final int account,
            final int market,
            final Side side,
            final long sizeLots,
            final boolean postOnly)
        {
            this.orderId = orderId;
            this.clientOrderId = clientOrderId;
            this.account = account;
            this.market = market;
            this.side = side;
            this.sizeLots = sizeLots;
            this.postOnly = postOnly;
        }
    }
}
