package io.rollbook.gateway.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import io.rollbook.gateway.view.AccountMargin;
import io.rollbook.gateway.view.AccountSnapshot;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.json.JsonEvents;

/**
 * Writes an account's view as the trader API shows it: collateral, and the margin figures of docs/MARGIN.md at the
 * markets' oracle prices ({@link AccountMargin}: equity = cross collateral + value of cross positions - unsettled
 * funding; initial and maintenance requirements of the positions; what the worst case of the open orders adds to the
 * initial requirement; free collateral = equity - worst-case initial requirement, the figure the matcher accepts
 * orders and withdrawals against), each position with its entry price, unrealized PnL, liquidation price and its
 * open orders' worst case, the open orders and the recent fills; and its settings (fee tier, default self-trade
 * prevention).
 *
 * <p>Figures are computed exactly in BigInteger micro-USDC and rounded only for display.
 *
 * <p>Owned by its event loop.
 */
final class AccountJson
{
    private final MarketDirectory markets;
    private final AccountMargin margin;

    AccountJson(final MarketDirectory markets)
    {
        this.markets = markets;
        this.margin = new AccountMargin(markets);
    }

    String render(final AccountSnapshot account)
    {
        margin.compute(account);
        final int count = account.positionCount();
        final StringBuilder out = new StringBuilder(1024);
        out.append("{\"account\":").append(account.account());
        RestApi.money(out, "collateral", account.collateralMicros());
        money(out, "equity", margin.equity());
        money(out, "freeCollateral", margin.freeCollateral());
        money(out, "initialMargin", margin.crossInitial());
        money(out, "maintenanceMargin", margin.crossMaintenance());
        money(out, "openOrdersInitialMargin", margin.crossOpenOrdersInitial());
        out.append(",\"positions\":[");
        boolean first = true;
        for (int i = 0; i < count; i++)
        {
            final long size = account.positionSizeLots(i);
            final MarketSpec market = markets.byId(account.positionMarket(i));
            if (market == null || (size == 0 && account.positionIsolatedMarginMicros(i) == 0))
            {
                continue;
            }
            if (!first)
            {
                out.append(',');
            }
            first = false;
            final boolean isolated = account.positionMarginMode(i) != 0;
            out.append("{\"market\":");
            Json.string(out, market.symbol());
            RestApi.size(out, "size", market, size);
            out.append(",\"side\":\"").append(size > 0 ? "long" : size < 0 ? "short" : "flat").append('"');
            if (size == 0)
            {
                out.append(",\"entryPrice\":null");
            }
            else
            {
                out.append(",\"entryPrice\":\"").append(new BigDecimal(account.positionEntryValueMicros(i))
                    .divide(new BigDecimal(size).multiply(market.lotSize()).multiply(Decimals.MICROS_PER_UNIT),
                        market.tickSize().scale() + 4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString())
                    .append('"');
            }
            RestApi.money(out, "entryValue", account.positionEntryValueMicros(i));
            final long oracle = margin.positionOracleTicks(i);
            if (oracle == 0)
            {
                out.append(",\"oraclePrice\":null,\"unrealizedPnl\":null,\"liquidationPrice\":null");
            }
            else
            {
                RestApi.price(out, "oraclePrice", market, oracle);
                money(out, "unrealizedPnl",
                    margin.positionValue(i).subtract(BigInteger.valueOf(account.positionEntryValueMicros(i))));
                // Everything but this position's value and requirement, held: for a cross position the other
                // positions' requirements count against the account's equity too.
                final BigInteger others = isolated ?
                    BigInteger.valueOf(account.positionIsolatedMarginMicros(i)).subtract(margin.positionFunding(i)) :
                    margin.equity().subtract(margin.positionValue(i))
                        .subtract(margin.crossMaintenance().subtract(margin.positionMaintenance(i)));
                liquidationPrice(out, market, size, others);
            }
            money(out, "unsettledFunding", margin.positionFunding(i));
            RestApi.money(out, "realizedPnl", account.positionRealizedPnlMicros(i));
            money(out, "initialMargin", margin.positionInitial(i));
            money(out, "maintenanceMargin", margin.positionMaintenance(i));
            money(out, "openOrdersInitialMargin",
                margin.positionWorstCaseInitial(i).subtract(margin.positionInitial(i)));
            out.append(",\"margin\":\"").append(isolated ? "isolated" : "cross").append('"');
            RestApi.money(out, "isolatedMargin", account.positionIsolatedMarginMicros(i));
            out.append('}');
        }
        out.append("],\"openOrders\":").append(account.orderCount());
        out.append(",\"fills\":[");
        for (int i = 0; i < account.fillCount(); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            fill(out, account, i);
        }
        out.append("],\"settings\":");
        settings(out, account);
        return out.append('}').toString();
    }

    /**
     * The liquidation price: the last price, in ticks, at which the scope still stands ({@code equity >= maintenance}
     * with the matcher's rounding), {@code others} held; one tick further (lower for a long, higher for a short) the
     * matcher liquidates it. From {@code others + S*L*v = |S|*L*v*M}: {@code L = -others / (S*v*(1 - sign(S)*M))},
     * rounded towards safety, then checked against the rounded-up requirement, which can move it one tick more.
     * Null when the position stands at every positive price.
     */
    private static void liquidationPrice(final StringBuilder out, final MarketSpec market, final long size,
        final BigInteger others)
    {
        final BigDecimal m = BigDecimal.valueOf(market.maintenanceMarginPpm(), 6);
        final BigDecimal factor = BigDecimal.ONE.subtract(size > 0 ? m : m.negate());
        final BigDecimal denominator = BigDecimal.valueOf(size).multiply(BigDecimal.valueOf(market.tickLotValueMicros()))
            .multiply(factor);
        if (size == 0 || denominator.signum() == 0)
        {
            out.append(",\"liquidationPrice\":null");
            return;
        }
        final long step = size > 0 ? 1 : -1;
        BigInteger ticks = new BigDecimal(others).negate().divide(denominator, 0,
            size > 0 ? RoundingMode.CEILING : RoundingMode.FLOOR).toBigInteger();
        while (ticks.signum() > 0 && !stands(market, size, others, ticks))
        {
            ticks = ticks.add(BigInteger.valueOf(step));
        }
        if (size > 0 ? ticks.compareTo(BigInteger.ONE) <= 0 : ticks.signum() <= 0)
        {
            out.append(",\"liquidationPrice\":null");
            return;
        }
        out.append(",\"liquidationPrice\":\"").append(new BigDecimal(ticks).multiply(market.tickSize())
            .stripTrailingZeros().toPlainString()).append('"');
    }

    /**
     * @return true if at {@code ticks} the scope's equity covers its maintenance requirement as the matcher rounds it
     */
    private static boolean stands(final MarketSpec market, final long size, final BigInteger others,
        final BigInteger ticks)
    {
        if (ticks.bitLength() > 62)
        {
            return true;
        }
        final BigInteger value = BigInteger.valueOf(size).multiply(ticks)
            .multiply(BigInteger.valueOf(market.tickLotValueMicros()));
        return others.add(value).compareTo(AccountMargin.maintenance(market, ticks.longValueExact(), size)) >= 0;
    }

    private static void money(final StringBuilder out, final String key, final BigInteger micros)
    {
        out.append(",\"").append(key).append("\":\"")
            .append(new BigDecimal(micros, 6).stripTrailingZeros().toPlainString()).append('"');
    }

    /**
     * The account's settings, with the keys of the {@code accountConfigured} event that changes them: a client keeps
     * them current with one handler for the snapshot and the events.
     */
    void settings(final StringBuilder out, final AccountSnapshot account)
    {
        out.append("{\"account\":").append(account.account()).append(",\"feeTier\":").append(account.feeTier())
            .append(",\"stp\":\"")
            .append(JsonEvents.stp(SelfTradePrevention.get((short)account.selfTradePrevention()))).append("\"}");
    }

    void order(final StringBuilder out, final AccountSnapshot account, final int i)
    {
        final MarketSpec market = markets.byId(account.orderMarket(i));
        out.append("{\"orderId\":").append(account.orderId(i)).append(",\"clientId\":");
        ClientOrderIds.appendJson(out, account.orderClientOrderId(i));
        out.append(",\"market\":");
        Json.string(out, market == null ? Integer.toString(account.orderMarket(i)) : market.symbol());
        out.append(",\"side\":\"").append(account.orderSide(i) == 0 ? "buy" : "sell").append('"');
        if (market != null)
        {
            RestApi.price(out, "price", market, account.orderPriceTicks(i));
            RestApi.size(out, "size", market, account.orderSizeLots(i));
            RestApi.size(out, "remaining", market, account.orderRemainingLots(i));
            RestApi.size(out, "filled", market, account.orderSizeLots(i) - account.orderRemainingLots(i));
        }
        out.append(",\"status\":\"")
            .append(account.orderRemainingLots(i) < account.orderSizeLots(i) ? "partiallyFilled" : "open").append('"');
        final int tif = account.orderTimeInForce(i);
        out.append(",\"tif\":\"").append(tif == 0 ? "gtc" : tif == 1 ? "ioc" : "fok").append('"');
        out.append(",\"margin\":\"").append(account.orderMarginMode(i) == 0 ? "cross" : "isolated").append('"');
        out.append(",\"postOnly\":").append(account.orderPostOnly(i));
        out.append(",\"reduceOnly\":").append(account.orderReduceOnly(i));
        out.append(",\"seq\":").append(account.orderSequence(i)).append('}');
    }

    private void fill(final StringBuilder out, final AccountSnapshot account, final int i)
    {
        final MarketSpec market = markets.byId(account.fillMarket(i));
        out.append("{\"tradeId\":").append(account.fillTradeId(i)).append(",\"orderId\":").append(account.fillOrderId(i))
            .append(",\"clientId\":");
        ClientOrderIds.appendJson(out, account.fillClientOrderId(i));
        out.append(",\"market\":");
        Json.string(out, market == null ? Integer.toString(account.fillMarket(i)) : market.symbol());
        out.append(",\"side\":\"").append(account.fillSide(i) == 0 ? "buy" : "sell").append('"');
        if (market != null)
        {
            RestApi.price(out, "price", market, account.fillPriceTicks(i));
            RestApi.size(out, "size", market, account.fillSizeLots(i));
        }
        RestApi.money(out, "fee", account.fillFeeMicros(i));
        out.append(",\"liquidity\":\"").append(account.fillMaker(i) ? "maker" : "taker").append('"');
        out.append(",\"seq\":").append(account.fillSequence(i)).append(",\"timeNs\":").append(account.fillTimestampNs(i))
            .append('}');
    }
}
