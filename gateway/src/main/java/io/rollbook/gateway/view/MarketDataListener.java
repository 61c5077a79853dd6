package io.rollbook.gateway.view;

/**
 * Receives every change of the public market data, in journal order, each with its market's next channel
 * sequence number: what protocol layers turn into incremental updates. Called on the release thread right after
 * the change is applied to the {@link MarketDataView}; must not block.
 */
public interface MarketDataListener
{
    /**
     * A price level's new total size.
     *
     * @param side      0 bids, 1 asks
     * @param sizeLots  the level's new total; 0 when the level is gone
     * @param sequence  the journal sequence of the command that changed it
     */
    void onLevel(int market, int side, long priceTicks, long sizeLots, long channelSeq, long sequence);

    /**
     * A fill.
     *
     * @param aggressorSide 0 buy, 1 sell: the taker's side
     */
    void onTrade(
        int market,
        long tradeId,
        long priceTicks,
        long sizeLots,
        int aggressorSide,
        long channelSeq,
        long sequence,
        long timestampNs);
}
