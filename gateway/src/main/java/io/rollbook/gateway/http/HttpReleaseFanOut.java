package io.rollbook.gateway.http;

import java.util.Arrays;

import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.OutboxWakes;
import io.rollbook.gateway.core.SourceTag;
import io.rollbook.gateway.view.MarketDataListener;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OracleUpdatedDecoder;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The HTTP gateway's side of the release thread: hands each released command that answers an HTTP request to the
 * loop that holds the request, each market data change to the loops with WebSocket subscribers of that market,
 * each oracle or funding event likewise, and the events of every command that touches an account some loop's
 * WebSocket follows to that loop. The loops render the JSON; this thread only copies bytes.
 *
 * <p>Runs on the release thread only; never blocks and allocates nothing. A loop whose outbox is full loses the
 * message: a request then times out (504), WebSockets of that loop are closed to resynchronise.
 */
final class HttpReleaseFanOut implements ReleaseListener, MarketDataListener
{
    private final HttpLoop[] loops;
    private final OutboxWakes wakes;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EventRouting routing = new EventRouting();
    private final OracleUpdatedDecoder oracleUpdated = new OracleUpdatedDecoder();
    private final FundingAppliedDecoder fundingApplied = new FundingAppliedDecoder();
    private final boolean[] accountTouched;

