package io.rollbook.client;

import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;

/**
 * The words of a refused logon. The server's rejects carry a code only: the sentence names what the logon sent that
 * the code is about (the account whose key did not verify, the interval outside the server's range), so that a
 * program logging on many accounts says which one, and with what.
 *
 * <p>Stateless; any thread.
 */
final class LogonRefusals
{
    /** The server's default keep-alive range (gateway.keepAliveMinMs, gateway.keepAliveMaxMs). */
    static final long DEFAULT_KEEP_ALIVE_MIN_MS = 100;
    static final long DEFAULT_KEEP_ALIVE_MAX_MS = 60_000;
    /** The server's default dead-man range (gateway.deadManMinMs, gateway.deadManMaxMs). */
    static final long DEFAULT_DEAD_MAN_MIN_MS = 100;
    static final long DEFAULT_DEAD_MAN_MAX_MS = 3_600_000;

    private LogonRefusals()
    {
    }

    static String negotiation(final Logon logon, final NegotiationRejectCode code)
    {
        return "negotiation rejected for " + (logon.account() == 0 ? "the operator (account 0)" :
            "account " + logon.account()) + ": " + code;
    }

    /**
     * The reject carries no range: the client names the value it sent and the server's settings with their
     * defaults, which is what the server takes unless its operator changed them.
     */
    static String establishment(final Logon logon, final EstablishRejectCode code)
    {
        final String rejected = "establishment rejected: " + code;
        switch (code)
        {
            case INVALID_KEEP_ALIVE_INTERVAL:
                return rejected + ": keepAliveMs " + logon.keepAliveMs() + " is outside the range the server " +
                    "allows, gateway.keepAliveMinMs..keepAliveMaxMs (" + DEFAULT_KEEP_ALIVE_MIN_MS + ".." +
                    DEFAULT_KEEP_ALIVE_MAX_MS + " ms unless its operator changed them)";
            case INVALID_DEAD_MAN_TIMEOUT:
                return rejected + ": deadManTimeoutMs " + logon.deadManTimeoutMs() + " is neither 0 (off) nor " +
                    "within the range the server allows, gateway.deadManMinMs..deadManMaxMs (" +
                    DEFAULT_DEAD_MAN_MIN_MS + ".." + DEFAULT_DEAD_MAN_MAX_MS + " ms unless its operator changed them)";
            default:
                return rejected;
        }
    }
}
