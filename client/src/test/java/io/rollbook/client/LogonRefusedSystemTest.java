package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.framing.OrderEntryTemplates;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.EstablishmentRejectEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;
import io.rollbook.protocol.orderentry.NegotiationRejectEncoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted server that refuses the logon: the failure names what the reject's code is about: the account
 * whose negotiation was refused, the interval sent and the range the server allows (as the reject states it, or, from
 * a server older than schema version 3, the settings with their defaults).
 */
@Tag("system")
class LogonRefusedSystemTest
{
    private final ScriptedFrames frames = new ScriptedFrames();
    /** What the scripted server's Challenge says its clock is, and how it refuses a negotiation. */
    private long serverTimeNs = 1;
    private NegotiationRejectCode negotiationRefusal = NegotiationRejectCode.BAD_SIGNATURE;
    /** A code in its place that this client's schema does not have, as a newer server may send; 0 for none. */
    private int newerNegotiationRefusal;

    @Test
    void aRefusedNegotiationNamesTheAccount() throws Exception
    {
        assertEquals("negotiation rejected for account 101: BAD_SIGNATURE", refusal(new Logon(101, key()), true,
            null));
        assertEquals("negotiation rejected for the operator (account 0): BAD_SIGNATURE", refusal(new Logon(0, key()),
            true, null));
    }

