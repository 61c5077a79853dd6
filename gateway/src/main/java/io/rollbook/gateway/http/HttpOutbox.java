package io.rollbook.gateway.http;

/**
 * The layout of the messages the release thread hands to an event loop through its
 * {@link io.rollbook.gateway.core.EventLoopOutbox}, by message type. Offsets are from the message's start.
 */
final class HttpOutbox
{
    /** A released command that answers a request: its events follow. */
    static final int ANSWER = 1;
    static final int ANSWER_REQUEST = 0;
    static final int ANSWER_SEQUENCE = 8;
    static final int ANSWER_EVENTS = 16;

    /** A price level's new total. */
    static final int LEVEL = 2;
    static final int LEVEL_MARKET = 0;
    static final int LEVEL_SIDE = 4;
    static final int LEVEL_PRICE = 8;
    static final int LEVEL_SIZE = 16;
    static final int LEVEL_CHANNEL_SEQ = 24;
    static final int LEVEL_SEQUENCE = 32;
    static final int LEVEL_LENGTH = 40;

    /** A trade. */
    static final int TRADE = 3;
    static final int TRADE_MARKET = 0;
    static final int TRADE_AGGRESSOR_SIDE = 4;
    static final int TRADE_ID = 8;
    static final int TRADE_PRICE = 16;
    static final int TRADE_SIZE = 24;
    static final int TRADE_CHANNEL_SEQ = 32;
    static final int TRADE_SEQUENCE = 40;
    static final int TRADE_TIMESTAMP = 48;
    static final int TRADE_LENGTH = 56;

    /** One public event of a market (oracle price, funding): the event follows. */
    static final int MARKET_EVENT = 4;
    static final int MARKET_EVENT_MARKET = 0;
    static final int MARKET_EVENT_SEQUENCE = 8;
    static final int MARKET_EVENT_EVENT = 16;

    /** The events of a command that touch an account some WebSocket of the loop follows: the events follow. */
    static final int ACCOUNT_EVENTS = 5;
    static final int ACCOUNT_EVENTS_SEQUENCE = 0;
    static final int ACCOUNT_EVENTS_EVENTS = 8;

    private HttpOutbox()
    {
    }
}
