package io.rollbook.protocol;

import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.RejectReason;

/**
 * Sentences for rejection reasons, with the figure the matcher put in {@code detail} written in the units a
 * person uses. The reason code is the stable part of a rejection; these sentences may be reworded.
 */
public final class RejectMessages
{
    private RejectMessages()
    {
    }

    /**
     * @param reason the reason code
     * @param detail the figure the matcher attached
     * @param market the market the command named, for converting ticks and lots; may be null
     * @return a sentence for a person
     */
    public static String describe(final RejectReason reason, final long detail, final MarketSpec market)
    {
        return describe(reason, detail, market, 0);
    }

    /**
     * @param commandTemplateId the engine template of the rejected command, which some sentences depend on
     */
    public static String describe(
        final RejectReason reason, final long detail, final MarketSpec market, final int commandTemplateId)
    {
        if (reason == RejectReason.PRICE_ABOVE_MAXIMUM && commandTemplateId == OraclePriceDecoder.TEMPLATE_ID)
        {
            return "the market's maximum position would be worth more than the engine's limit of 10 billion USDC; " +
                "the highest oracle price allowed is " + price(detail, market);
        }
        if (reason == RejectReason.NO_ORACLE_PRICE && commandTemplateId == FundingTickDecoder.TEMPLATE_ID)
        {
            return "the market has no oracle price yet, and funding is paid on the positions' value at it: " +
                "set an oracle price before the first funding tick";
        }
        switch (reason)
        {
            case UNKNOWN_COMMAND:
                return "unknown command template " + detail;
            case UNKNOWN_MARKET:
                return "no such market";
            case ACCOUNT_OUT_OF_RANGE:
                return "account ids run from 1 to " + detail;
            case INVALID_SIDE:
                return "side must be buy or sell, got raw value " + detail;
            case INVALID_ORDER_TYPE:
                return "order type must be limit or market, got raw value " + detail;
            case INVALID_TIME_IN_FORCE:
                return "time in force must be gtc, ioc or fok, got raw value " + detail;
            case INVALID_MARGIN_MODE:
                return "margin mode must be cross or isolated, got raw value " + detail;
            case INVALID_SELF_TRADE_PREVENTION:
                return "self-trade prevention must be expireTaker, expireMaker or expireBoth, got raw value " + detail;
            case INVALID_FLAGS:
                return "unknown order flags " + detail;
            case SIZE_NOT_POSITIVE:
                return "size must be greater than zero";
            case SIZE_BELOW_MINIMUM:
                return "size is below the market's minimum of " + size(detail, market);
            case SIZE_ABOVE_MAXIMUM:
                return "size is above the market's maximum order size of " + size(detail, market);
            case PRICE_NOT_POSITIVE:
                return "price must be greater than zero";
            case PRICE_ABOVE_MAXIMUM:
                return "price " + price(detail, market) + " x size is above the engine's limit of 10 billion USDC, " +
                    "counted with the open orders on its side";
            case MARKET_ORDER_NOT_IMMEDIATE:
                return "a market order must be ioc or fok";
            case POST_ONLY_NOT_GTC:
                return "a post-only order must be a gtc limit order";
            case INVALID_CLIENT_ORDER_ID:
                return "client order id must be a number or 1 to 8 printable characters";
            case DUPLICATE_CLIENT_ORDER_ID:
                return "client order id is already used by live order " + detail;
            case UNKNOWN_ORDER:
                return "no such live order for this account";
            case MARKET_MISMATCH:
                return "the order is in another market (id " + detail + ")";
            case POST_ONLY_WOULD_CROSS:
                return "post-only order would trade against the best price " + price(detail, market);
            case FOK_NOT_FILLABLE:
                return "fill-or-kill order could fill only " + size(detail, market) + " now";
            case NO_ORACLE_PRICE:
                return "the market has no oracle price yet, and margin is computed at it";
            case AMEND_SIZE_NOT_ABOVE_FILLED:
                return "the new size must be above the " + size(detail, market) + " already filled";
            case TOO_MANY_OPEN_ORDERS:
                return "the account already has the maximum of " + detail + " open orders";
            case ORDER_CAPACITY_EXHAUSTED:
                return "the order books are full (" + detail + " orders)";
            case AMOUNT_NOT_POSITIVE:
                return "amount must be greater than zero";
            case AMOUNT_TOO_LARGE:
                return "amount would take the balance beyond what can be held";
            case INVALID_MASS_CANCEL_TRIGGER:
                return "unknown mass cancel trigger, raw value " + detail;
            case NO_ORDER_ID_GIVEN:
                return "name the order by orderId or clientId";
            case INVALID_MARKET_DEFINITION:
                return "invalid market definition";
            case MARKET_ALREADY_DEFINED:
                return "a market with this id already exists";
            case MARKET_CAPACITY_EXHAUSTED:
                return "market ids run up to " + detail;
            case WITHDRAWAL_EXCEEDS_FREE_COLLATERAL:
                return "the free collateral is only " + money(detail) + " USDC";
            case MALFORMED_COMMAND:
                return "malformed command";
            case INSUFFICIENT_MARGIN:
                return "insufficient margin: short by " + money(detail) + " USDC";
            case POSITION_ABOVE_MAXIMUM:
                return "the position could exceed the market's maximum of " + size(detail, market);
            case MARGIN_MODE_CONFLICT:
                return "the account holds this market in the other margin mode";
            case REDUCE_ONLY_WOULD_INCREASE:
                return "a reduce-only order must be on the closing side and within the position of " +
                    size(detail, market);
            case ISOLATED_MARGIN_BELOW_MINIMUM:
                return "at most " + money(detail) + " USDC can be removed from this isolated position";
            case NO_ISOLATED_POSITION:
                return "no isolated position or order in this market";
            case FUNDING_RATE_OUT_OF_RANGE:
                return "the funding rate must be within +/-" + Decimals.toPlainString(detail,
                    java.math.BigDecimal.ONE.movePointLeft(9)) + " per tick";
            case UNKNOWN_FEE_TIER:
                return "fee tier " + detail + " is not defined";
            case INVALID_FEE_TIER:
                return "fee tier " + detail + " is out of range: the tier must be 0 to 255, the taker rate 0 to 0.1 and " +
                    "the maker rate from minus the taker rate to 0.1";
            case FUNDING_INDEX_OVERFLOW:
                return "the funding index would leave its range: 4 * 10^18 either way, less for a market allowing " +
                    "positions above 125,000,000 lots, so that no settlement can exceed the balance bound";
            default:
                return reason.name();
        }
    }

    private static String money(final long micros)
    {
        return Decimals.toPlainString(micros, Decimals.MICRO);
    }

    private static String size(final long lots, final MarketSpec market)
    {
        return market == null ? lots + " lots" : market.lotsToSize(lots);
    }

    private static String price(final long ticks, final MarketSpec market)
    {
        return market == null ? ticks + " ticks" : market.ticksToPrice(ticks);
    }
}
