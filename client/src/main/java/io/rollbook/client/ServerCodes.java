package io.rollbook.client;

import java.util.function.ToIntFunction;

import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.MarketDataRejectCode;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;
import io.rollbook.protocol.orderentry.TerminationCode;

/**
 * The codes a server sends, read as a client that may be older than the server must. A generated decoder throws on a
 * value its schema does not have (one a newer server added), which would end a logon or a poll with an
 * {@link IllegalArgumentException} instead of the server's answer; here such a value is the enum's {@code NULL_VAL},
 * and {@link #name} keeps its number for the text.
 *
 * <p>Stateless; thread-safe.
 */
final class ServerCodes
{
    private static final TerminationCode[] TERMINATIONS = TerminationCode.values();
    private static final NegotiationRejectCode[] NEGOTIATION_REJECTS = NegotiationRejectCode.values();
    private static final EstablishRejectCode[] ESTABLISHMENT_REJECTS = EstablishRejectCode.values();
    private static final MarketDataRejectCode[] MARKET_DATA_REJECTS = MarketDataRejectCode.values();
    private static final BusinessRejectCode[] BUSINESS_REJECTS = BusinessRejectCode.values();

    private ServerCodes()
    {
    }

    static TerminationCode termination(final short raw)
    {
        return known(TERMINATIONS, TerminationCode::value, raw, TerminationCode.NULL_VAL);
    }

    static NegotiationRejectCode negotiationReject(final short raw)
    {
        return known(NEGOTIATION_REJECTS, NegotiationRejectCode::value, raw, NegotiationRejectCode.NULL_VAL);
    }

    static EstablishRejectCode establishmentReject(final short raw)
    {
        return known(ESTABLISHMENT_REJECTS, EstablishRejectCode::value, raw, EstablishRejectCode.NULL_VAL);
    }

    static MarketDataRejectCode marketDataReject(final short raw)
    {
        return known(MARKET_DATA_REJECTS, MarketDataRejectCode::value, raw, MarketDataRejectCode.NULL_VAL);
    }

    static BusinessRejectCode businessReject(final short raw)
    {
        return known(BUSINESS_REJECTS, BusinessRejectCode::value, raw, BusinessRejectCode.NULL_VAL);
    }

    /**
     * @return the code's name, or "code N" for one this client does not know
     */
    static String name(final Enum<?> code, final int raw)
    {
        return "NULL_VAL".equals(code.name()) ? "code " + raw : code.name();
    }

    private static <E extends Enum<E>> E known(
        final E[] values, final ToIntFunction<E> value, final int raw, final E unknown)
    {
        for (final E code : values)
        {
            if (value.applyAsInt(code) == raw)
            {
                return code;
            }
        }
        return unknown;
    }
}
