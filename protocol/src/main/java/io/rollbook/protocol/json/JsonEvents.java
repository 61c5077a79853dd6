package io.rollbook.protocol.json;

import java.util.Locale;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.RejectMessages;
import io.rollbook.protocol.engine.AccountConfiguredDecoder;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineFeeTierDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.FeeTierDefinedDecoder;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MarketDefinedDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.OracleUpdatedDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.protocol.engine.WithdrawDecoder;
import org.agrona.DirectBuffer;

/**
 * Writes engine events as JSON objects, one per event, in the format of docs/JSON.md: prices and sizes as
 * decimal strings in the market's units, money as decimal USDC strings, markets by symbol. Markets come from the
 * directory given, and any {@code marketDefined} event seen adds its market, so a journal can be rendered with
 * nothing but itself.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class JsonEvents
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();
    private final MassCanceledDecoder massCanceled = new MassCanceledDecoder();
    private final OracleUpdatedDecoder oracleUpdated = new OracleUpdatedDecoder();
    private final BalanceChangedDecoder balanceChanged = new BalanceChangedDecoder();
    private final AccountConfiguredDecoder accountConfigured = new AccountConfiguredDecoder();
    private final MarketDefinedDecoder marketDefined = new MarketDefinedDecoder();
    private final PositionChangedDecoder positionChanged = new PositionChangedDecoder();
    private final FundingAppliedDecoder fundingApplied = new FundingAppliedDecoder();
    private final LiquidationStartedDecoder liquidationStarted = new LiquidationStartedDecoder();
    private final PositionTransferredDecoder positionTransferred = new PositionTransferredDecoder();
    private final FeeTierDefinedDecoder feeTierDefined = new FeeTierDefinedDecoder();
    private final MarketDirectory markets;

    public JsonEvents(final MarketDirectory markets)
    {
        this.markets = markets;
    }

    /**
     * Appends one event as a JSON object (no line break).
     *
     * @param out    where the JSON goes
     * @param seq    the sequence number of the command that produced the event
     * @param buffer holds the event
     * @param offset where its message header starts
     * @return the event's encoded length, so the caller can step to the next one
     */
    public int append(final StringBuilder out, final long seq, final DirectBuffer buffer, final int offset)
    {
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        out.append("{\"seq\":").append(seq).append(",\"type\":\"");
        switch (templateId)
        {
            case OrderAcceptedDecoder.TEMPLATE_ID:
                accepted(out, accepted.wrap(buffer, body, blockLength, version));
                break;
            case CommandRejectedDecoder.TEMPLATE_ID:
                rejected(out, rejected.wrap(buffer, body, blockLength, version));
                break;
            case TradeDecoder.TEMPLATE_ID:
                trade(out, trade.wrap(buffer, body, blockLength, version));
                break;
            case OrderCanceledDecoder.TEMPLATE_ID:
                canceled(out, canceled.wrap(buffer, body, blockLength, version));
                break;
            case OrderRestingDecoder.TEMPLATE_ID:
                resting(out, resting.wrap(buffer, body, blockLength, version));
                break;
            case OrderAmendedDecoder.TEMPLATE_ID:
                amended(out, amended.wrap(buffer, body, blockLength, version));
                break;
            case MassCanceledDecoder.TEMPLATE_ID:
                massCanceled(out, massCanceled.wrap(buffer, body, blockLength, version));
                break;
            case OracleUpdatedDecoder.TEMPLATE_ID:
                oracleUpdated.wrap(buffer, body, blockLength, version);
                out.append("oracle\"");
                market(out, oracleUpdated.market());
                price(out, "price", oracleUpdated.market(), oracleUpdated.priceTicks());
                break;
            case BalanceChangedDecoder.TEMPLATE_ID:
                balanceChanged.wrap(buffer, body, blockLength, version);
                out.append("balance\",\"account\":").append(balanceChanged.account());
                money(out, "change", balanceChanged.deltaMicros());
                money(out, "collateral", balanceChanged.collateralMicros());
                out.append(",\"cause\":\"").append(cause(balanceChanged.cause())).append('"');
                break;
            case AccountConfiguredDecoder.TEMPLATE_ID:
                accountConfigured.wrap(buffer, body, blockLength, version);
                out.append("accountConfigured\",\"account\":").append(accountConfigured.account())
                    .append(",\"feeTier\":").append(accountConfigured.feeTier())
                    .append(",\"stp\":\"").append(stp(accountConfigured.selfTradePrevention())).append('"');
                break;
            case PositionChangedDecoder.TEMPLATE_ID:
                position(out, positionChanged.wrap(buffer, body, blockLength, version));
                break;
            case FundingAppliedDecoder.TEMPLATE_ID:
                fundingApplied.wrap(buffer, body, blockLength, version);
                out.append("funding\"");
                market(out, fundingApplied.market());
                out.append(",\"rate\":\"");
                Decimals.appendScaled(out, fundingApplied.ratePpb(), -9);
                out.append('"');
                price(out, "oraclePrice", fundingApplied.market(), fundingApplied.oraclePriceTicks());
                out.append(",\"fundingIndex\":").append(fundingApplied.fundingIndex());
                break;
            case LiquidationStartedDecoder.TEMPLATE_ID:
                liquidationStarted.wrap(buffer, body, blockLength, version);
                out.append("liquidation\",\"account\":").append(liquidationStarted.account());
                if (liquidationStarted.market() != LiquidationStartedDecoder.marketNullValue())
                {
                    market(out, liquidationStarted.market());
                }
                money(out, "equity", liquidationStarted.equityMicros());
                money(out, "maintenance", liquidationStarted.maintenanceMicros());
                break;
            case PositionTransferredDecoder.TEMPLATE_ID:
                positionTransferred.wrap(buffer, body, blockLength, version);
                out.append("positionTransferred\"");
                market(out, positionTransferred.market());
                out.append(",\"from\":").append(positionTransferred.fromAccount());
                out.append(",\"to\":").append(positionTransferred.toAccount());
                side(out, "side", positionTransferred.fromSide());
                price(out, "price", positionTransferred.market(), positionTransferred.priceTicks());
                size(out, "size", positionTransferred.market(), positionTransferred.sizeLots());
                out.append(",\"autoDeleveraged\":").append(positionTransferred.autoDeleveraged() == BooleanType.TRUE);
                break;
            case FeeTierDefinedDecoder.TEMPLATE_ID:
                feeTierDefined.wrap(buffer, body, blockLength, version);
                out.append("feeTierDefined\",\"tier\":").append(feeTierDefined.tier());
                fraction(out, "makerFee", feeTierDefined.makerFeePpm());
                fraction(out, "takerFee", feeTierDefined.takerFeePpm());
                break;
            case MarketDefinedDecoder.TEMPLATE_ID:
                marketDefined(out, marketDefined.wrap(buffer, body, blockLength, version));
                break;
            default:
                out.append("unknown\",\"templateId\":").append(templateId);
        }
        out.append('}');

        return MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
    }

    private void accepted(final StringBuilder out, final OrderAcceptedDecoder event)
    {
        final int market = event.market();
        out.append("accepted\",\"orderId\":").append(event.orderId());
        clientId(out, "clientId", event.clientOrderId());
        out.append(",\"account\":").append(event.account());
        market(out, market);
        side(out, "side", event.side());
        out.append(",\"orderType\":\"").append(event.orderType().name().toLowerCase(Locale.ROOT)).append('"');
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.sizeLots());
        out.append(",\"tif\":\"").append(event.timeInForce().name().toLowerCase(Locale.ROOT)).append('"');
        out.append(",\"postOnly\":").append(event.flags().postOnly());
        out.append(",\"reduceOnly\":").append(event.flags().reduceOnly());
        out.append(",\"margin\":\"").append(event.marginMode().name().toLowerCase(Locale.ROOT)).append('"');
        out.append(",\"stp\":\"").append(stp(event.selfTradePrevention())).append('"');
    }

    private void rejected(final StringBuilder out, final CommandRejectedDecoder event)
    {
        final RejectReason reason = event.reason();
        final int market = event.market();
        out.append("rejected\",\"command\":\"").append(commandName(event.commandTemplateId())).append('"');
        out.append(",\"reason\":\"").append(reason.name()).append('"');
        out.append(",\"message\":\"");
        escape(out, RejectMessages.describe(reason, event.detail(), markets.byId(market), event.commandTemplateId()));
        out.append('"');
        out.append(",\"detail\":").append(event.detail());
        if (event.account() != 0 || reason == RejectReason.ACCOUNT_OUT_OF_RANGE)
        {
            out.append(",\"account\":").append(event.account());
        }
        if (market != CommandRejectedDecoder.marketNullValue())
        {
            market(out, market);
        }
        if (event.orderId() != CommandRejectedDecoder.orderIdNullValue())
        {
            out.append(",\"orderId\":").append(event.orderId());
        }
        if (event.clientOrderId() != CommandRejectedDecoder.clientOrderIdNullValue())
        {
            clientId(out, "clientId", event.clientOrderId());
        }
    }

    /**
     * Appends a trade event as one of its two sides sees it, a fill: the trade's price, size and id with that side's
     * account, order, client order id, remaining size, fee and liquidity, and nothing of the other side (which account
     * traded against it, with which order, is that account's business only).
     *
     * @param out    where the JSON goes
     * @param seq    the sequence number of the command that produced the trade
     * @param buffer holds the trade event
     * @param offset where its message header starts
     * @param maker  true for the maker's side, false for the taker's
     */
    public void appendFill(
        final StringBuilder out, final long seq, final DirectBuffer buffer, final int offset, final boolean maker)
    {
        header.wrap(buffer, offset);
        final TradeDecoder event = trade.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        final int market = event.market();
        out.append("{\"seq\":").append(seq).append(",\"type\":\"fill\",\"tradeId\":").append(event.tradeId());
        market(out, market);
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.sizeLots());
        out.append(",\"account\":").append(maker ? event.makerAccount() : event.takerAccount());
        final Side makerSide = event.makerSide();
        side(out, "side", maker ? makerSide : (makerSide == Side.BUY ? Side.SELL : Side.BUY));
        out.append(",\"liquidity\":\"").append(maker ? "maker" : "taker").append('"');
        out.append(",\"orderId\":").append(maker ? event.makerOrderId() : event.takerOrderId());
        clientId(out, "clientId", maker ? event.makerClientOrderId() : event.takerClientOrderId());
        size(out, "remaining", market, maker ? event.makerRemainingLots() : event.takerRemainingLots());
        money(out, "fee", maker ? event.makerFeeMicros() : event.takerFeeMicros());
        out.append('}');
    }

    /**
     * Appends a position transfer as one of its two accounts sees it: the market, price and size with that account's
     * own id and side (a liquidated long sells, whoever takes it over buys), whether it was the liquidated account, and
     * whether the transfer was auto-deleveraging; nothing of the other account (a deleveraged counterparty's id is
     * its own business, and so is the liquidated trader's).
     *
     * @param out        where the JSON goes
     * @param seq        the sequence number of the command that produced the transfer
     * @param buffer     holds the positionTransferred event
     * @param offset     where its message header starts
     * @param liquidated true for the liquidated account's side, false for the account that took the position over
     */
    public void appendTransfer(
        final StringBuilder out, final long seq, final DirectBuffer buffer, final int offset, final boolean liquidated)
    {
        header.wrap(buffer, offset);
        final PositionTransferredDecoder event = positionTransferred.wrap(buffer,
            offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final int market = event.market();
        final Side fromSide = event.fromSide();
        out.append("{\"seq\":").append(seq).append(",\"type\":\"transfer\"");
        market(out, market);
        out.append(",\"account\":").append(liquidated ? event.fromAccount() : event.toAccount());
        side(out, "side", liquidated ? (fromSide == Side.BUY ? Side.SELL : Side.BUY) : fromSide);
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.sizeLots());
        out.append(",\"liquidated\":").append(liquidated);
        out.append(",\"autoDeleveraged\":").append(event.autoDeleveraged() == BooleanType.TRUE);
        out.append('}');
    }

    private void trade(final StringBuilder out, final TradeDecoder event)
    {
        final int market = event.market();
        out.append("trade\",\"tradeId\":").append(event.tradeId());
        market(out, market);
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.sizeLots());
        out.append(",\"maker\":").append(event.makerAccount());
        out.append(",\"taker\":").append(event.takerAccount());
        side(out, "makerSide", event.makerSide());
        out.append(",\"makerOrderId\":").append(event.makerOrderId());
        out.append(",\"takerOrderId\":").append(event.takerOrderId());
        clientId(out, "makerClientId", event.makerClientOrderId());
        clientId(out, "takerClientId", event.takerClientOrderId());
        size(out, "makerRemaining", market, event.makerRemainingLots());
        size(out, "takerRemaining", market, event.takerRemainingLots());
        money(out, "makerFee", event.makerFeeMicros());
        money(out, "takerFee", event.takerFeeMicros());
    }

    private void position(final StringBuilder out, final PositionChangedDecoder event)
    {
        final int market = event.market();
        out.append("position\",\"account\":").append(event.account());
        market(out, market);
        out.append(",\"margin\":\"").append(event.marginMode().name().toLowerCase(Locale.ROOT)).append('"');
        size(out, "size", market, event.sizeLots());
        money(out, "entryValue", event.entryValueMicros());
        money(out, "realizedPnl", event.realizedPnlMicros());
        money(out, "isolatedMargin", event.isolatedMarginMicros());
        money(out, "collateral", event.collateralMicros());
        out.append(",\"fundingIndex\":").append(event.fundingIndex());
    }

    private void canceled(final StringBuilder out, final OrderCanceledDecoder event)
    {
        final int market = event.market();
        out.append("canceled\",\"orderId\":").append(event.orderId());
        clientId(out, "clientId", event.clientOrderId());
        out.append(",\"account\":").append(event.account());
        market(out, market);
        side(out, "side", event.side());
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.canceledLots());
        out.append(",\"reason\":\"").append(event.reason().name()).append('"');
        out.append(",\"wasResting\":").append(event.wasResting() == BooleanType.TRUE);
    }

    private void resting(final StringBuilder out, final OrderRestingDecoder event)
    {
        final int market = event.market();
        out.append("resting\",\"orderId\":").append(event.orderId());
        clientId(out, "clientId", event.clientOrderId());
        out.append(",\"account\":").append(event.account());
        market(out, market);
        side(out, "side", event.side());
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.remainingLots());
    }

    private void amended(final StringBuilder out, final OrderAmendedDecoder event)
    {
        final int market = event.market();
        out.append("amended\",\"orderId\":").append(event.orderId());
        clientId(out, "clientId", event.clientOrderId());
        out.append(",\"account\":").append(event.account());
        market(out, market);
        side(out, "side", event.side());
        price(out, "oldPrice", market, event.oldPriceTicks());
        size(out, "oldRemaining", market, event.oldRemainingLots());
        price(out, "price", market, event.priceTicks());
        size(out, "size", market, event.sizeLots());
        size(out, "remaining", market, event.remainingLots());
        out.append(",\"priorityKept\":").append(event.priorityKept() == BooleanType.TRUE);
    }

    private void massCanceled(final StringBuilder out, final MassCanceledDecoder event)
    {
        out.append("massCanceled\",\"account\":").append(event.account());
        if (event.market() != MassCanceledDecoder.marketNullValue())
        {
            market(out, event.market());
        }
        if (event.side() != Side.NULL_VAL)
        {
            side(out, "side", event.side());
        }
        out.append(",\"count\":").append(event.count());
        out.append(",\"trigger\":\"").append(trigger(event.trigger())).append('"');
    }

    private void marketDefined(final StringBuilder out, final MarketDefinedDecoder event)
    {
        final String symbol = event.symbol().trim();
        final int id = event.market();
        if (markets.byId(id) == null)
        {
            markets.add(MarketSpec.builder()
                .id(id)
                .symbol(symbol)
                .tickSize(Decimals.fromMantissa(event.tickSizeMantissa(), event.tickSizeExponent()))
                .lotSize(Decimals.fromMantissa(event.lotSizeMantissa(), event.lotSizeExponent()))
                .minSizeLots(event.minSizeLots())
                .maxOrderSizeLots(event.maxOrderSizeLots())
                .marketOrderBandPpm(event.marketOrderBandPpm())
                .maxPositionLots(event.maxPositionLots())
                .margin(event.initialMarginPpm(), event.maintenanceMarginPpm())
                .tiering(event.baselinePositionLots(), event.incrementalPositionLots(),
                    event.incrementalInitialMarginPpm())
                .build());
        }
        out.append("marketDefined\",\"id\":").append(id);
        out.append(",\"market\":\"").append(symbol).append('"');
        out.append(",\"tickSize\":\"");
        Decimals.appendUnits(out, 1, event.tickSizeMantissa(), event.tickSizeExponent());
        out.append("\",\"lotSize\":\"");
        Decimals.appendUnits(out, 1, event.lotSizeMantissa(), event.lotSizeExponent());
        out.append('"');
        size(out, "minSize", id, event.minSizeLots());
        size(out, "maxOrderSize", id, event.maxOrderSizeLots());
        fraction(out, "marketOrderBand", event.marketOrderBandPpm());
        size(out, "maxPosition", id, event.maxPositionLots());
        fraction(out, "initialMargin", event.initialMarginPpm());
        fraction(out, "maintenanceMargin", event.maintenanceMarginPpm());
        size(out, "baselinePosition", id, event.baselinePositionLots());
        size(out, "incrementalPosition", id, event.incrementalPositionLots());
        fraction(out, "incrementalInitialMargin", event.incrementalInitialMarginPpm());
    }

    private static void fraction(final StringBuilder out, final String key, final long ppm)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendScaled(out, ppm, -6);
        out.append('"');
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

    private void price(final StringBuilder out, final String key, final int marketId, final long ticks)
    {
        final MarketSpec market = markets.byId(marketId);
        if (market == null)
        {
            out.append(",\"").append(key).append("Ticks\":").append(ticks);
            return;
        }
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendUnits(out, ticks, market.tickSizeMantissa(), market.tickSizeExponent());
        out.append('"');
    }

    private void size(final StringBuilder out, final String key, final int marketId, final long lots)
    {
        final MarketSpec market = markets.byId(marketId);
        if (market == null)
        {
            out.append(",\"").append(key).append("Lots\":").append(lots);
            return;
        }
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendUnits(out, lots, market.lotSizeMantissa(), market.lotSizeExponent());
        out.append('"');
    }

    private static void money(final StringBuilder out, final String key, final long micros)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendScaled(out, micros, -6);
        out.append('"');
    }

    private static void side(final StringBuilder out, final String key, final Side side)
    {
        out.append(",\"").append(key).append("\":\"").append(side == Side.BUY ? "buy" : "sell").append('"');
    }

    private static void clientId(final StringBuilder out, final String key, final long clientOrderId)
    {
        out.append(",\"").append(key).append("\":");
        ClientOrderIds.appendJson(out, clientOrderId);
    }

    /**
     * @return the JSON spelling of a self-trade prevention mode
     */
    public static String stp(final SelfTradePrevention mode)
    {
        switch (mode)
        {
            case EXPIRE_TAKER:
                return "expireTaker";
            case EXPIRE_MAKER:
                return "expireMaker";
            case EXPIRE_BOTH:
                return "expireBoth";
            default:
                return "accountDefault";
        }
    }

    private static String cause(final BalanceCause cause)
    {
        switch (cause)
        {
            case DEPOSIT:
                return "deposit";
            case WITHDRAWAL:
                return "withdrawal";
            case FEES:
                return "fees";
            case FUNDING_RESIDUE:
                return "fundingResidue";
            case LIQUIDATION_REMAINDER:
                return "liquidationRemainder";
            case INSURANCE_COVER:
                return "insuranceCover";
            default:
                return "unknown";
        }
    }

    /**
     * @return the JSON spelling of what asked for a mass cancel
     */
    public static String trigger(final MassCancelTrigger trigger)
    {
        switch (trigger)
        {
            case DISCONNECT:
                return "disconnect";
            case DEAD_MAN_TIMER:
                return "deadManTimer";
            default:
                return "user";
        }
    }

    /**
     * @return the JSON {@code cmd} name of an engine command template
     */
    public static String commandName(final int templateId)
    {
        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                return "place";
            case CancelOrderDecoder.TEMPLATE_ID:
                return "cancel";
            case AmendOrderDecoder.TEMPLATE_ID:
                return "amend";
            case MassCancelDecoder.TEMPLATE_ID:
                return "cancelAll";
            case DepositDecoder.TEMPLATE_ID:
                return "deposit";
            case WithdrawDecoder.TEMPLATE_ID:
                return "withdraw";
            case OraclePriceDecoder.TEMPLATE_ID:
                return "oracle";
            case ConfigureAccountDecoder.TEMPLATE_ID:
                return "configureAccount";
            case DefineMarketDecoder.TEMPLATE_ID:
                return "defineMarket";
            case FundingTickDecoder.TEMPLATE_ID:
                return "funding";
            case IsolatedMarginTransferDecoder.TEMPLATE_ID:
                return "isolatedMargin";
            case DefineFeeTierDecoder.TEMPLATE_ID:
                return "defineFeeTier";
            default:
                return "unknown";
        }
    }

    private static void escape(final StringBuilder out, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
    }
}
