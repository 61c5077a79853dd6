package io.rollbook.gateway.binary;

import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.OutboxWakes;
import io.rollbook.gateway.core.ReleaseProgress;
import io.rollbook.gateway.core.SourceTag;
import io.rollbook.gateway.view.MarketDataListener;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataTradeEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.OperatorAckEncoder;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The binary gateway's side of the release thread: for every released command, the execution reports of the
 * accounts that have a session on some event loop, the operator's acknowledgement when an operator session sent
 * it, and (as the {@link MarketDataListener} of the views) every market data change for the loops with subscribers
 * of that market. Each message is encoded once and copied into the outbox of each interested loop; the loops are
 * woken once per released batch (or every {@value OutboxWakes#WAKE_EVERY} messages within a large one).
 *
 * <p>Runs on the release thread only; never blocks and allocates nothing. A loop whose outbox is full loses the
 * message and recovers on its side ({@link EventLoopOutbox}).
 */
final class BinaryReleaseFanOut implements ReleaseListener, MarketDataListener, ExecutionReports.Sink,
    ExecutionReports.AccountFilter
{
    private final BinaryLoop[] loops;
    private final ReleaseProgress progress;
    private final ExecutionReports reports = new ExecutionReports();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MarketDataBookUpdateEncoder bookUpdate = new MarketDataBookUpdateEncoder();
    private final MarketDataTradeEncoder trade = new MarketDataTradeEncoder();
    private final OperatorAckEncoder operatorAck = new OperatorAckEncoder();
    private final io.rollbook.protocol.engine.MessageHeaderDecoder engineHeader =
        new io.rollbook.protocol.engine.MessageHeaderDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    private final OutboxWakes wakes;
    private long sequence;
    private long source;

    BinaryReleaseFanOut(final BinaryLoop[] loops, final ReleaseProgress progress)
    {
        this.loops = loops;
        this.progress = progress;
        this.wakes = new OutboxWakes(loops.length, i -> loops[i].outbox());
    }

    @Override
    public void onReleased(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer buffer,
        final int commandOffset,
        final int commandLength,
        final int eventsOffset,
        final int eventsLength)
    {
        progress.beginRelease(sequence);
        this.sequence = sequence;
        this.source = source;
        if (SourceTag.kind(source) == SourceTag.KIND_BINARY_OPERATOR)
        {
            acknowledgeOperator(sequence, timestampNs, source, buffer, eventsOffset, eventsLength);
        }
        reports.map(sequence, timestampNs, buffer, eventsOffset, eventsLength, 0, this, this);
    }

    @Override
    public void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
    {
        wakes.batchReleased();
    }

    @Override
    public boolean wants(final int account)
    {
        for (final BinaryLoop loop : loops)
        {
            if (loop.accountInterest().contains(account))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onReport(
        final int account, final int eventIndex, final DirectBuffer report, final int offset, final int length)
    {
        for (int i = 0; i < loops.length; i++)
        {
            final BinaryLoop loop = loops[i];
            if (loop.accountInterest().contains(account))
            {
                final EventLoopOutbox outbox = loop.outbox();
                final int at = outbox.tryClaim(Outbox.REPORT, Outbox.REPORT_MESSAGE + length);
                if (at >= 0)
                {
                    final AtomicBuffer ring = outbox.buffer();
                    ring.putInt(at + Outbox.REPORT_ACCOUNT, account);
                    ring.putInt(at + Outbox.REPORT_EVENT_INDEX, eventIndex);
                    ring.putLong(at + Outbox.REPORT_SEQUENCE, sequence);
                    ring.putLong(at + Outbox.REPORT_SOURCE, source);
                    ring.putBytes(at + Outbox.REPORT_MESSAGE, report, offset, length);
                    outbox.commit(at);
                }
                written(i);
            }
        }
    }

    @Override
    public void onLevel(
        final int market, final int side, final long priceTicks, final long sizeLots, final long channelSeq,
        final long sequence)
    {
        if (!anyMarketInterest(market))
        {
            return;
        }
        final MarketDataBookUpdateEncoder encoder = bookUpdate.wrapAndApplyHeader(scratch, 0, header)
            .channelSeq(channelSeq)
            .sequence(sequence)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .market(market);
        scratch.putByte(MessageHeaderEncoder.ENCODED_LENGTH + MarketDataBookUpdateEncoder.sideEncodingOffset(), (byte)side);
        marketData(market, channelSeq, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    @Override
    public void onTrade(
        final int market,
        final long tradeId,
        final long priceTicks,
        final long sizeLots,
        final int aggressorSide,
        final long channelSeq,
        final long sequence,
        final long timestampNs)
    {
        if (!anyMarketInterest(market))
        {
            return;
        }
        final MarketDataTradeEncoder encoder = trade.wrapAndApplyHeader(scratch, 0, header)
            .channelSeq(channelSeq)
            .sequence(sequence)
            .tradeId(tradeId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .transactTimeNs(timestampNs)
            .market(market);
        scratch.putByte(MessageHeaderEncoder.ENCODED_LENGTH + MarketDataTradeEncoder.aggressorSideEncodingOffset(),
            (byte)aggressorSide);
        marketData(market, channelSeq, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private boolean anyMarketInterest(final int market)
    {
        for (final BinaryLoop loop : loops)
        {
            if (loop.marketInterest().contains(market))
            {
                return true;
            }
        }
        return false;
    }

    private void marketData(final int market, final long channelSeq, final int length)
    {
        for (int i = 0; i < loops.length; i++)
        {
            final BinaryLoop loop = loops[i];
            if (loop.marketInterest().contains(market))
            {
                final EventLoopOutbox outbox = loop.outbox();
                final int at = outbox.tryClaim(Outbox.MARKET_DATA, Outbox.MD_MESSAGE + length);
                if (at >= 0)
                {
                    final AtomicBuffer ring = outbox.buffer();
                    ring.putInt(at + Outbox.MD_MARKET, market);
                    ring.putInt(at + Outbox.MD_MARKET + 4, 0);
                    ring.putLong(at + Outbox.MD_CHANNEL_SEQ, channelSeq);
                    ring.putBytes(at + Outbox.MD_MESSAGE, scratch, 0, length);
                    outbox.commit(at);
                }
                written(i);
            }
        }
    }

    private void acknowledgeOperator(
        final long sequence,
        final long timestampNs,
        final long source,
        final DirectBuffer buffer,
        final int eventsOffset,
        final int eventsLength)
    {
        final int loopIndex = SourceTag.eventLoop(source);
        if (loopIndex >= loops.length || eventsLength < io.rollbook.protocol.engine.MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        final OperatorAckEncoder ack = operatorAck.wrapAndApplyHeader(scratch, 0, header)
            .seqNo(0)
            .refSeqNo(SourceTag.request(source))
            .sequence(sequence)
            .transactTimeNs(timestampNs)
            .detail(0);
        engineHeader.wrap(buffer, eventsOffset);
        final int body = eventsOffset + io.rollbook.protocol.engine.MessageHeaderDecoder.ENCODED_LENGTH;
        final int reasonAt = MessageHeaderEncoder.ENCODED_LENGTH + OperatorAckEncoder.reasonEncodingOffset();
        scratch.putByte(reasonAt, (byte)io.rollbook.protocol.orderentry.RejectReason.NULL_VAL.value());
        if (engineHeader.templateId() == CommandRejectedDecoder.TEMPLATE_ID)
        {
            rejected.wrap(buffer, body, engineHeader.blockLength(), engineHeader.version());
            ack.detail(rejected.detail());
            scratch.putByte(reasonAt, (byte)rejected.reasonRaw());
        }
        else if (engineHeader.templateId() == BalanceChangedDecoder.TEMPLATE_ID)
        {
            balanceChanged.wrap(buffer, body, engineHeader.blockLength(), engineHeader.version());
            ack.detail(balanceChanged.collateralMicros());
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength();
        final EventLoopOutbox outbox = loops[loopIndex].outbox();
        final int at = outbox.tryClaim(Outbox.DIRECT, Outbox.DIRECT_MESSAGE + length);
        if (at >= 0)
        {
            final AtomicBuffer ring = outbox.buffer();
            ring.putInt(at + Outbox.DIRECT_CONNECTION, SourceTag.connection(source));
            ring.putInt(at + Outbox.DIRECT_FLAGS, 0);
            ring.putBytes(at + Outbox.DIRECT_MESSAGE, scratch, 0, length);
            outbox.commit(at);
        }
        written(loopIndex);
    }

    private void written(final int loopIndex)
    {
        wakes.written(loopIndex);
    }
}
