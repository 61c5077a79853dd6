package io.rollbook.bench.matcher;

/**
 * A benchmark command mix: the share of each command kind, and the shape of the book it runs against.
 */
public enum MatcherMix
{
    /**
     * exchange-core's published mix, so the figures compare: 9% GTC places, 3% IOC, 6% cancels, 82% amends, one
     * market with about 1,000 resting orders, 2,000 accounts.
     */
    EXCHANGE_CORE("matcher", 0.09, 0.03, 0.06, 1_000, 2_000),

    /**
     * A placement-heavy mix: 45% GTC places, 20% IOC, 30% cancels, 5% amends, same book and accounts.
     */
    PLACEMENT("matcher-placement", 0.45, 0.20, 0.30, 1_000, 2_000);

    private final String resultName;
    private final double gtcShare;
    private final double iocShare;
    private final double cancelShare;
    private final int targetBookOrders;
    private final int accounts;

    MatcherMix(
        final String resultName,
        final double gtcShare,
        final double iocShare,
        final double cancelShare,
        final int targetBookOrders,
        final int accounts)
    {
        this.resultName = resultName;
        this.gtcShare = gtcShare;
        this.iocShare = iocShare;
        this.cancelShare = cancelShare;
        this.targetBookOrders = targetBookOrders;
        this.accounts = accounts;
    }

    public String resultName()
    {
        return resultName;
    }

    public double gtcShare()
    {
        return gtcShare;
    }

    public double iocShare()
    {
        return iocShare;
    }

    public double cancelShare()
    {
        return cancelShare;
    }

    /**
     * @return the amend share: what the other kinds leave
     */
    public double amendShare()
    {
        return 1.0 - gtcShare - iocShare - cancelShare;
    }

    public int targetBookOrders()
    {
        return targetBookOrders;
    }

    public int accounts()
    {
        return accounts;
    }
}
