package io.rollbook.gateway.view;

/**
 * The gateway's views of the sequenced state, built only from released events (the gateway never reads the
 * matcher): which markets exist, their public market data and statistics, the fee tiers' rates, every account's
 * orders by client order id, and every account's collateral, positions, open orders and fills. Every
 * protocol of the gateway reads the same views; one {@link ViewUpdater} writes them.
 *
 * <p>Thread-safety is each view's own (see their Javadoc).
 */
public final class GatewayViews
{
    private final MarketsView markets;
    private final MarketDataView marketData;
    private final OrderStateView orders;
    private final MarketStatsView marketStats;
    private final AccountsView accounts;
    private final FeeTiersView feeTiers = new FeeTiersView();
    private final RiskCounters risk = new RiskCounters();
    private final ViewUpdater updater;

    /**
     * @param marketCapacity the matcher's market capacity
     * @param endedWindow    how many ended orders the order view remembers
     * @param lastSequence   the journal sequence the views reflect (0 for empty views)
     */
    public GatewayViews(final int marketCapacity, final int endedWindow, final long lastSequence)
    {
        this.markets = new MarketsView(marketCapacity);
        this.marketData = new MarketDataView(marketCapacity);
        this.orders = new OrderStateView(endedWindow);
        this.marketStats = new MarketStatsView(marketCapacity);
        this.accounts = new AccountsView(marketStats);
        this.updater = new ViewUpdater(this, lastSequence);
    }

    public MarketsView markets()
    {
        return markets;
    }

    public MarketDataView marketData()
    {
        return marketData;
    }

    public OrderStateView orders()
    {
        return orders;
    }

    /**
     * @return oracle prices, funding and recent trades per market
     */
    public MarketStatsView marketStats()
    {
        return marketStats;
    }

    /**
     * @return collateral, positions, open orders and recent fills per account
     */
    public AccountsView accounts()
    {
        return accounts;
    }

    /**
     * @return the defined fee tiers and their maker and taker rates
     */
    public FeeTiersView feeTiers()
    {
        return feeTiers;
    }

    /**
     * @return liquidations, takeovers, deleveraging and the insurance fund's receipts and covers so far
     */
    public RiskCounters risk()
    {
        return risk;
    }

    /**
     * @return the release listener that keeps these views current; register it with the sequencer before any
     *         protocol's own listener
     */
    public ViewUpdater updater()
    {
        return updater;
    }
}
