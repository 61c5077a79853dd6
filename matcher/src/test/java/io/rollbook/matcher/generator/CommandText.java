package io.rollbook.matcher.generator;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineFeeTierDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.WithdrawDecoder;
import org.agrona.DirectBuffer;

/**
 * Renders an encoded engine command for a person reading a test failure: every field with its raw value, so that
 * invalid enum bytes and null values show as what they are (the generated decoders' {@code toString} throws on
 * an unknown enum value).
 */
public final class CommandText
{
    private CommandText()
    {
    }

    public static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "truncated command of " + length + " bytes";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int blockLength = header.blockLength();
        final String prefix = "[template " + header.templateId() + ", schema " + header.schemaId() + ", block " +
            blockLength + ", length " + length + "] ";
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || blockLength > length - 8)
        {
            return prefix + "not decodable";
        }
        final int version = header.version();
        switch (header.templateId())
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                if (blockLength < PlaceOrderDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final PlaceOrderDecoder place = new PlaceOrderDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "place account=" + place.account() + " market=" + place.market() +
                    " clientOrderId=" + clientId(place.clientOrderId()) + " side=" + place.sideRaw() +
                    " type=" + place.orderTypeRaw() + " tif=" + place.timeInForceRaw() +
                    " price=" + place.priceTicks() + " size=" + place.sizeLots() +
                    " flags=" + place.flags().getRaw() + " margin=" + place.marginModeRaw() +
                    " stp=" + place.selfTradePreventionRaw();
            case CancelOrderDecoder.TEMPLATE_ID:
                if (blockLength < CancelOrderDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final CancelOrderDecoder cancel = new CancelOrderDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "cancel account=" + cancel.account() + " market=" + cancel.market() +
                    " orderId=" + cancel.orderId() + " clientOrderId=" + clientId(cancel.clientOrderId());
            case AmendOrderDecoder.TEMPLATE_ID:
                if (blockLength < AmendOrderDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final AmendOrderDecoder amend = new AmendOrderDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "amend account=" + amend.account() + " market=" + amend.market() +
                    " orderId=" + amend.orderId() + " clientOrderId=" + clientId(amend.clientOrderId()) +
                    " price=" + amend.priceTicks() + " size=" + amend.sizeLots();
            case MassCancelDecoder.TEMPLATE_ID:
                if (blockLength < MassCancelDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final MassCancelDecoder mass = new MassCancelDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "massCancel account=" + mass.account() + " market=" + mass.market() +
                    " side=" + mass.sideRaw() + " trigger=" + mass.triggerRaw();
            case DepositDecoder.TEMPLATE_ID:
                if (blockLength < DepositDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final DepositDecoder deposit = new DepositDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "deposit account=" + deposit.account() + " amountMicros=" + deposit.amountMicros();
            case WithdrawDecoder.TEMPLATE_ID:
                if (blockLength < WithdrawDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final WithdrawDecoder withdraw = new WithdrawDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "withdraw account=" + withdraw.account() + " amountMicros=" + withdraw.amountMicros();
            case OraclePriceDecoder.TEMPLATE_ID:
                if (blockLength < OraclePriceDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final OraclePriceDecoder oracle = new OraclePriceDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "oracle market=" + oracle.market() + " price=" + oracle.priceTicks();
            case ConfigureAccountDecoder.TEMPLATE_ID:
                if (blockLength < ConfigureAccountDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final ConfigureAccountDecoder configure =
                    new ConfigureAccountDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "configureAccount account=" + configure.account() +
                    " stp=" + configure.selfTradePreventionRaw() + " feeTier=" + configure.feeTier();
            case DefineFeeTierDecoder.TEMPLATE_ID:
                if (blockLength < DefineFeeTierDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final DefineFeeTierDecoder tier = new DefineFeeTierDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "defineFeeTier tier=" + tier.tier() + " makerPpm=" + tier.makerFeePpm() +
                    " takerPpm=" + tier.takerFeePpm();
            case DefineMarketDecoder.TEMPLATE_ID:
                if (blockLength < DefineMarketDecoder.BLOCK_LENGTH)
                {
                    break;
                }
                final DefineMarketDecoder define = new DefineMarketDecoder().wrap(buffer, body, blockLength, version);
                return prefix + "defineMarket market=" + define.market() + " symbol=\"" + define.symbol().trim() +
                    "\" tick=" + define.tickSizeMantissa() + "e" + define.tickSizeExponent() +
                    " lot=" + define.lotSizeMantissa() + "e" + define.lotSizeExponent() +
                    " min=" + define.minSizeLots() + " max=" + define.maxOrderSizeLots() +
                    " bandPpm=" + define.marketOrderBandPpm() + " maxPosition=" + define.maxPositionLots() +
                    " initialPpm=" + define.initialMarginPpm() + " maintenancePpm=" + define.maintenanceMarginPpm() +
                    " baseline=" + define.baselinePositionLots() + " increment=" + define.incrementalPositionLots() +
                    " incrementalPpm=" + define.incrementalInitialMarginPpm();
            default:
                break;
        }

        return prefix + "not decodable";
    }

    private static String clientId(final long clientOrderId)
    {
        if (clientOrderId == ClientOrderIds.NULL_VALUE)
        {
            return "null";
        }
        return ClientOrderIds.isValid(clientOrderId) && ClientOrderIds.isString(clientOrderId) ?
            "\"" + ClientOrderIds.toString(clientOrderId) + "\"" : Long.toString(clientOrderId);
    }
}