    HttpReleaseFanOut(final HttpLoop[] loops)
    {
        this.loops = loops;
        this.wakes = new OutboxWakes(loops.length, i -> loops[i].outbox());
        this.accountTouched = new boolean[loops.length];
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
        if (SourceTag.kind(source) == SourceTag.KIND_HTTP && SourceTag.eventLoop(source) < loops.length)
        {
            answer(SourceTag.eventLoop(source), SourceTag.request(source), sequence, buffer, eventsOffset, eventsLength);
        }
        boolean anyTouched = false;
        for (int i = 0; i < loops.length; i++)
        {
            accountTouched[i] = false;
        }
        int offset = eventsOffset;
        final int end = eventsOffset + eventsLength;
        while (offset < end)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            final int eventLength = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
            switch (header.templateId())
            {
                case OracleUpdatedDecoder.TEMPLATE_ID:
                    marketEvent(oracleUpdated.wrap(buffer, body, blockLength, version).market(), sequence, buffer,
                        offset, eventLength);
                    break;
                case FundingAppliedDecoder.TEMPLATE_ID:
                    marketEvent(fundingApplied.wrap(buffer, body, blockLength, version).market(), sequence, buffer,
                        offset, eventLength);
                    break;
                default:
                    anyTouched |= touchAccounts(header.templateId(), buffer, body, blockLength, version);
                    break;
            }
            offset = body + blockLength;
        }
        if (anyTouched)
        {
            for (int i = 0; i < loops.length; i++)
            {
                if (accountTouched[i])
                {
                    accountEvents(i, sequence, buffer, eventsOffset, eventsLength);
                }
            }
        }
    }

    @Override
    public void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
    {
        wakes.batchReleased();
    }

    @Override
    public void onLevel(
        final int market, final int side, final long priceTicks, final long sizeLots, final long channelSeq,
        final long sequence)
    {
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i].marketInterest().contains(market))
            {
                final EventLoopOutbox outbox = loops[i].outbox();
                final int at = outbox.tryClaim(HttpOutbox.LEVEL, HttpOutbox.LEVEL_LENGTH);
                if (at >= 0)
                {
                    final AtomicBuffer ring = outbox.buffer();
                    ring.putInt(at + HttpOutbox.LEVEL_MARKET, market);
                    ring.putInt(at + HttpOutbox.LEVEL_SIDE, side);
                    ring.putLong(at + HttpOutbox.LEVEL_PRICE, priceTicks);
                    ring.putLong(at + HttpOutbox.LEVEL_SIZE, sizeLots);
                    ring.putLong(at + HttpOutbox.LEVEL_CHANNEL_SEQ, channelSeq);
                    ring.putLong(at + HttpOutbox.LEVEL_SEQUENCE, sequence);
                    outbox.commit(at);
                }
                written(i);
            }
        }
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
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i].marketInterest().contains(market))
            {
                final EventLoopOutbox outbox = loops[i].outbox();
                final int at = outbox.tryClaim(HttpOutbox.TRADE, HttpOutbox.TRADE_LENGTH);
                if (at >= 0)
                {
                    final AtomicBuffer ring = outbox.buffer();
                    ring.putInt(at + HttpOutbox.TRADE_MARKET, market);
                    ring.putInt(at + HttpOutbox.TRADE_AGGRESSOR_SIDE, aggressorSide);
                    ring.putLong(at + HttpOutbox.TRADE_ID, tradeId);
                    ring.putLong(at + HttpOutbox.TRADE_PRICE, priceTicks);
                    ring.putLong(at + HttpOutbox.TRADE_SIZE, sizeLots);
                    ring.putLong(at + HttpOutbox.TRADE_CHANNEL_SEQ, channelSeq);
                    ring.putLong(at + HttpOutbox.TRADE_SEQUENCE, sequence);
                    ring.putLong(at + HttpOutbox.TRADE_TIMESTAMP, timestampNs);
                    outbox.commit(at);
                }
                written(i);
            }
        }
    }

    private void answer(
        final int loopIndex,
        final long request,
        final long sequence,
        final DirectBuffer buffer,
        final int eventsOffset,
        final int eventsLength)
    {
        final EventLoopOutbox outbox = loops[loopIndex].outbox();
        final int at = outbox.tryClaim(HttpOutbox.ANSWER, HttpOutbox.ANSWER_EVENTS + eventsLength);
        if (at >= 0)
        {
            final AtomicBuffer ring = outbox.buffer();
            ring.putLong(at + HttpOutbox.ANSWER_REQUEST, request);
            ring.putLong(at + HttpOutbox.ANSWER_SEQUENCE, sequence);
            ring.putBytes(at + HttpOutbox.ANSWER_EVENTS, buffer, eventsOffset, eventsLength);
            outbox.commit(at);
        }
        written(loopIndex);
    }

    private void marketEvent(
        final int market, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i].marketInterest().contains(market))
            {
                final EventLoopOutbox outbox = loops[i].outbox();
                final int at = outbox.tryClaim(HttpOutbox.MARKET_EVENT, HttpOutbox.MARKET_EVENT_EVENT + length);
                if (at >= 0)
                {
                    final AtomicBuffer ring = outbox.buffer();
                    ring.putInt(at + HttpOutbox.MARKET_EVENT_MARKET, market);
                    ring.putInt(at + HttpOutbox.MARKET_EVENT_MARKET + 4, 0);
                    ring.putLong(at + HttpOutbox.MARKET_EVENT_SEQUENCE, sequence);
                    ring.putBytes(at + HttpOutbox.MARKET_EVENT_EVENT, buffer, offset, length);
                    outbox.commit(at);
                }
                written(i);
            }
        }
    }

    private void accountEvents(
        final int loopIndex, final long sequence, final DirectBuffer buffer, final int eventsOffset, final int eventsLength)
    {
        final EventLoopOutbox outbox = loops[loopIndex].outbox();
        final int at = outbox.tryClaim(HttpOutbox.ACCOUNT_EVENTS, HttpOutbox.ACCOUNT_EVENTS_EVENTS + eventsLength);
        if (at >= 0)
        {
            final AtomicBuffer ring = outbox.buffer();
            ring.putLong(at + HttpOutbox.ACCOUNT_EVENTS_SEQUENCE, sequence);
            ring.putBytes(at + HttpOutbox.ACCOUNT_EVENTS_EVENTS, buffer, eventsOffset, eventsLength);
            outbox.commit(at);
        }
        written(loopIndex);
    }

    /**
     * Marks the loops that follow an account the event is about; for an event of every account (a fee tier's
     * definition, rare) every loop, whose WebSockets on the account channel all get it.
     *
     * @return true if any loop does
     */
    private boolean touchAccounts(
        final int templateId, final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        if (routing.route(templateId, buffer, body, blockLength, version) < 0)
        {
            if (!routing.everyAccount)
            {
                return false;
            }
            Arrays.fill(accountTouched, true);
            return loops.length > 0;
        }
        final boolean first = touch(routing.first);
        return (routing.second != 0 && touch(routing.second)) || first;
    }

    private boolean touch(final int account)
    {
        boolean any = false;
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i].accountInterest().contains(account))
            {
                accountTouched[i] = true;
                any = true;
            }
        }
        return any;
    }

    private void written(final int loopIndex)
    {
        wakes.written(loopIndex);
    }
}
