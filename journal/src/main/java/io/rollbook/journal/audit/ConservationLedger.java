package io.rollbook.journal.audit;

import java.math.BigInteger;
import java.util.Arrays;

import io.rollbook.journal.commitment.AccountLeaf;
import io.rollbook.journal.commitment.StateCommitment;

/**
 * Running totals for the conservation identity of docs/MARGIN.md, kept over account leaves:
 *
 * <pre>
 * 1e9 * sum over accounts (Q + isolated margins)  -  sum over positions S * (F - fundingIndex)  +  R  =  1e9 * (D - W)
 * and in every market the position sizes sum to zero
 * </pre>
 *
 * With the sizes of each market summing to zero, {@code sum S * F} vanishes market by market, so the identity is
 * {@code 1e9 * (sum(Q + isolated) - D + W) + sum S * fundingIndex + R = 0}: totals of the leaves alone, which are
 * kept up to date account by account (remove a leaf's share before it changes, add it back after), exactly, in
 * 128 bits. So checking after every batch costs what the batch changed, not the number of accounts.
 *
 * <p>Not thread-safe; allocates nothing per account (markets get their total when first seen).
 */
final class ConservationLedger implements StateCommitment.ChangeListener
{
    private static final long NANOS = 1_000_000_000L;

    private final Int128 collateral = new Int128();
    private final Int128 settledFunding = new Int128();
    private final Int128 scratch = new Int128();
    private Int128[] marketSizes = new Int128[8];
    private int unbalancedMarkets;

    @Override
    public void beforeChange(final AccountLeaf leaf)
    {
        remove(leaf);
    }

    void add(final AccountLeaf leaf)
    {
        collateral.add(leaf.collateralMicros());
        for (int i = 0; i < leaf.entryCount(); i++)
        {
            collateral.add(leaf.isolatedMarginMicros(i));
            settledFunding.addProduct(leaf.sizeLots(i), leaf.fundingIndex(i));
            changeMarketSize(leaf.market(i), leaf.sizeLots(i), true);
        }
    }

    void remove(final AccountLeaf leaf)
    {
        collateral.subtract(leaf.collateralMicros());
        for (int i = 0; i < leaf.entryCount(); i++)
        {
            collateral.subtract(leaf.isolatedMarginMicros(i));
            settledFunding.subtractProduct(leaf.sizeLots(i), leaf.fundingIndex(i));
            changeMarketSize(leaf.market(i), leaf.sizeLots(i), false);
        }
    }

    private void changeMarketSize(final int market, final long sizeLots, final boolean add)
    {
        if (market >= marketSizes.length)
        {
            marketSizes = Arrays.copyOf(marketSizes, Math.max(market + 1, marketSizes.length * 2));
        }
        Int128 total = marketSizes[market];
        if (total == null)
        {
            total = new Int128();
            marketSizes[market] = total;
        }
        final boolean wasZero = total.isZero();
        if (add)
        {
            total.add(sizeLots);
        }
        else
        {
            total.subtract(sizeLots);
        }
        if (wasZero != total.isZero())
        {
            unbalancedMarkets += wasZero ? 1 : -1;
        }
    }

    /**
     * @param depositedMicros   D, all accepted deposits
     * @param withdrawnMicros   W, all accepted withdrawals
     * @param residueNanos      R, funding rounding not yet paid out
     * @return null if the identity and the zero sums hold, otherwise what breaks, with the figures
     */
    String problem(final long depositedMicros, final long withdrawnMicros, final long residueNanos)
    {
        if (unbalancedMarkets > 0)
        {
            for (int market = 0; market < marketSizes.length; market++)
            {
                if (marketSizes[market] != null && !marketSizes[market].isZero())
                {
                    return "positions in market " + market + " sum to " + marketSizes[market] + " lots, not 0";
                }
            }
        }
        // D and W are running totals that wrap past 2^63 micro-USDC; D - W, bounded by the engine's deposit limit,
        // is exact in 64 bits whether they wrapped or not.
        final long held = depositedMicros - withdrawnMicros;
        scratch.set(collateral).subtract(held).multiply(NANOS)
            .add(settledFunding).add(residueNanos);
        if (scratch.isZero())
        {
            return null;
        }
        final BigInteger nanos = BigInteger.valueOf(NANOS);
        final BigInteger left = collateral.toBigInteger().multiply(nanos).add(settledFunding.toBigInteger())
            .add(BigInteger.valueOf(residueNanos));
        final BigInteger right = BigInteger.valueOf(held).multiply(nanos);
        return "conservation broken: 1e9 x collateral " + collateral + " - unsettled funding " +
            settledFunding.toBigInteger().negate() + " + funding residue " + residueNanos + " = " + left +
            " (1e-9 micro-USDC), but 1e9 x (deposits " + depositedMicros + " - withdrawals " + withdrawnMicros +
            ") = " + right + ": " + left.subtract(right) + " too much";
    }

    /**
     * @return true if both ledgers hold the same totals
     */
    boolean sameTotals(final ConservationLedger other)
    {
        if (!collateral.sameAs(other.collateral) || !settledFunding.sameAs(other.settledFunding))
        {
            return false;
        }
        for (int market = 0; market < Math.max(marketSizes.length, other.marketSizes.length); market++)
        {
            final Int128 mine = market < marketSizes.length ? marketSizes[market] : null;
            final Int128 theirs = market < other.marketSizes.length ? other.marketSizes[market] : null;
            if ((mine == null || mine.isZero()) != (theirs == null || theirs.isZero()) ||
                (mine != null && theirs != null && !mine.sameAs(theirs)))
            {
                return false;
            }
        }
        return true;
    }

    void clear()
    {
        collateral.set(0);
        settledFunding.set(0);
        for (final Int128 total : marketSizes)
        {
            if (total != null)
            {
                total.set(0);
            }
        }
        unbalancedMarkets = 0;
    }
}
