package io.rollbook.gateway.binary;

import java.util.Arrays;

import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.Admission;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The framed {@code Terminate} ({@link TerminationCode#CONNECTION_REFUSED}) that a connection refused at accept gets,
 * one per refusal, built once: no session exists yet, so its session id is zero, and its text names the limit and
 * its setting, as the trader API's refusals do.
 *
 * <p>Immutable once built; thread-safe.
 */
final class RefusalTerminates
{
    private static final int MAX_FRAME = 512;

    private RefusalTerminates()
    {
    }

    /**
     * @return the whole frame for each refusal, by {@link Admission#ordinal()} (none for {@link Admission#ADMITTED})
     */
    static byte[][] of(final int maxConnections, final AddressLimit.Context addresses)
    {
        final byte[][] frames = new byte[Admission.values().length][];
        frames[Admission.LIMIT.ordinal()] = frame("the port holds its most connections (gateway.maxConnections, " +
            maxConnections + ") already; nothing was read, try again later");
        frames[Admission.ADDRESS.ordinal()] = frame("this client address holds its most connections " +
            "(gateway.maxConnectionsPerAddress, " + addresses.maxConnectionsPerAddress() + ") already; nothing was " +
            "read, close one or try again later");
        frames[Admission.RATE.ordinal()] = frame("this client address opens connections faster than it may (after " +
            "a burst of gateway.connectionBurstPerAddress, " + addresses.connectionBurstPerAddress() + ", one every " +
            addresses.connectionIntervalNsPerAddress() / 1_000 + " us: gateway.connectionsPerSecondPerAddress); " +
            "nothing was read, back off before connecting again");
        frames[Admission.TABLE_FULL.ordinal()] = frame("the port tracks its most client addresses " +
            "(gateway.maxTrackedAddresses, " + addresses.maxTrackedAddresses() + ") already; nothing was read, try " +
            "again later");
        return frames;
    }

    private static byte[] frame(final String text)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MAX_FRAME]);
        final TerminateEncoder terminate = new TerminateEncoder().wrapAndApplyHeader(buffer,
            SimpleOpenFraming.HEADER_LENGTH, new MessageHeaderEncoder())
            .sessionIdHigh(0)
            .sessionIdLow(0)
            .code(TerminationCode.CONNECTION_REFUSED)
            .text(text);
        final int length = SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            terminate.encodedLength();
        SimpleOpenFraming.writeHeader(buffer, 0, length);
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
