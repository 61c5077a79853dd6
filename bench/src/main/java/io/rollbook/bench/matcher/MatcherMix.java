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
    EXCHANGE_CORE("matcher", 0.09, 0.03, 0.06, 1_000, 2_000, 0, 0, 0),

    /**
     * A placement-heavy mix: 45% GTC places, 20% IOC, 30% cancels, 5% amends, same book and accounts.
     */
    PLACEMENT("matcher-placement", 0.45, 0.20, 0.30, 1_000, 2_000, 0, 0, 0),

    /**
     * exchange-core's mix with the risk engine at work: accounts with margin that matters (10,000 USDC each),
     * half of them trading in isolated mode, an oracle update every 1,000 commands (a bounded random walk of up to
     * 3% around the book), and 20 accounts that keep opening positions at 20x leverage, so that oracle moves
     * liquidate them during the run.
     */
    MARGIN("matcher-margin", 0.09, 0.03, 0.06, 1_000, 2_000, 0.5, 1_000, 20);

    private final String resultName;
    private final double gtcShare;
    private final double iocShare;
    private final double cancelShare;
    private final int targetBookOrders;
    private final int accounts;
    private final double isolatedShare;
    private final int oracleIntervalCommands;
    private final int riskyAccounts;

    MatcherMix(
        final String resultName,
        final double gtcShare,
        final double iocShare,
        final double cancelShare,
        final int targetBookOrders,
        final int accounts,
        final double isolatedShare,
        final int oracleIntervalCommands,
        final int riskyAccounts)
    {
        this.resultName = resultName;
        this.gtcShare = gtcShare;
        this.iocShare = iocShare;
        this.cancelShare = cancelShare;
        this.targetBookOrders = targetBookOrders;
        this.accounts = accounts;
        this.isolatedShare = isolatedShare;
        this.oracleIntervalCommands = oracleIntervalCommands;
        this.riskyAccounts = riskyAccounts;
    }

    /**
     * @return true if the mix exercises margin: limited collateral, isolated accounts, oracle moves, liquidations
     */
    public boolean isMargin()
    {
        return oracleIntervalCommands > 0;
    }

    /**
     * @return the share of accounts that place their orders in isolated margin mode
     */
    public double isolatedShare()
    {
        return isolatedShare;
    }

    /**
     * @return how many commands apart the oracle updates are, 0 for none after the first
     */
    public int oracleIntervalCommands()
    {
        return oracleIntervalCommands;
    }

    /**
     * @return how many accounts keep re-opening highly leveraged positions
     */
    public int riskyAccounts()
    {
        return riskyAccounts;
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
