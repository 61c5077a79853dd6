package io.rollbook.gateway.view;

import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.sequencer.metrics.Counter;

/**
 * What the liquidation engine did since the journal began, counted from released events for operators
 * ({@code /metrics}): liquidations of cross accounts and of isolated positions, positions taken over by the insurance
 * fund and auto-deleveraged, and the money that moved between liquidated accounts and the fund: remainders it
 * received and deficits (shortfalls) it covered. The fund's balance itself is an account of {@link AccountsView}.
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater} (so at start the journal's history is counted
 * by {@link ViewBootstrap}, and the counts are the same after any restart). Any thread reads.
 */
public final class RiskCounters
{
    private final Counter crossLiquidations = new Counter();
    private final Counter isolatedLiquidations = new Counter();
    private final Counter insuranceFundTakeovers = new Counter();
    private final Counter autoDeleverages = new Counter();
    private final Counter coveredMicros = new Counter();
    private final Counter remainderMicros = new Counter();

    void onLiquidationStarted(final boolean isolated)
    {
        (isolated ? isolatedLiquidations : crossLiquidations).increment();
    }

    void onPositionTransferred(final boolean autoDeleveraged)
    {
        (autoDeleveraged ? autoDeleverages : insuranceFundTakeovers).increment();
    }

    /**
     * A balance change: a deficit covered by the fund is the fund's debit (negative) of cause insuranceCover, a
     * remainder the fund's credit (positive) of cause liquidationRemainder; the other side of each is the liquidated
     * account's, which is not counted again.
     */
    void onBalanceChanged(final BalanceCause cause, final long deltaMicros)
    {
        if (cause == BalanceCause.INSURANCE_COVER && deltaMicros < 0)
        {
            coveredMicros.add(-deltaMicros);
        }
        else if (cause == BalanceCause.LIQUIDATION_REMAINDER && deltaMicros > 0)
        {
            remainderMicros.add(deltaMicros);
        }
    }

    public long crossLiquidations()
    {
        return crossLiquidations.get();
    }

    public long isolatedLiquidations()
    {
        return isolatedLiquidations.get();
    }

    /**
     * @return liquidated positions (or parts of them) the insurance fund took over
     */
    public long insuranceFundTakeovers()
    {
        return insuranceFundTakeovers.get();
    }

    /**
     * @return liquidated positions (or parts of them) closed against opposite positions (auto-deleveraging)
     */
    public long autoDeleverages()
    {
        return autoDeleverages.get();
    }

    /**
     * @return micro-USDC of deficits the insurance fund covered: what liquidated accounts and buckets lacked
     */
    public long coveredMicros()
    {
        return coveredMicros.get();
    }

    /**
     * @return micro-USDC that liquidated accounts and buckets had left, paid to the insurance fund
     */
    public long remainderMicros()
    {
        return remainderMicros.get();
    }
}
