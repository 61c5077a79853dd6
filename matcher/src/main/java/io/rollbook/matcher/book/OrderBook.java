package io.rollbook.matcher.book;

import io.rollbook.protocol.engine.Side;

/**
 * The bids and asks of one market.
 */
public final class OrderBook
{
    private final BookSide bids;
    private final BookSide asks;

    public OrderBook()
    {
        final PriceLevelPool levelPool = new PriceLevelPool();
        bids = new BookSide(true, levelPool);
        asks = new BookSide(false, levelPool);
    }

    public BookSide bids()
    {
        return bids;
    }

    public BookSide asks()
    {
        return asks;
    }

    /**
     * @return the side where orders of {@code side} rest
     */
    public BookSide sideOf(final Side side)
    {
        return side == Side.BUY ? bids : asks;
    }

    /**
     * @return the side that orders of {@code side} trade against
     */
    public BookSide oppositeOf(final Side side)
    {
        return side == Side.BUY ? asks : bids;
    }
}
