package io.rollbook.client;

import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.EstablishmentRejectDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;

/**
 * The words of a refused logon. The server's rejects carry a code (and, for an interval, the range allowed): the
 * sentence names what the logon sent that the code is about (the account whose key did not verify, how far this
 * host's clock is from the server's, the session id in use, the interval outside the server's range), so that a
 * program logging on many accounts says which one, and with what.
 *
 * <p>Stateless; any thread.
 */
final class LogonRefusals
{
    /**
     * The server's default keep-alive range (gateway.keepAliveMinMs, gateway.keepAliveMaxMs), named when a server
     * older than schema version 3 leaves the range out.
     */
    static final long DEFAULT_KEEP_ALIVE_MIN_MS = 100;
    static final long DEFAULT_KEEP_ALIVE_MAX_MS = 60_000;
    /** The server's default clock window for a Negotiate's timestamp (gateway.timestampWindowMs). */
    static final long DEFAULT_TIMESTAMP_WINDOW_MS = 30_000;
    /** The server's default dead-man range (gateway.deadManMinMs, gateway.deadManMaxMs). */
    static final long DEFAULT_DEAD_MAN_MIN_MS = 100;
    static final long DEFAULT_DEAD_MAN_MAX_MS = 3_600_000;

    private LogonRefusals()
    {
    }

    /**
     * @param serverClockAheadMs the server's clock less this host's, as the Challenge showed them: a refused
     *                           timestamp is this host's clock, and the sentence says how far off it is
     */
    static String negotiation(final Logon logon, final short rawCode, final long serverClockAheadMs)
    {
        final NegotiationRejectCode code = ServerCodes.negotiationReject(rawCode);
        final String rejected = "negotiation rejected for " + (logon.account() == 0 ? "the operator (account 0)" :
            "account " + logon.account()) + ": " + ServerCodes.name(code, rawCode);
        switch (code)
        {
            case STALE_TIMESTAMP:
                return rejected + ": the Negotiate's timestamp, this host's clock, is outside the server's window " +
                    "(gateway.timestampWindowMs, " + DEFAULT_TIMESTAMP_WINDOW_MS + " ms unless its operator changed " +
                    "it); the server's Challenge put its clock " + Math.abs(serverClockAheadMs) + " ms " +
                    (serverClockAheadMs >= 0 ? "ahead of" : "behind") + " this host's";
            case SESSION_IN_USE:
                return rejected + ": another live connection holds session id " + logon.sessionId();
            default:
                return rejected;
        }
    }

    /**
     * A server of schema version 3 or later states the range it allows; an older one does not, and the sentence
     * then names the server's settings with their defaults, which is what the server takes unless its operator
     * changed them.
     */
    static String establishment(final Logon logon, final EstablishmentRejectDecoder reject)
    {
        final EstablishRejectCode code = ServerCodes.establishmentReject(reject.codeRaw());
        final String rejected = "establishment rejected: " + ServerCodes.name(code, reject.codeRaw());
        switch (code)
        {
            case INVALID_KEEP_ALIVE_INTERVAL:
                return rejected + ": keepAliveMs " + logon.keepAliveMs() + " is outside the range the server " +
                    "allows, " + range(reject, "gateway.keepAliveMinMs..keepAliveMaxMs", DEFAULT_KEEP_ALIVE_MIN_MS,
                    DEFAULT_KEEP_ALIVE_MAX_MS);
            case INVALID_DEAD_MAN_TIMEOUT:
                return rejected + ": deadManTimeoutMs " + logon.deadManTimeoutMs() + " is neither 0 (off) nor " +
                    "within the range the server allows, " + range(reject, "gateway.deadManMinMs..deadManMaxMs",
                    DEFAULT_DEAD_MAN_MIN_MS, DEFAULT_DEAD_MAN_MAX_MS);
            default:
                return rejected;
        }
    }

    private static String range(
        final EstablishmentRejectDecoder reject, final String settings, final long defaultMinMs,
        final long defaultMaxMs)
    {
        final long minMs = reject.allowedMinMs();
        final long maxMs = reject.allowedMaxMs();
        if (minMs == EstablishmentRejectDecoder.allowedMinMsNullValue() ||
            maxMs == EstablishmentRejectDecoder.allowedMaxMsNullValue())
        {
            return settings + " (" + defaultMinMs + ".." + defaultMaxMs + " ms unless its operator changed them)";
        }
        return minMs + ".." + maxMs + " ms (" + settings + ")";
    }
}
