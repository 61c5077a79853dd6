package io.rollbook.app.journal;

import java.util.Locale;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineFeeTierDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.WithdrawDecoder;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.DirectBuffer;

/**
 * Renders an engine command as a JSON object in the spelling of the JSON command format (docs/JSON.md), so a
 * journal reads like the input people write: {@code {"cmd":"place","account":1,"market":"BTC-USD",...}}.
 * Commands people do not write as JSON get the keys of the event they produce ({@code defineMarket} those of
 * {@code marketDefined}, in the same decimals), so that command and event read alike; the rest is in docs/JSON.md,
 * "Commands in the journal".
 *
 * <p>Not thread-safe: one instance per thread. Shares its market directory with the event renderer, which learns
 * markets from {@code marketDefined} events.
 */
final class CommandJson
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PlaceOrderDecoder place = new PlaceOrderDecoder();
    private final CancelOrderDecoder cancel = new CancelOrderDecoder();
    private final AmendOrderDecoder amend = new AmendOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final OraclePriceDecoder oracle = new OraclePriceDecoder();
    private final ConfigureAccountDecoder configureAccount = new ConfigureAccountDecoder();
    private final DefineMarketDecoder defineMarket = new DefineMarketDecoder();
    private final FundingTickDecoder funding = new FundingTickDecoder();
    private final IsolatedMarginTransferDecoder isolatedMargin = new IsolatedMarginTransferDecoder();
    private final DefineFeeTierDecoder feeTier = new DefineFeeTierDecoder();
    private final MarketDirectory markets;

    CommandJson(final MarketDirectory markets)
    {
        this.markets = markets;
    }

    void append(final StringBuilder out, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            out.append("{\"cmd\":\"malformed\",\"length\":").append(length).append('}');
            return;
        }
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || blockLength > length - MessageHeaderDecoder.ENCODED_LENGTH)
        {
            out.append("{\"cmd\":\"malformed\",\"schemaId\":").append(header.schemaId())
                .append(",\"templateId\":").append(templateId).append(",\"length\":").append(length).append('}');
            return;
        }
        out.append("{\"cmd\":\"").append(JsonEvents.commandName(templateId)).append('"');
        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
            {
                place.wrap(buffer, body, blockLength, version);
                final int market = place.market();
                out.append(",\"account\":").append(place.account());
                market(out, market);
                out.append(",\"side\":\"").append(place.side() == Side.BUY ? "buy" : "sell").append('"');
                out.append(",\"type\":\"").append(place.orderType() == OrderType.MARKET ? "market" : "limit").append('"');
                // A market order's price is its own worst price, 0 for none: the format leaves the key out then.
                if (place.orderType() != OrderType.MARKET || place.priceTicks() != 0)
                {
                    units(out, "price", place.priceTicks(), market, true);
                }
                units(out, "size", place.sizeLots(), market, false);
                out.append(",\"tif\":\"").append(String.valueOf(place.timeInForce()).toLowerCase(Locale.ROOT))
                    .append('"');
                out.append(",\"postOnly\":").append(place.flags().postOnly());
                out.append(",\"reduceOnly\":").append(place.flags().reduceOnly());
                out.append(",\"margin\":\"").append(String.valueOf(place.marginMode()).toLowerCase(Locale.ROOT))
                    .append('"');
                out.append(",\"stp\":\"").append(JsonEvents.stp(place.selfTradePrevention())).append('"');
                clientId(out, place.clientOrderId());
                break;
            }
            case CancelOrderDecoder.TEMPLATE_ID:
                cancel.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(cancel.account());
                if (cancel.market() != CancelOrderDecoder.marketNullValue())
                {
                    market(out, cancel.market());
                }
                orderRef(out, cancel.orderId(), CancelOrderDecoder.orderIdNullValue(), cancel.clientOrderId());
                break;
            case AmendOrderDecoder.TEMPLATE_ID:
                amend.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(amend.account());
                if (amend.market() != AmendOrderDecoder.marketNullValue())
                {
                    market(out, amend.market());
                }
                orderRef(out, amend.orderId(), AmendOrderDecoder.orderIdNullValue(), amend.clientOrderId());
                units(out, "price", amend.priceTicks(), amend.market(), true);
                units(out, "size", amend.sizeLots(), amend.market(), false);
                break;
            case MassCancelDecoder.TEMPLATE_ID:
                massCancel.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(massCancel.account());
                if (massCancel.market() != MassCancelDecoder.marketNullValue())
                {
                    market(out, massCancel.market());
                }
                if (massCancel.side() != Side.NULL_VAL)
                {
                    out.append(",\"side\":\"").append(massCancel.side() == Side.BUY ? "buy" : "sell").append('"');
                }
                if (massCancel.trigger() == MassCancelTrigger.NULL_VAL)
                {
                    out.append(",\"trigger\":").append(massCancel.triggerRaw());
                }
                else
                {
                    out.append(",\"trigger\":\"").append(JsonEvents.trigger(massCancel.trigger())).append('"');
                }
                break;
            case DepositDecoder.TEMPLATE_ID:
                deposit.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(deposit.account());
                money(out, deposit.amountMicros());
                break;
            case WithdrawDecoder.TEMPLATE_ID:
                withdraw.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(withdraw.account());
                money(out, withdraw.amountMicros());
                break;
            case OraclePriceDecoder.TEMPLATE_ID:
                oracle.wrap(buffer, body, blockLength, version);
                market(out, oracle.market());
                units(out, "price", oracle.priceTicks(), oracle.market(), true);
                break;
            case ConfigureAccountDecoder.TEMPLATE_ID:
                configureAccount.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(configureAccount.account());
                if (configureAccount.selfTradePrevention() != SelfTradePrevention.NULL_VAL)
                {
                    out.append(",\"stp\":\"").append(JsonEvents.stp(configureAccount.selfTradePrevention())).append('"');
                }
                if (configureAccount.feeTier() != ConfigureAccountDecoder.feeTierNullValue())
                {
                    out.append(",\"feeTier\":").append(configureAccount.feeTier());
                }
                break;
            case FundingTickDecoder.TEMPLATE_ID:
                funding.wrap(buffer, body, blockLength, version);
                market(out, funding.market());
                out.append(",\"rate\":\"");
                Decimals.appendScaled(out, funding.ratePpb(), -9);
                out.append('"');
                break;
            case IsolatedMarginTransferDecoder.TEMPLATE_ID:
                isolatedMargin.wrap(buffer, body, blockLength, version);
                out.append(",\"account\":").append(isolatedMargin.account());
                market(out, isolatedMargin.market());
                money(out, isolatedMargin.amountMicros());
                break;
            case DefineFeeTierDecoder.TEMPLATE_ID:
                feeTier.wrap(buffer, body, blockLength, version);
                out.append(",\"tier\":").append(feeTier.tier());
                out.append(",\"makerFee\":\"");
                Decimals.appendScaled(out, feeTier.makerFeePpm(), -6);
                out.append("\",\"takerFee\":\"");
                Decimals.appendScaled(out, feeTier.takerFeePpm(), -6);
                out.append('"');
                break;
            case DefineMarketDecoder.TEMPLATE_ID:
                defineMarket.wrap(buffer, body, blockLength, version);
                out.append(",\"id\":").append(defineMarket.market());
                out.append(",\"market\":\"").append(defineMarket.symbol().trim()).append('"');
                out.append(",\"tickSize\":\"");
                Decimals.appendUnits(out, 1, defineMarket.tickSizeMantissa(), defineMarket.tickSizeExponent());
                out.append("\",\"lotSize\":\"");
                Decimals.appendUnits(out, 1, defineMarket.lotSizeMantissa(), defineMarket.lotSizeExponent());
                out.append('"');
                final long lotMantissa = defineMarket.lotSizeMantissa();
                final int lotExponent = defineMarket.lotSizeExponent();
                lots(out, "minSize", defineMarket.minSizeLots(), lotMantissa, lotExponent);
                lots(out, "maxOrderSize", defineMarket.maxOrderSizeLots(), lotMantissa, lotExponent);
                fraction(out, "marketOrderBand", defineMarket.marketOrderBandPpm());
                lots(out, "maxPosition", defineMarket.maxPositionLots(), lotMantissa, lotExponent);
                fraction(out, "initialMargin", defineMarket.initialMarginPpm());
                fraction(out, "maintenanceMargin", defineMarket.maintenanceMarginPpm());
                lots(out, "baselinePosition", defineMarket.baselinePositionLots(), lotMantissa, lotExponent);
                lots(out, "incrementalPosition", defineMarket.incrementalPositionLots(), lotMantissa, lotExponent);
                fraction(out, "incrementalInitialMargin", defineMarket.incrementalInitialMarginPpm());
                break;
            default:
                out.append(",\"templateId\":").append(templateId).append(",\"length\":").append(length);
        }
        out.append('}');
    }

    private void market(final StringBuilder out, final int marketId)
    {
        final MarketSpec market = markets.byId(marketId);
        if (market == null)
        {
            out.append(",\"market\":").append(marketId);
        }
        else
        {
            out.append(",\"market\":\"").append(market.symbol()).append('"');
        }
    }

    private void units(final StringBuilder out, final String key, final long units, final int marketId, final boolean price)
    {
        final MarketSpec market = markets.byId(marketId);
        if (market == null)
        {
            out.append(",\"").append(key).append(price ? "Ticks" : "Lots").append("\":").append(units);
            return;
        }
        out.append(",\"").append(key).append("\":\"");
        if (price)
        {
            Decimals.appendUnits(out, units, market.tickSizeMantissa(), market.tickSizeExponent());
        }
        else
        {
            Decimals.appendUnits(out, units, market.lotSizeMantissa(), market.lotSizeExponent());
        }
        out.append('"');
    }

    /**
     * A size of the market being defined, in its own lot size: the market is not in the directory until its
     * {@code marketDefined} event.
     */
    private static void lots(final StringBuilder out, final String key, final long lots, final long lotMantissa,
        final int lotExponent)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendUnits(out, lots, lotMantissa, lotExponent);
        out.append('"');
    }

    private static void fraction(final StringBuilder out, final String key, final long ppm)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendScaled(out, ppm, -6);
        out.append('"');
    }

    private static void money(final StringBuilder out, final long micros)
    {
        out.append(",\"amount\":\"");
        Decimals.appendScaled(out, micros, -6);
        out.append('"');
    }

    private static void clientId(final StringBuilder out, final long clientOrderId)
    {
        out.append(",\"clientId\":");
        ClientOrderIds.appendJson(out, clientOrderId);
    }

    private static void orderRef(final StringBuilder out, final long orderId, final long nullOrderId, final long clientOrderId)
    {
        if (orderId != nullOrderId)
        {
            out.append(",\"orderId\":").append(orderId);
        }
        else
        {
            clientId(out, clientOrderId);
        }
    }
}
