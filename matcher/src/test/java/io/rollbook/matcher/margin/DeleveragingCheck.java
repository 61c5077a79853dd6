package io.rollbook.matcher.margin;

import java.math.BigInteger;
import java.util.Arrays;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.Side;
import org.agrona.DirectBuffer;

/**
 * What auto-deleveraging may cost a counterparty that was not liquidated (docs/MARGIN.md, Liquidation), checked at
 * every deleveraging transfer of a command from the state before the command and the command's own events, with
 * {@link BigInteger}s:
 *
 * <ul>
 *   <li>the counterparty never loses more than its equity just before the transfer (none at all if it had none):
 *   deleveraging never leaves it with negative equity, nor deepens a deficit it already had;</li>
 *   <li>it never trades at a price worse for it than the liquidated scope's exact bound
 *   {@code P * (1 -/+ M * V / W)} (or one tick, the lowest price there is), so never pays for more of the loss
 *   than closing at that value would cost.</li>
 * </ul>
 *
 * <p>Within one command the oracle price and funding index of every market are those after it (a command moves
 * them before it liquidates anything), so the equity of a scope at any event is its collateral, sizes and funding
 * indices as the events left them, valued at the final market state. Not thread-safe.
 */
final class DeleveragingCheck
{
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000L);

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final PositionTransferredDecoder transferred = new PositionTransferredDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final LiquidationStartedDecoder liquidation = new LiquidationStartedDecoder();
    private final long[] collateral;
    private final long[][] size;
    private final long[][] fundingIndex;
    private final long[][] isolatedMargin;
    private final boolean[][] isolated;
    private int transfers;

    DeleveragingCheck(final Matcher.Context context)
    {
        collateral = new long[context.accountCapacity()];
        size = new long[context.accountCapacity()][context.marketCapacity()];
        fundingIndex = new long[context.accountCapacity()][context.marketCapacity()];
        isolatedMargin = new long[context.accountCapacity()][context.marketCapacity()];
        isolated = new boolean[context.accountCapacity()][context.marketCapacity()];
    }

    /**
     * @return how many deleveraging transfers were checked so far
     */
    int transfers()
    {
        return transfers;
    }

    /**
     * Records the state the next command starts from.
     */
    void before(final Matcher matcher)
    {
        for (int id = 0; id < collateral.length; id++)
        {
            final Account account = matcher.account(id);
            collateral[id] = account == null ? 0 : account.collateralMicros();
            Arrays.fill(size[id], 0);
            Arrays.fill(isolatedMargin[id], 0);
            if (account == null)
            {
                continue;
            }
            for (int i = 0; i < account.positionCount(); i++)
            {
                final Position position = account.positionAt(i);
                size[id][position.market()] = position.sizeLots();
                fundingIndex[id][position.market()] = position.fundingIndex();
                isolatedMargin[id][position.market()] = position.isolatedMarginMicros();
                isolated[id][position.market()] = position.isIsolated();
            }
        }
    }

    /**
     * Replays the command's events over the state recorded before it and checks every deleveraging transfer.
     *
     * @throws AssertionError naming the transfer that broke a rule
     */
    void after(final Matcher matcher, final DirectBuffer buffer, final int length)
    {
        long equity = 0;
        long maintenance = 0;
        int pendingAccount = -1;
        int pendingMarket = -1;
        BigInteger pendingEquity = null;
        for (int offset = 0; offset < length; )
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int template = header.templateId();
            if (template == LiquidationStartedDecoder.TEMPLATE_ID)
            {
                liquidation.wrap(buffer, body, header.blockLength(), header.version());
                equity = liquidation.equityMicros();
                maintenance = liquidation.maintenanceMicros();
            }
            else if (template == BalanceChangedDecoder.TEMPLATE_ID)
            {
                balanceChanged.wrap(buffer, body, header.blockLength(), header.version());
                collateral[balanceChanged.account()] = balanceChanged.collateralMicros();
            }
            else if (template == PositionTransferredDecoder.TEMPLATE_ID)
            {
                transferred.wrap(buffer, body, header.blockLength(), header.version());
                if (transferred.autoDeleveraged() == BooleanType.TRUE)
                {
                    pendingAccount = transferred.toAccount();
                    pendingMarket = transferred.market();
                    pendingEquity = scopeEquity(matcher, pendingAccount, pendingMarket);
                    checkPrice(matcher.market(pendingMarket), equity, maintenance);
                }
            }
            else if (template == PositionChangedDecoder.TEMPLATE_ID)
            {
                positionChanged.wrap(buffer, body, header.blockLength(), header.version());
                final int account = positionChanged.account();
                final int market = positionChanged.market();
                collateral[account] = positionChanged.collateralMicros();
                size[account][market] = positionChanged.sizeLots();
                fundingIndex[account][market] = positionChanged.fundingIndex();
                isolatedMargin[account][market] = positionChanged.isolatedMarginMicros();
                isolated[account][market] = positionChanged.marginMode() == MarginMode.ISOLATED;
                if (account == pendingAccount && market == pendingMarket)
                {
                    checkLoss(matcher, pendingEquity, scopeEquity(matcher, account, market));
                    pendingAccount = -1;
                    transfers++;
                }
            }
            offset = body + header.blockLength();
        }
    }

    private void checkLoss(final Matcher matcher, final BigInteger before, final BigInteger after)
    {
        final BigInteger loss = before.subtract(after);
        if (loss.compareTo(before.max(BigInteger.ZERO)) > 0)
        {
            throw new AssertionError("after sequence " + matcher.lastSequence() + ": deleveraging " +
                transferred.sizeLots() + " lots at " + transferred.priceTicks() + " in market " +
                transferred.market() + " took account " + transferred.toAccount() + " from equity " + before +
                " to " + after);
        }
    }

    /**
     * The counterparty buys from a liquidated long at no more than {@code P * (1 - M * V / W)} and sells to a
     * liquidated short at no less than {@code P * (1 + M * V / W)}.
     */
    private void checkPrice(final Market market, final long equity, final long maintenance)
    {
        final BigInteger price = BigInteger.valueOf(transferred.priceTicks());
        final BigInteger w = BigInteger.valueOf(maintenance);
        final BigInteger exactTimesWPpm = BigInteger.valueOf(market.oraclePriceTicks()).multiply(
            w.multiply(PPM).add(BigInteger.valueOf(transferred.fromSide() == Side.BUY ? -1 : 1)
                .multiply(BigInteger.valueOf(market.maintenanceMarginPpm())).multiply(BigInteger.valueOf(equity))));
        final int sign = price.multiply(w).multiply(PPM).compareTo(exactTimesWPpm);
        // No price is below one tick: a bound below it is one tick.
        if (transferred.fromSide() == Side.BUY ? sign > 0 && transferred.priceTicks() > 1 : sign < 0)
        {
            throw new AssertionError("deleveraging " + transferred.sizeLots() + " lots in market " +
                transferred.market() + " at " + transferred.priceTicks() + " is beyond the exact bound (oracle " +
                market.oraclePriceTicks() + ", V " + equity + ", W " + maintenance + ") for account " +
                transferred.toAccount());
        }
    }

    private BigInteger scopeEquity(final Matcher matcher, final int account, final int market)
    {
        if (isolated[account][market])
        {
            return BigInteger.valueOf(isolatedMargin[account][market]).add(slotValue(matcher, account, market));
        }
        BigInteger equity = BigInteger.valueOf(collateral[account]);
        for (int m = 0; m < size[account].length; m++)
        {
            if (!isolated[account][m] && size[account][m] != 0)
            {
                equity = equity.add(slotValue(matcher, account, m));
            }
        }
        return equity;
    }

    /**
     * The slot's value at the oracle price less its unsettled funding, rounded up as the matcher settles it.
     */
    private BigInteger slotValue(final Matcher matcher, final int account, final int marketId)
    {
        final Market market = matcher.market(marketId);
        final BigInteger lots = BigInteger.valueOf(size[account][marketId]);
        final BigInteger unsettled = lots.multiply(BigInteger.valueOf(market.fundingIndex())
            .subtract(BigInteger.valueOf(fundingIndex[account][marketId])));
        final BigInteger[] qr = unsettled.divideAndRemainder(NANOS);
        final BigInteger owed = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return lots.multiply(BigInteger.valueOf(market.oraclePriceTicks()))
            .multiply(BigInteger.valueOf(market.tickLotValueMicros())).subtract(owed);
    }
}
