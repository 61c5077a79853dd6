package io.rollbook.gateway.view;

import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.LiquidationStartedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.PositionTransferredEncoder;
import io.rollbook.protocol.engine.Side;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The liquidation counts operators read in the metrics come from released events only, each movement of money
 * counted once (a transfer between a liquidated account and the insurance fund is two balance events). The events
 * are those of the matcher's golden scenarios {@code margin/insurance-shortfall} (a bankrupt cross account: the fund
 * takes 0.6 SOL over and covers the 0.0016 USDC of fees the liquidation left unpaid) and
 * {@code margin/auto-deleverage} (the fund cannot carry it: two deleveraged counterparties), then an isolated bucket
 * that leaves 1.25 USDC to the fund.
 */
final class ViewUpdaterRiskTest
{
    private static final int FUND = 2;
    private static final int LIQUIDATED = 10;
    private static final int SOL = 3;

    private final GatewayViews views = new GatewayViews(8, 1024, 0);
    private final UnsafeBuffer events = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private long sequence;

    @Test
    void liquidationsTakeoversDeleveragingCoversAndRemaindersAreCountedOnce()
    {
        int length = liquidation(0, LiquidationStartedEncoder.marketNullValue());
        length = transfer(length, FUND, false, 600);
        length = balance(length, FUND, -1_600, BalanceCause.INSURANCE_COVER);
        length = balance(length, LIQUIDATED, 1_600, BalanceCause.INSURANCE_COVER);
        release(length);

        length = liquidation(0, LiquidationStartedEncoder.marketNullValue());
        length = transfer(length, 13, true, 400);
        length = transfer(length, 11, true, 200);
        release(length);

        length = liquidation(0, SOL);
        length = balance(length, FUND, 1_250_000, BalanceCause.LIQUIDATION_REMAINDER);
        length = balance(length, FUND, 7, BalanceCause.FUNDING_RESIDUE);
        release(length);

        final RiskCounters risk = views.risk();
        assertEquals(2, risk.crossLiquidations());
        assertEquals(1, risk.isolatedLiquidations());
        assertEquals(1, risk.insuranceFundTakeovers());
        assertEquals(2, risk.autoDeleverages());
        assertEquals(1_600, risk.coveredMicros(), "the fund's debit, not the account's credit as well");
        assertEquals(1_250_000, risk.remainderMicros(), "funding residue is no liquidation remainder");
    }

    private void release(final int length)
    {
        views.updater().onReleased(++sequence, 0, 0, events, 0, 0, 0, length);
    }

    private int liquidation(final int offset, final int market)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new LiquidationStartedEncoder()
            .wrapAndApplyHeader(events, offset, header).account(LIQUIDATED).market(market).equityMicros(-5_000)
            .maintenanceMicros(799_500).encodedLength();
    }

    private int transfer(final int offset, final int to, final boolean autoDeleveraged, final long lots)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new PositionTransferredEncoder()
            .wrapAndApplyHeader(events, offset, header).market(SOL).fromAccount(LIQUIDATED).toAccount(to)
            .priceTicks(8_000).sizeLots(lots).fromSide(Side.BUY)
            .autoDeleveraged(autoDeleveraged ? BooleanType.TRUE : BooleanType.FALSE).encodedLength();
    }

    private int balance(final int offset, final int account, final long delta, final BalanceCause cause)
    {
        return offset + MessageHeaderEncoder.ENCODED_LENGTH + new BalanceChangedEncoder()
            .wrapAndApplyHeader(events, offset, header).account(account).deltaMicros(delta).collateralMicros(delta)
            .cause(cause).encodedLength();
    }
}
