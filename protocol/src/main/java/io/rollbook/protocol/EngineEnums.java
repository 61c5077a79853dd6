package io.rollbook.protocol;

import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;

/**
 * Looks up engine enum values from their raw encoded bytes without throwing: an unknown value (or the null
 * value) gives {@code null}, which the caller turns into a precise rejection. The generated {@code get} methods
 * throw instead, which would allocate on a path that must not.
 */
public final class EngineEnums
{
    private static final Side[] SIDES = {Side.BUY, Side.SELL};
    private static final OrderType[] ORDER_TYPES = {OrderType.LIMIT, OrderType.MARKET};
    private static final TimeInForce[] TIMES_IN_FORCE = {TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK};
    private static final MarginMode[] MARGIN_MODES = {MarginMode.CROSS, MarginMode.ISOLATED};
    private static final SelfTradePrevention[] SELF_TRADE_PREVENTIONS = {
        SelfTradePrevention.ACCOUNT_DEFAULT,
        SelfTradePrevention.EXPIRE_TAKER,
        SelfTradePrevention.EXPIRE_MAKER,
        SelfTradePrevention.EXPIRE_BOTH};
    private static final MassCancelTrigger[] MASS_CANCEL_TRIGGERS = {
        MassCancelTrigger.USER, MassCancelTrigger.DISCONNECT, MassCancelTrigger.DEAD_MAN_TIMER};

    static
    {
        checkOrdinals(SIDES);
        checkOrdinals(ORDER_TYPES);
        checkOrdinals(TIMES_IN_FORCE);
        checkOrdinals(MARGIN_MODES);
        checkOrdinals(SELF_TRADE_PREVENTIONS);
        checkOrdinals(MASS_CANCEL_TRIGGERS);
    }

    private EngineEnums()
    {
    }

    public static Side side(final short raw)
    {
        return raw >= 0 && raw < SIDES.length ? SIDES[raw] : null;
    }

    public static OrderType orderType(final short raw)
    {
        return raw >= 0 && raw < ORDER_TYPES.length ? ORDER_TYPES[raw] : null;
    }

    public static TimeInForce timeInForce(final short raw)
    {
        return raw >= 0 && raw < TIMES_IN_FORCE.length ? TIMES_IN_FORCE[raw] : null;
    }

    public static MarginMode marginMode(final short raw)
    {
        return raw >= 0 && raw < MARGIN_MODES.length ? MARGIN_MODES[raw] : null;
    }

    public static SelfTradePrevention selfTradePrevention(final short raw)
    {
        return raw >= 0 && raw < SELF_TRADE_PREVENTIONS.length ? SELF_TRADE_PREVENTIONS[raw] : null;
    }

    public static MassCancelTrigger massCancelTrigger(final short raw)
    {
        return raw >= 0 && raw < MASS_CANCEL_TRIGGERS.length ? MASS_CANCEL_TRIGGERS[raw] : null;
    }

    /** The tables above index by raw value; a schema change that broke that must fail loudly at class load. */
    private static void checkOrdinals(final Enum<?>[] values)
    {
        for (int i = 0; i < values.length; i++)
        {
            final short raw = rawValue(values[i]);
            if (raw != i)
            {
                throw new IllegalStateException(values[i] + " has raw value " + raw + ", expected " + i);
            }
        }
    }

    private static short rawValue(final Enum<?> value)
    {
        if (value instanceof Side)
        {
            return ((Side)value).value();
        }
        if (value instanceof OrderType)
        {
            return ((OrderType)value).value();
        }
        if (value instanceof TimeInForce)
        {
            return ((TimeInForce)value).value();
        }
        if (value instanceof MarginMode)
        {
            return ((MarginMode)value).value();
        }
        if (value instanceof SelfTradePrevention)
        {
            return ((SelfTradePrevention)value).value();
        }
        return ((MassCancelTrigger)value).value();
    }
}
