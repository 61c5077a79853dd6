package io.rollbook.matcher.risk;

/**
 * Fee tiers: a maker and a taker rate in parts per million for each tier id (0 to 255). A negative maker rate is a
 * rebate. Tier 0 exists from the start with no fees; others exist once defined.
 */
public final class FeeSchedule
{
    public static final int TIER_COUNT = 256;
    /** The most a rate may be, in either direction: 10%. */
    public static final int MAX_RATE_PPM = 100_000;

    private final int[] makerPpm = new int[TIER_COUNT];
    private final int[] takerPpm = new int[TIER_COUNT];
    private final boolean[] defined = new boolean[TIER_COUNT];

    public FeeSchedule()
    {
        defined[0] = true;
    }

    public boolean isDefined(final int tier)
    {
        return tier >= 0 && tier < TIER_COUNT && defined[tier];
    }

    public void define(final int tier, final int makerFeePpm, final int takerFeePpm)
    {
        makerPpm[tier] = makerFeePpm;
        takerPpm[tier] = takerFeePpm;
        defined[tier] = true;
    }

    public int makerPpm(final int tier)
    {
        return makerPpm[tier];
    }

    public int takerPpm(final int tier)
    {
        return takerPpm[tier];
    }

    /**
     * @return the highest rate an order of an account in {@code tier} can pay, in parts per million: the taker rate
     * or, for a tier that charges makers more, the maker rate; never below zero, so a rebate is not counted as
     * income before it is earned (what worst-case margin counts, docs/MARGIN.md)
     */
    public int worstCasePpm(final int tier)
    {
        return Math.max(0, Math.max(takerPpm[tier], makerPpm[tier]));
    }

    /**
     * @return the fee on {@code notionalMicros} at {@code ratePpm}, rounded up: a charge rounds up, a rebate
     * (negative) rounds towards zero
     */
    public static long fee(final long notionalMicros, final int ratePpm)
    {
        return ratePpm == 0 ? 0 : FixedMath.mulDivCeil(notionalMicros, ratePpm, Margin.PPM);
    }

    /**
     * The maker's side of a fill's fees. A rebate is paid out of the taker's fee of the same fill and never exceeds
     * it: a taker in a cheaper tier than the maker's rebate must not make the fee account pay out money it never
     * took in, which would leave it owing collateral without a position behind it (below StarkEx's validity rule,
     * and unbacked by any deposit).
     *
     * @param takerFeeMicros what the taker of the same fill pays, from {@link #fee}
     * @return the maker's fee on {@code notionalMicros} at {@code makerPpm}; a rebate (negative) at most
     * {@code takerFeeMicros} in size
     */
    public static long makerFee(final long notionalMicros, final int makerPpm, final long takerFeeMicros)
    {
        return Math.max(fee(notionalMicros, makerPpm), -takerFeeMicros);
    }
}
