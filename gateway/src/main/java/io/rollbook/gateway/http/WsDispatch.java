package io.rollbook.gateway.http;

import java.util.List;

import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * Turns what the release thread handed to a loop (book levels, trades, oracle and funding events, account events)
 * into WebSocket messages for the loop's sessions that subscribed to them. Each event is rendered once, whatever
 * the number of sessions that receive it.
 *
 * <p>Owned by its event loop.
 */
final class WsDispatch
{
    private final HttpLoop loop;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EventRouting routing = new EventRouting();
    private final StringBuilder rendered = new StringBuilder(512);
    private final StringBuilder secondSide = new StringBuilder(512);

    WsDispatch(final HttpLoop loop)
    {
        this.loop = loop;
    }

    void onMessage(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        final List<WsSession> sessions = loop.webSockets();
        switch (msgTypeId)
        {
            case HttpOutbox.LEVEL:
            {
                final MarketSpec market = loop.api().markets().byId(buffer.getInt(index + HttpOutbox.LEVEL_MARKET));
                if (market == null)
                {
                    return;
                }
                for (int i = 0; i < sessions.size(); i++)
                {
                    sessions.get(i).onLevel(market, buffer.getInt(index + HttpOutbox.LEVEL_SIDE),
                        buffer.getLong(index + HttpOutbox.LEVEL_PRICE), buffer.getLong(index + HttpOutbox.LEVEL_SIZE),
                        buffer.getLong(index + HttpOutbox.LEVEL_CHANNEL_SEQ));
                }
                return;
            }
            case HttpOutbox.TRADE:
            {
                final MarketSpec market = loop.api().markets().byId(buffer.getInt(index + HttpOutbox.TRADE_MARKET));
                if (market == null)
                {
                    return;
                }
                rendered.setLength(0);
                rendered.append(",\"tradeId\":").append(buffer.getLong(index + HttpOutbox.TRADE_ID));
                RestApi.price(rendered, "price", market, buffer.getLong(index + HttpOutbox.TRADE_PRICE));
                RestApi.size(rendered, "size", market, buffer.getLong(index + HttpOutbox.TRADE_SIZE));
                rendered.append(",\"side\":\"")
                    .append(buffer.getInt(index + HttpOutbox.TRADE_AGGRESSOR_SIDE) == 0 ? "buy" : "sell")
                    .append("\",\"sequence\":").append(buffer.getLong(index + HttpOutbox.TRADE_SEQUENCE))
                    .append(",\"timeNs\":").append(buffer.getLong(index + HttpOutbox.TRADE_TIMESTAMP));
                final long channelSeq = buffer.getLong(index + HttpOutbox.TRADE_CHANNEL_SEQ);
                for (int i = 0; i < sessions.size(); i++)
                {
                    sessions.get(i).onTrade(market, channelSeq, rendered);
                }
                return;
            }
            case HttpOutbox.MARKET_EVENT:
            {
                final MarketSpec market =
                    loop.api().markets().byId(buffer.getInt(index + HttpOutbox.MARKET_EVENT_MARKET));
                if (market == null)
                {
                    return;
                }
                final long sequence = buffer.getLong(index + HttpOutbox.MARKET_EVENT_SEQUENCE);
                rendered.setLength(0);
                loop.api().events().append(rendered, sequence, buffer, index + HttpOutbox.MARKET_EVENT_EVENT);
                for (int i = 0; i < sessions.size(); i++)
                {
                    sessions.get(i).onMarketEvent(market, sequence, rendered);
                }
                return;
            }
            case HttpOutbox.ACCOUNT_EVENTS:
                accountEvents(sessions, buffer, index, length);
                return;
            default:
                return;
        }
    }

    private void accountEvents(final List<WsSession> sessions, final DirectBuffer buffer, final int index,
        final int length)
    {
        final long sequence = buffer.getLong(index + HttpOutbox.ACCOUNT_EVENTS_SEQUENCE);
        int offset = index + HttpOutbox.ACCOUNT_EVENTS_EVENTS;
        final int end = index + length;
        while (offset < end)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int channel = routing.route(header.templateId(), buffer, body, header.blockLength(), header.version());
            if (routing.sided)
            {
                sides(sessions, channel, sequence, buffer, offset);
            }
            else if (channel >= 0 || routing.everyAccount)
            {
                final int to = routing.everyAccount ? EventRouting.ACCOUNT : channel;
                rendered.setLength(0);
                for (int i = 0; i < sessions.size(); i++)
                {
                    final WsSession session = sessions.get(i);
                    if (routing.everyAccount ? session.followsAny(to) : (session.follows(routing.first, to) ||
                        (routing.second != 0 && session.follows(routing.second, to))))
                    {
                        if (rendered.length() == 0)
                        {
                            loop.api().events().append(rendered, sequence, buffer, offset);
                        }
                        session.onAccountEvent(to, sequence, rendered);
                    }
                }
            }
            offset = body + header.blockLength();
        }
    }

    /**
     * A trade or a position transfer goes to each of its accounts as that account's own side, never whole: a whole
     * trade names the other side's account, order, client order id and fee, a whole transfer the other account (the
     * deleveraged counterparty, the liquidated trader). An event between an account and itself is both of its sides.
     */
    private void sides(
        final List<WsSession> sessions, final int channel, final long sequence, final DirectBuffer buffer,
        final int offset)
    {
        final int firstAccount = routing.first;
        final int secondAccount = routing.taker();
        rendered.setLength(0);
        secondSide.setLength(0);
        for (int i = 0; i < sessions.size(); i++)
        {
            final WsSession session = sessions.get(i);
            if (session.follows(firstAccount, channel))
            {
                if (rendered.length() == 0)
                {
                    routing.appendSide(loop.api().events(), rendered, sequence, buffer, offset, true);
                }
                session.onAccountEvent(channel, sequence, rendered);
            }
            if (session.follows(secondAccount, channel))
            {
                if (secondSide.length() == 0)
                {
                    routing.appendSide(loop.api().events(), secondSide, sequence, buffer, offset, false);
                }
                session.onAccountEvent(channel, sequence, secondSide);
            }
        }
    }
}
