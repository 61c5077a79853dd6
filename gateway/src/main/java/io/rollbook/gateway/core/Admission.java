package io.rollbook.gateway.core;

/**
 * What became of a connection at accept: admitted, or refused and why. Each refusal has the value of the
 * {@code reason} label of {@code rollbook_gateway_refused_connections_total}.
 *
 * <p>Immutable; thread-safe.
 */
public enum Admission
{
    /** Admitted: it counts against the port's limits until it closes. */
    ADMITTED(""),
    /** The port held its most connections ({@code maxConnections}). */
    LIMIT("limit"),
    /** Its address held its most connections ({@code maxConnectionsPerAddress}). */
    ADDRESS("address"),
    /** Its address opened connections faster than {@code connectionsPerSecondPerAddress} (after the burst). */
    RATE("rate"),
    /** A new address, while the port tracks its most addresses ({@code maxTrackedAddresses}). */
    TABLE_FULL("table_full");

    private final String reason;

    Admission(final String reason)
    {
        this.reason = reason;
    }

    /**
     * @return the refusal's metric label value; empty for {@link #ADMITTED}
     */
    public String reason()
    {
        return reason;
    }
}
