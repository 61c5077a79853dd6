package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.EstablishmentRejectEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;
import io.rollbook.protocol.orderentry.NegotiationRejectEncoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted server that refuses the logon: the rejects carry a code only, and the failure names what the
 * code is about: the account whose negotiation was refused, the interval sent and the range a server allows.
 */
@Tag("system")
class LogonRefusedSystemTest
{
    private final ScriptedFrames frames = new ScriptedFrames();

    @Test
    void aRefusedNegotiationNamesTheAccount() throws Exception
    {
        assertEquals("negotiation rejected for account 101: BAD_SIGNATURE", refusal(new Logon(101, key()), true,
            null));
        assertEquals("negotiation rejected for the operator (account 0): BAD_SIGNATURE", refusal(new Logon(0, key()),
            true, null));
    }

    @Test
    void aRefusedKeepAliveIntervalGivesTheRangeAllowed() throws Exception
    {
        assertEquals("establishment rejected: INVALID_KEEP_ALIVE_INTERVAL: keepAliveMs 50 is outside the range the " +
            "server allows, gateway.keepAliveMinMs..keepAliveMaxMs (100..60000 ms unless its operator changed them)",
            refusal(new Logon(101, key()).keepAliveMs(50), false, EstablishRejectCode.INVALID_KEEP_ALIVE_INTERVAL));
        assertEquals("establishment rejected: INVALID_DEAD_MAN_TIMEOUT: deadManTimeoutMs 5 is neither 0 (off) nor " +
            "within the range the server allows, gateway.deadManMinMs..deadManMaxMs (100..3600000 ms unless its " +
            "operator changed them)",
            refusal(new Logon(101, key()).deadManTimeoutMs(5), false, EstablishRejectCode.INVALID_DEAD_MAN_TIMEOUT));
        assertEquals("establishment rejected: UNKNOWN_SESSION",
            refusal(new Logon(101, key()), false, EstablishRejectCode.UNKNOWN_SESSION));
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
    private String refusal(final Logon logon, final boolean refuseNegotiation, final EstablishRejectCode code)
        throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server, refuseNegotiation, code));
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

    private void serve(final ServerSocket server, final boolean refuseNegotiation, final EstablishRejectCode code)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, frames.challenge());
            ScriptedFrames.expect(in, NegotiateDecoder.TEMPLATE_ID);
            if (refuseNegotiation)
            {
                ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationRejectEncoder()
                    .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                    .sessionIdHigh(1).sessionIdLow(1).code(NegotiationRejectCode.BAD_SIGNATURE).encodedLength()));
                in.read();
                return;
            }
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationResponseEncoder()
                .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                .sessionIdHigh(1).sessionIdLow(1).account(101).encodedLength()));
            ScriptedFrames.expect(in, EstablishDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new EstablishmentRejectEncoder()
                .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
                .sessionIdHigh(1).sessionIdLow(1).code(code).encodedLength()));
            // The client reads the reject before it sees the connection end.
            in.read();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
