package io.rollbook.matcher.reference;

import java.util.Set;

import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.RejectReason;

/**
 * The reasons only the risk engine gives (docs/MARGIN.md): margin, maximum position, margin modes, reduce-only,
 * isolated margin, funding and liquidation. The order-book verification — the {@link ReferenceMatcher}, the
 * generated streams and the order-book golden files — stays clear of them; coverage checks leave them out.
 */
public final class RiskEngineScope
{
    public static final Set<RejectReason> REJECTIONS = Set.of(
        RejectReason.INSUFFICIENT_MARGIN,
        RejectReason.POSITION_ABOVE_MAXIMUM,
        RejectReason.MARGIN_MODE_CONFLICT,
        RejectReason.REDUCE_ONLY_WOULD_INCREASE,
        RejectReason.ISOLATED_MARGIN_BELOW_MINIMUM,
        RejectReason.NO_ISOLATED_POSITION,
        RejectReason.FUNDING_RATE_OUT_OF_RANGE,
        RejectReason.FUNDING_INDEX_OVERFLOW);

    public static final Set<CancelReason> CANCELS = Set.of(
        CancelReason.INSUFFICIENT_MARGIN,
        CancelReason.REDUCE_ONLY,
        CancelReason.LIQUIDATION);

    private RiskEngineScope()
    {
    }
}
