package io.rollbook.gateway.view;

import java.math.BigInteger;

import io.rollbook.protocol.MarketDirectory;

/**
 * The insurance fund's balance as operators watch it ({@code /metrics}): its cross collateral, and its equity, the
 * collateral with the positions it took over valued at the oracle prices less their unsettled funding
 * ({@link AccountMargin}). The fund covers deficits from its collateral, so the collateral can fall below zero: a
 * shortfall nobody else backs, which the metric shows at once.
 *
 * <p>Reads {@link AccountsView} under its lock like any reader; its own snapshot and margin are guarded by this
 * object, so any thread may call it (a scrape does). Each call allocates: metrics are not a hot path.
 */
public final class InsuranceFundFigures
{
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final AccountsView accounts;
    private final int fundAccount;
    private final AccountSnapshot snapshot = new AccountSnapshot();
    private final AccountMargin margin;

    public InsuranceFundFigures(final AccountsView accounts, final MarketDirectory markets, final int fundAccount)
    {
        this.accounts = accounts;
        this.fundAccount = fundAccount;
        this.margin = new AccountMargin(markets);
    }

    /**
     * @return the fund's cross collateral, micro-USDC (0 before any event named it)
     */
    public synchronized long collateralMicros()
    {
        accounts.read(fundAccount, snapshot);
        return snapshot.collateralMicros();
    }

    /**
     * @return the fund's equity at the oracle prices, micro-USDC, saturated to a long
     */
    public synchronized long equityMicros()
    {
        accounts.read(fundAccount, snapshot);
        margin.compute(snapshot);
        return margin.equity().max(LONG_MIN).min(LONG_MAX).longValue();
    }
}
