package io.rollbook.bench.worst;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.MarginMode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds single commands to a {@link Matcher} and times each one: encodes the command into a scratch buffer, then
 * measures {@link Matcher#execute} alone (encoding is outside the clock), events encoded into a buffer as the
 * pipeline would. Setup commands go through the same path; {@link #expectAccepted} makes a scenario fail loudly when
 * the engine refuses what the scenario meant to build, so a figure never describes a book that is not there.
 *
 * <p>Single-threaded: one thread owns an instance and its matcher.
 */
final class EngineDriver
{
    private final Matcher matcher;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
    private final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(64 * 1024 * 1024);
    private final EventWriter events = new EventWriter();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final PlaceOrderEncoder place = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final AmendOrderEncoder amend = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final OraclePriceEncoder oracle = new OraclePriceEncoder();
    private final FundingTickEncoder funding = new FundingTickEncoder();
    private long sequence;

    EngineDriver(final Matcher.Context context)
    {
        this.matcher = new Matcher(context);
    }

    Matcher matcher()
    {
        return matcher;
    }

    /**
     * @return how many events the last command wrote
     */
    int eventCount()
    {
        return events.eventCount();
    }

    long defineMarket(final MarketSpec spec)
    {
        return execute(spec.encode(command, 0));
    }

    long deposit(final int account, final long amountMicros)
    {
        deposit.wrapAndApplyHeader(command, 0, headerEncoder).account(account).amountMicros(amountMicros);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH);
    }

    long oracle(final int market, final long priceTicks)
    {
        oracle.wrapAndApplyHeader(command, 0, headerEncoder).market(market).priceTicks(priceTicks);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH);
    }

    long funding(final int market, final long ratePpb)
    {
        funding.wrapAndApplyHeader(command, 0, headerEncoder).market(market).ratePpb(ratePpb);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + FundingTickEncoder.BLOCK_LENGTH);
    }

    long limit(
        final int account, final int market, final long clientOrderId, final Side side, final long priceTicks,
        final long sizeLots, final TimeInForce timeInForce, final SelfTradePrevention stp)
    {
        return place(account, market, clientOrderId, side, OrderType.LIMIT, priceTicks, sizeLots, timeInForce, stp);
    }

    long place(
        final int account, final int market, final long clientOrderId, final Side side, final OrderType type,
        final long priceTicks, final long sizeLots, final TimeInForce timeInForce, final SelfTradePrevention stp)
    {
        place.wrapAndApplyHeader(command, 0, headerEncoder)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .account(account)
            .market(market)
            .side(side)
            .orderType(type)
            .timeInForce(timeInForce)
            .marginMode(MarginMode.CROSS)
            .selfTradePrevention(stp)
            .flags().clear();
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH);
    }

    long cancel(final int account, final int market, final long clientOrderId)
    {
        cancel.wrapAndApplyHeader(command, 0, headerEncoder)
            .account(account)
            .market(market)
            .orderId(CancelOrderEncoder.orderIdNullValue())
            .clientOrderId(clientOrderId);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + CancelOrderEncoder.BLOCK_LENGTH);
    }

    long amend(final int account, final int market, final long clientOrderId, final long priceTicks, final long sizeLots)
    {
        amend.wrapAndApplyHeader(command, 0, headerEncoder)
            .account(account)
            .market(market)
            .orderId(AmendOrderEncoder.orderIdNullValue())
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + AmendOrderEncoder.BLOCK_LENGTH);
    }

    long massCancel(final int account)
    {
        massCancel.wrapAndApplyHeader(command, 0, headerEncoder)
            .account(account)
            .market(MassCancelEncoder.marketNullValue())
            .side(Side.NULL_VAL)
            .trigger(MassCancelTrigger.USER);
        return execute(MessageHeaderEncoder.ENCODED_LENGTH + MassCancelEncoder.BLOCK_LENGTH);
    }

    /**
     * Fails the scenario if the last command was rejected.
     */
    void expectAccepted(final String what)
    {
        final int reason = rejectReason();
        if (reason >= 0)
        {
            throw new IllegalStateException(what + " was rejected, reason " + reason);
        }
    }

    /**
     * Fails the scenario unless the last command was rejected.
     */
    void expectRejected(final String what)
    {
        if (rejectReason() < 0)
        {
            throw new IllegalStateException(what + " was not rejected");
        }
    }

    /**
     * @return how many events of this template the last command wrote
     */
    int count(final int templateId)
    {
        int found = 0;
        int offset = 0;
        while (offset < events.position())
        {
            header.wrap(eventBuffer, offset);
            if (header.templateId() == templateId)
            {
                found++;
            }
            offset += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        }
        return found;
    }

    private int rejectReason()
    {
        if (events.position() == 0)
        {
            return -1;
        }
        header.wrap(eventBuffer, 0);
        if (header.templateId() != CommandRejectedDecoder.TEMPLATE_ID)
        {
            return -1;
        }
        rejected.wrap(eventBuffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        return rejected.reasonRaw();
    }

    private long execute(final int length)
    {
        events.wrap(eventBuffer, 0);
        sequence++;
        final long start = System.nanoTime();
        matcher.execute(sequence, sequence, command, 0, length, events);
        return System.nanoTime() - start;
    }
}