    @Test
    void aRefusedTimestampSaysHowFarThisHostsClockIsFromTheServers() throws Exception
    {
        final long aheadMs = TimeUnit.HOURS.toMillis(1);
        serverTimeNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() + aheadMs);
        negotiationRefusal = NegotiationRejectCode.STALE_TIMESTAMP;
        final String refusal = refusal(new Logon(101, key()), true, null);
        final Matcher matcher = Pattern.compile("negotiation rejected for account 101: STALE_TIMESTAMP: the " +
            "Negotiate's timestamp, this host's clock, is outside the server's window \\(gateway.timestampWindowMs, " +
            "30000 ms unless its operator changed it\\); the server's Challenge put its clock (\\d+) ms ahead of " +
            "this host's").matcher(refusal);
        assertTrue(matcher.matches(), refusal);
        // The Challenge is read a moment after the script read its clock: the offset seen is at most the one set.
        final long seenMs = Long.parseLong(matcher.group(1));
        assertTrue(seenMs <= aheadMs && seenMs > aheadMs - TimeUnit.MINUTES.toMillis(1), refusal);
    }

    @Test
    void aSessionIdInUseIsNamed() throws Exception
    {
        negotiationRefusal = NegotiationRejectCode.SESSION_IN_USE;
        final UUID sessionId = new UUID(7, 8);
        assertEquals("negotiation rejected for account 101: SESSION_IN_USE: another live connection holds session " +
            "id 00000000-0000-0007-0000-000000000008", refusal(new Logon(101, key()).sessionId(sessionId), true, null));
    }

    @Test
    void aRefusedIntervalGivesTheRangeTheServerStates() throws Exception
    {
        assertEquals("establishment rejected: INVALID_KEEP_ALIVE_INTERVAL: keepAliveMs 50 is outside the range the " +
            "server allows, 200..30000 ms (gateway.keepAliveMinMs..keepAliveMaxMs)",
            refusal(new Logon(101, key()).keepAliveMs(50), false,
            new Refusal(EstablishRejectCode.INVALID_KEEP_ALIVE_INTERVAL, 3, 200, 30_000)));
        assertEquals("establishment rejected: INVALID_DEAD_MAN_TIMEOUT: deadManTimeoutMs 5 is neither 0 (off) nor " +
            "within the range the server allows, 500..600000 ms (gateway.deadManMinMs..deadManMaxMs)",
            refusal(new Logon(101, key()).deadManTimeoutMs(5), false,
            new Refusal(EstablishRejectCode.INVALID_DEAD_MAN_TIMEOUT, 3, 500, 600_000)));
        assertEquals("establishment rejected: UNKNOWN_SESSION", refusal(new Logon(101, key()), false,
            new Refusal(EstablishRejectCode.UNKNOWN_SESSION, 3, EstablishmentRejectEncoder.allowedMinMsNullValue(),
            EstablishmentRejectEncoder.allowedMaxMsNullValue())));
    }

    @Test
    void aServerBeforeVersion3StatesNoRangeAndTheRefusalNamesTheDefaults() throws Exception
    {
        assertEquals("establishment rejected: INVALID_KEEP_ALIVE_INTERVAL: keepAliveMs 50 is outside the range the " +
            "server allows, gateway.keepAliveMinMs..keepAliveMaxMs (100..60000 ms unless its operator changed them)",
            refusal(new Logon(101, key()).keepAliveMs(50), false,
            new Refusal(EstablishRejectCode.INVALID_KEEP_ALIVE_INTERVAL, 2, 0, 0)));
        assertEquals("establishment rejected: INVALID_DEAD_MAN_TIMEOUT: deadManTimeoutMs 5 is neither 0 (off) nor " +
            "within the range the server allows, gateway.deadManMinMs..deadManMaxMs (100..3600000 ms unless its " +
            "operator changed them)",
            refusal(new Logon(101, key()).deadManTimeoutMs(5), false,
            new Refusal(EstablishRejectCode.INVALID_DEAD_MAN_TIMEOUT, 2, 0, 0)));
    }

    @Test
    void aRefusalCodeThisClientDoesNotKnowIsNamedByItsNumber() throws Exception
    {
        newerNegotiationRefusal = 200;
        assertEquals("negotiation rejected for account 101: code 200", refusal(new Logon(101, key()), true, null));
    }

    @Test
    void aTerminationCodeThisClientDoesNotKnowEndsTheConnectWithTheServersReason() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() ->
            {
                try (Socket socket = server.accept())
                {
                    // As a newer server would: a code past every one this client's schema has.
                    final TerminateEncoder terminate = new TerminateEncoder()
                        .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                        .sessionIdHigh(0).sessionIdLow(0).code(TerminationCode.FINISHED).text("a newer reason");
                    frames.buffer.putByte(SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
                        TerminateEncoder.codeEncodingOffset(), (byte)200);
                    ScriptedFrames.write(socket.getOutputStream(),
                        frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + terminate.encodedLength()));
                    socket.getInputStream().read();
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            script.start();
            try
            {
                final String refusal = assertThrows(ClientException.class,
                    () -> RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
                    {
                    })).getMessage();
                assertEquals("connection ended while waiting for the server's challenge: terminated NULL_VAL: " +
                    "(code 200) a newer reason", refusal);
            }
            finally
            {
                script.join(5_000);
            }
        }
    }

    /**
     * An EstablishmentReject as a server of a schema version sends it: before version 3 its block ends after the
     * code, and the range is not there to read.
     */
    private record Refusal(EstablishRejectCode code, int version, long allowedMinMs, long allowedMaxMs)
    {
    }

    private static java.security.PrivateKey key()
    {
        return Ed25519Keys.generate().getPrivate();
    }

    /**
     * Logs on against a server that refuses the negotiation, or accepts it and refuses the establishment.
     *
     * @return the message the logon failed with
     */
    private String refusal(final Logon logon, final boolean refuseNegotiation, final Refusal refusal)
        throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server, refuseNegotiation, refusal));
            script.start();
            try (RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
            }))
            {
                return assertThrows(ClientException.class, () -> client.logon(logon.timeoutMs(20_000))).getMessage();
            }
            finally
            {
                script.join(5_000);
            }
        }
    }

    private void serve(final ServerSocket server, final boolean refuseNegotiation, final Refusal refusal)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, frames.challenge(serverTimeNs));
            ScriptedFrames.expect(in, NegotiateDecoder.TEMPLATE_ID);
            if (refuseNegotiation)
            {
                final int length = new NegotiationRejectEncoder()
                    .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                    .sessionIdHigh(1).sessionIdLow(1).code(negotiationRefusal).encodedLength();
                if (newerNegotiationRefusal != 0)
                {
                    frames.buffer.putByte(SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
                        NegotiationRejectEncoder.codeEncodingOffset(), (byte)newerNegotiationRefusal);
                }
                ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + length));
                in.read();
                return;
            }
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationResponseEncoder()
                .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                .sessionIdHigh(1).sessionIdLow(1).account(101).encodedLength()));
            ScriptedFrames.expect(in, EstablishDecoder.TEMPLATE_ID);
            new EstablishmentRejectEncoder()
                .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                .sessionIdHigh(1).sessionIdLow(1).code(refusal.code())
                .allowedMinMs(refusal.allowedMinMs()).allowedMaxMs(refusal.allowedMaxMs());
            final int blockLength = OrderEntryTemplates.blockLength(EstablishmentRejectEncoder.TEMPLATE_ID,
                refusal.version());
            frames.header.blockLength(blockLength).version(refusal.version());
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + blockLength));
            // The client reads the reject before it sees the connection end.
            in.read();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
