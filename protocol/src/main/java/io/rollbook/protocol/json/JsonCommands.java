package io.rollbook.protocol.json;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.InvalidValueException;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.FundingTickEncoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.WithdrawEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Turns commands in the JSON command format (docs/JSON.md) into engine commands, converting symbols and decimal
 * strings exactly. A command that cannot be converted — unknown {@code cmd}, unknown or missing keys, wrong value
 * types, decimals that are not multiples of the tick or lot — is refused with an exception whose message names
 * the field and the problem; nothing is encoded.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class JsonCommands
{
    private static final Set<String> PLACE_KEYS = Set.of("cmd", "account", "market", "side", "type", "price", "size",
        "tif", "postOnly", "reduceOnly", "margin", "clientId", "stp");
    private static final Set<String> CANCEL_KEYS = Set.of("cmd", "account", "market", "clientId", "orderId");
    private static final Set<String> AMEND_KEYS = Set.of("cmd", "account", "market", "clientId", "orderId", "price",
        "size");
    private static final Set<String> CANCEL_ALL_KEYS = Set.of("cmd", "account", "market", "side");
    private static final Set<String> MONEY_KEYS = Set.of("cmd", "account", "amount");
    private static final Set<String> ORACLE_KEYS = Set.of("cmd", "market", "price");
    private static final Set<String> CONFIGURE_ACCOUNT_KEYS = Set.of("cmd", "account", "stp", "feeTier");
    private static final Set<String> FUNDING_KEYS = Set.of("cmd", "market", "rate");
    private static final Set<String> ISOLATED_MARGIN_KEYS = Set.of("cmd", "account", "market", "amount");
    private static final Set<String> FEE_TIER_KEYS = Set.of("cmd", "tier", "makerFee", "takerFee");
    private static final BigDecimal PPB = BigDecimal.ONE.movePointLeft(9);

    private static final BigDecimal MICROS = Decimals.MICRO;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PlaceOrderEncoder placeOrder = new PlaceOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final AmendOrderEncoder amendOrder = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final DepositEncoder deposit = new DepositEncoder();
    private final WithdrawEncoder withdraw = new WithdrawEncoder();
    private final OraclePriceEncoder oraclePrice = new OraclePriceEncoder();
    private final ConfigureAccountEncoder configureAccount = new ConfigureAccountEncoder();
    private final FundingTickEncoder fundingTick = new FundingTickEncoder();
    private final IsolatedMarginTransferEncoder isolatedMargin = new IsolatedMarginTransferEncoder();
    private final DefineFeeTierEncoder defineFeeTier = new DefineFeeTierEncoder();
    private final MarketDirectory markets;

    public JsonCommands(final MarketDirectory markets)
    {
        this.markets = markets;
    }

    /**
     * Parses one line and encodes the command it holds.
     *
     * @return the encoded length, header included
     * @throws JsonFormatException   if the line is not a flat JSON object
     * @throws InvalidValueException if a member is missing, unknown or has a bad value
     */
    public int encode(final String line, final MutableDirectBuffer buffer, final int offset)
    {
        return encode(FlatJson.parseObject(line), buffer, offset);
    }

    /**
     * Encodes the command held by an already parsed object.
     *
     * @return the encoded length, header included
     */
    public int encode(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        final String cmd = requiredString(json, "cmd");
        switch (cmd)
        {
            case "place":
                return place(json, buffer, offset);
            case "cancel":
                return cancel(json, buffer, offset);
            case "amend":
                return amend(json, buffer, offset);
            case "cancelAll":
                return cancelAll(json, buffer, offset);
            case "deposit":
                checkKeys(json, MONEY_KEYS);
                deposit.wrapAndApplyHeader(buffer, offset, header)
                    .account(account(json))
                    .amountMicros(Decimals.positiveUnits("amount", requiredString(json, "amount"), MICROS));
                return MessageHeaderEncoder.ENCODED_LENGTH + DepositEncoder.BLOCK_LENGTH;
            case "withdraw":
                checkKeys(json, MONEY_KEYS);
                withdraw.wrapAndApplyHeader(buffer, offset, header)
                    .account(account(json))
                    .amountMicros(Decimals.positiveUnits("amount", requiredString(json, "amount"), MICROS));
                return MessageHeaderEncoder.ENCODED_LENGTH + WithdrawEncoder.BLOCK_LENGTH;
            case "oracle":
            {
                checkKeys(json, ORACLE_KEYS);
                final MarketSpec market = market(json);
                oraclePrice.wrapAndApplyHeader(buffer, offset, header)
                    .market(market.id())
                    .priceTicks(market.priceToTicks("price", requiredString(json, "price")));
                return MessageHeaderEncoder.ENCODED_LENGTH + OraclePriceEncoder.BLOCK_LENGTH;
            }
            case "configureAccount":
                return configureAccount(json, buffer, offset);
            case "funding":
            {
                checkKeys(json, FUNDING_KEYS);
                final MarketSpec market = market(json);
                fundingTick.wrapAndApplyHeader(buffer, offset, header)
                    .market(market.id())
                    .ratePpb(Decimals.signedUnits("rate", requiredString(json, "rate"), PPB));
                return MessageHeaderEncoder.ENCODED_LENGTH + FundingTickEncoder.BLOCK_LENGTH;
            }
            case "isolatedMargin":
            {
                checkKeys(json, ISOLATED_MARGIN_KEYS);
                final long amount = Decimals.signedUnits("amount", requiredString(json, "amount"), MICROS);
                if (amount == 0)
                {
                    throw new InvalidValueException("amount", "must not be zero: positive adds margin, negative removes it");
                }
                isolatedMargin.wrapAndApplyHeader(buffer, offset, header)
                    .account(account(json))
                    .market(market(json).id())
                    .amountMicros(amount);
                return MessageHeaderEncoder.ENCODED_LENGTH + IsolatedMarginTransferEncoder.BLOCK_LENGTH;
            }
            case "defineFeeTier":
                return defineFeeTier(json, buffer, offset);
            default:
                throw new InvalidValueException("cmd", "\"" + cmd + "\" is not a command; expected one of place, " +
                    "cancel, amend, cancelAll, deposit, withdraw, oracle, funding, isolatedMargin, configureAccount, " +
                    "defineFeeTier");
        }
    }

    private int place(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, PLACE_KEYS);
        final MarketSpec market = market(json);
        final String type = optionalString(json, "type", "limit");
        final OrderType orderType;
        switch (type)
        {
            case "limit":
                orderType = OrderType.LIMIT;
                break;
            case "market":
                orderType = OrderType.MARKET;
                break;
            default:
                throw new InvalidValueException("type", "must be \"limit\" or \"market\", got \"" + type + "\"");
        }
        final boolean isMarket = orderType == OrderType.MARKET;
        final long priceTicks;
        if (isMarket)
        {
            final String price = optionalString(json, "price", null);
            priceTicks = price == null ? 0 : market.priceToTicks("price", price);
        }
        else
        {
            priceTicks = market.priceToTicks("price", requiredString(json, "price"));
        }

        placeOrder.wrapAndApplyHeader(buffer, offset, header)
            .clientOrderId(clientOrderId(json.get("clientId"), true))
            .priceTicks(priceTicks)
            .sizeLots(market.sizeToLots("size", requiredString(json, "size")))
            .account(account(json))
            .market(market.id())
            .side(side(requiredString(json, "side")))
            .orderType(orderType)
            .timeInForce(timeInForce(optionalString(json, "tif", isMarket ? "ioc" : "gtc")))
            .marginMode(marginMode(optionalString(json, "margin", "cross")))
            .selfTradePrevention(orderSelfTradePrevention(optionalString(json, "stp", "accountDefault")))
            .flags().clear()
            .postOnly(optionalBoolean(json, "postOnly"))
            .reduceOnly(optionalBoolean(json, "reduceOnly"));
        return MessageHeaderEncoder.ENCODED_LENGTH + PlaceOrderEncoder.BLOCK_LENGTH;
    }

    private int cancel(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, CANCEL_KEYS);
        final long orderId = orderId(json);
        cancelOrder.wrapAndApplyHeader(buffer, offset, header)
            .account(account(json))
            .market(optionalMarketId(json))
            .orderId(orderId)
            .clientOrderId(clientOrderIdOrNull(json, orderId));
        return MessageHeaderEncoder.ENCODED_LENGTH + CancelOrderEncoder.BLOCK_LENGTH;
    }

    private int amend(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, AMEND_KEYS);
        final long orderId = orderId(json);
        final int marketId = optionalMarketId(json);
        if (marketId == AmendOrderEncoder.marketNullValue())
        {
            throw new InvalidValueException("market", "is required for amend: price and size are in its units");
        }
        final MarketSpec market = markets.byId(marketId);
        amendOrder.wrapAndApplyHeader(buffer, offset, header)
            .account(account(json))
            .market(marketId)
            .orderId(orderId)
            .clientOrderId(clientOrderIdOrNull(json, orderId))
            .priceTicks(market.priceToTicks("price", requiredString(json, "price")))
            .sizeLots(market.sizeToLots("size", requiredString(json, "size")));
        return MessageHeaderEncoder.ENCODED_LENGTH + AmendOrderEncoder.BLOCK_LENGTH;
    }

    private int cancelAll(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, CANCEL_ALL_KEYS);
        final String side = optionalString(json, "side", null);
        massCancel.wrapAndApplyHeader(buffer, offset, header)
            .account(account(json))
            .market(optionalMarketId(json))
            .side(side == null ? Side.NULL_VAL : side(side))
            .trigger(MassCancelTrigger.USER);
        return MessageHeaderEncoder.ENCODED_LENGTH + MassCancelEncoder.BLOCK_LENGTH;
    }

    private int configureAccount(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, CONFIGURE_ACCOUNT_KEYS);
        if (!json.containsKey("stp") && !json.containsKey("feeTier"))
        {
            throw new InvalidValueException("stp", "or feeTier is required: configureAccount changes one or both");
        }
        final String stp = optionalString(json, "stp", null);
        final int tier = json.get("feeTier") == null ? ConfigureAccountEncoder.feeTierNullValue() :
            feeTier(json, "feeTier");
        configureAccount.wrapAndApplyHeader(buffer, offset, header)
            .account(account(json))
            .feeTier(tier)
            .selfTradePrevention(stp == null ? SelfTradePrevention.NULL_VAL : defaultSelfTradePrevention(stp));
        return MessageHeaderEncoder.ENCODED_LENGTH + ConfigureAccountEncoder.BLOCK_LENGTH;
    }

    /**
     * The rates are converted exactly and checked only against what the command can carry; the matcher judges
     * them (a rebate above the taker fee, a rate above 10%: {@code INVALID_FEE_TIER}), as it does a binary one.
     */
    private int defineFeeTier(final Map<String, Object> json, final MutableDirectBuffer buffer, final int offset)
    {
        checkKeys(json, FEE_TIER_KEYS);
        defineFeeTier.wrapAndApplyHeader(buffer, offset, header)
            .tier(feeTier(json, "tier"))
            .makerFeePpm(feeRatePpm(json, "makerFee"))
            .takerFeePpm(feeRatePpm(json, "takerFee"));
        return MessageHeaderEncoder.ENCODED_LENGTH + DefineFeeTierEncoder.BLOCK_LENGTH;
    }

    private static int feeTier(final Map<String, Object> json, final String key)
    {
        final Object tier = json.get(key);
        if (!(tier instanceof Long) || (Long)tier < 0 || (Long)tier > FeeTierSpec.MAX_TIER)
        {
            throw new InvalidValueException(key, "must be a whole number from 0 to " + FeeTierSpec.MAX_TIER +
                ", got " + shown(tier));
        }
        return ((Long)tier).intValue();
    }

    private static int feeRatePpm(final Map<String, Object> json, final String key)
    {
        final long ppm = Decimals.signedUnits(key, requiredString(json, key), Decimals.MICRO);
        if (ppm < -1_000_000 || ppm > 1_000_000)
        {
            throw new InvalidValueException(key, "must be a fraction from -1 to 1, got " + json.get(key));
        }
        return (int)ppm;
    }

    private MarketSpec market(final Map<String, Object> json)
    {
        final String symbol = requiredString(json, "market");
        final MarketSpec market = markets.bySymbol(symbol);
        if (market == null)
        {
            throw new InvalidValueException("market", "\"" + symbol + "\" is not a market");
        }

        return market;
    }

    private int optionalMarketId(final Map<String, Object> json)
    {
        return json.containsKey("market") ? market(json).id() : CancelOrderEncoder.marketNullValue();
    }

    private static int account(final Map<String, Object> json)
    {
        final Object value = json.get("account");
        if (value == null)
        {
            throw new InvalidValueException("account", "is missing");
        }
        if (!(value instanceof Long) || (Long)value <= 0 || (Long)value > Integer.MAX_VALUE)
        {
            throw new InvalidValueException("account", "must be a whole number from 1 to " + Integer.MAX_VALUE +
                ", got " + shown(value));
        }

        return ((Long)value).intValue();
    }

    private static long orderId(final Map<String, Object> json)
    {
        final Object value = json.get("orderId");
        if (value == null)
        {
            return CancelOrderEncoder.orderIdNullValue();
        }
        if (!(value instanceof Long) || (Long)value <= 0)
        {
            throw new InvalidValueException("orderId", "must be a positive whole number, got " + shown(value));
        }
        if (json.containsKey("clientId"))
        {
            throw new InvalidValueException("orderId", "and clientId name the same order; give one of them");
        }

        return (Long)value;
    }

    private static long clientOrderIdOrNull(final Map<String, Object> json, final long orderId)
    {
        if (orderId != CancelOrderEncoder.orderIdNullValue())
        {
            return CancelOrderEncoder.clientOrderIdNullValue();
        }
        if (!json.containsKey("clientId"))
        {
            throw new InvalidValueException("clientId", "or orderId is required");
        }

        return clientOrderId(json.get("clientId"), true);
    }

    /**
     * @return the packed client order id
     */
    public static long clientOrderId(final Object value, final boolean required)
    {
        if (value == null)
        {
            if (required)
            {
                throw new InvalidValueException("clientId", "is missing");
            }
            return ClientOrderIds.NULL_VALUE;
        }
        try
        {
            if (value instanceof String)
            {
                return ClientOrderIds.fromString((String)value);
            }
            if (value instanceof Long)
            {
                return ClientOrderIds.fromNumber((Long)value);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidValueException("clientId", ex.getMessage().replace("client order id ", ""));
        }

        throw new InvalidValueException("clientId", "must be a string of 1 to 8 printable characters or a " +
            "whole number from 0 to 2^63-1, got " + shown(value));
    }

    private static Side side(final String side)
    {
        switch (side)
        {
            case "buy":
                return Side.BUY;
            case "sell":
                return Side.SELL;
            default:
                throw new InvalidValueException("side", "must be \"buy\" or \"sell\", got \"" + side + "\"");
        }
    }

    private static TimeInForce timeInForce(final String tif)
    {
        switch (tif)
        {
            case "gtc":
                return TimeInForce.GTC;
            case "ioc":
                return TimeInForce.IOC;
            case "fok":
                return TimeInForce.FOK;
            default:
                throw new InvalidValueException("tif", "must be \"gtc\", \"ioc\" or \"fok\", got \"" + tif + "\"");
        }
    }

    private static MarginMode marginMode(final String margin)
    {
        switch (margin)
        {
            case "cross":
                return MarginMode.CROSS;
            case "isolated":
                return MarginMode.ISOLATED;
            default:
                throw new InvalidValueException("margin", "must be \"cross\" or \"isolated\", got \"" + margin + "\"");
        }
    }

    private static SelfTradePrevention orderSelfTradePrevention(final String stp)
    {
        if ("accountDefault".equals(stp))
        {
            return SelfTradePrevention.ACCOUNT_DEFAULT;
        }
        return selfTradePrevention(stp, " or \"accountDefault\"");
    }

    private static SelfTradePrevention defaultSelfTradePrevention(final String stp)
    {
        return selfTradePrevention(stp, "");
    }

    private static SelfTradePrevention selfTradePrevention(final String stp, final String alsoAllowed)
    {
        switch (stp)
        {
            case "expireTaker":
                return SelfTradePrevention.EXPIRE_TAKER;
            case "expireMaker":
                return SelfTradePrevention.EXPIRE_MAKER;
            case "expireBoth":
                return SelfTradePrevention.EXPIRE_BOTH;
            default:
                throw new InvalidValueException("stp", "must be \"expireTaker\", \"expireMaker\" or \"expireBoth\"" +
                    alsoAllowed + ", got \"" + stp + "\"");
        }
    }

    private static String requiredString(final Map<String, Object> json, final String key)
    {
        final Object value = json.get(key);
        if (value == null)
        {
            throw new InvalidValueException(key, "is missing");
        }
        if (!(value instanceof String))
        {
            throw new InvalidValueException(key, "must be a string" + (value instanceof Number ?
                " (decimals travel as strings, e.g. \"" + value + "\")" : "") + ", got " + value);
        }

        return (String)value;
    }

    private static String optionalString(final Map<String, Object> json, final String key, final String fallback)
    {
        return json.containsKey(key) ? requiredString(json, key) : fallback;
    }

    private static boolean optionalBoolean(final Map<String, Object> json, final String key)
    {
        final Object value = json.get(key);
        if (value == null)
        {
            return false;
        }
        if (!(value instanceof Boolean))
        {
            throw new InvalidValueException(key, "must be true or false, got " + shown(value));
        }

        return (Boolean)value;
    }

    /**
     * @return a JSON value as the message shows it: a string in quotes, so that {@code "true"} and {@code true} differ
     */
    private static String shown(final Object value)
    {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    private static void checkKeys(final Map<String, Object> json, final Set<String> allowed)
    {
        for (final String key : json.keySet())
        {
            if (!allowed.contains(key))
            {
                throw new InvalidValueException(key, "is not a field of \"" + json.get("cmd") + "\"");
            }
        }
    }
}
