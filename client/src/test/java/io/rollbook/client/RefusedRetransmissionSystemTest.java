package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.BooleanType;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishmentAckEncoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import io.rollbook.protocol.orderentry.OrderStatus;
import io.rollbook.protocol.orderentry.RetransmissionEncoder;
import io.rollbook.protocol.orderentry.RetransmitRequestDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted server that refuses the retransmission a logon asks for: the logon fails at once with the
 * server's reason, rather than wait out its timeout holding live reports; a server too busy to serve it
 * ({@code SYSTEM_BUSY}: nothing was sent) is asked again, from the last report delivered, within the logon; live
 * reports beyond what the client holds while it waits end the logon at once, none of them delivered.
 */
@Tag("system")
class RefusedRetransmissionSystemTest
{
    private static final long LOGON_TIMEOUT_MS = 20_000;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;

    @Test
    void aRefusedRetransmissionFailsTheLogonWithTheServersReason() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server));
            script.start();
            try (RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
            }))
            {
                final long startNs = System.nanoTime();
                final ClientException refused = assertThrows(ClientException.class, () -> client.logon(
                    new Logon(10, Ed25519Keys.generate().getPrivate()).timeoutMs(LOGON_TIMEOUT_MS)
                        .resumeAfter(new JournalPosition(5, 0))));
                assertTrue(refused.getMessage().contains("RETRANSMIT_OUT_OF_RANGE") &&
                    refused.getMessage().contains("not within"), refused.getMessage());
                assertTrue(System.nanoTime() - startNs < LOGON_TIMEOUT_MS * 1_000_000 / 2, "not by the timeout");
                assertFalse(client.isOpen());
            }
            script.join(5_000);
        }
    }

    @Test
    void liveReportsBeyondWhatTheClientHoldsFailTheLogonAndAreNotDelivered() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serveLiveReportsOnly(server));
            script.start();
            final List<Long> delivered = new ArrayList<>();
            try (RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onExecutionNew(final ExecutionNewDecoder report)
                {
                    delivered.add(report.sequence());
                }
            }))
            {
                final long startNs = System.nanoTime();
                final ClientException overflow = assertThrows(ClientException.class, () -> client.logon(
                    new Logon(10, Ed25519Keys.generate().getPrivate()).timeoutMs(LOGON_TIMEOUT_MS).maxHeldBytes(1_024)
                        .resumeAfter(new JournalPosition(5, 0))));
                assertTrue(overflow.getMessage().contains("more than 1024 bytes of live reports") &&
                    overflow.getMessage().contains("Logon.maxHeldBytes"), overflow.getMessage());
                assertTrue(System.nanoTime() - startNs < LOGON_TIMEOUT_MS * 1_000_000 / 2, "not by the timeout");
                assertFalse(client.isOpen());
                assertEquals(List.of(), delivered, "held reports are dropped with the connection, not delivered");
                assertEquals(new JournalPosition(5, 0), client.lastPosition(), "where the next logon resumes");
            }
            script.join(5_000);
        }
    }

    /**
     * Takes the retransmission request and answers nothing to it, sending live reports instead.
     */
    private void serveLiveReportsOnly(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            logon(out, in);
            ScriptedFrames.expect(in, RetransmitRequestDecoder.TEMPLATE_ID);
            for (long seqNo = 1; seqNo <= 100; seqNo++)
            {
                final long sequence = 9 + seqNo;
                ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ExecutionNewEncoder()
                    .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                    .seqNo(seqNo).sequence(sequence).eventIndex(0).orderId(sequence).clientOrderId(sequence)
                    .priceTicks(1).sizeLots(1).market(1).encodedLength()));
            }
            while (in.read() >= 0)
            {
                continue;
            }
        }
        catch (final IOException ex)
        {
            // The client closed the connection while reports were still being written.
        }
    }

    @Test
    void aBusyServerIsAskedAgainFromTheLastReportDeliveredUntilItAnswers() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final List<String> requests = new CopyOnWriteArrayList<>();
            final Thread script = new Thread(() -> serveBusyThenAnswer(server, requests));
            script.start();
            final List<String> delivered = new ArrayList<>();
            try (RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onExecutionNew(final ExecutionNewDecoder report)
                {
                    delivered.add(report.sequence() + "/" + report.eventIndex());
                }
            }))
            {
                client.logon(new Logon(10, Ed25519Keys.generate().getPrivate()).timeoutMs(LOGON_TIMEOUT_MS)
                    .resumeAfter(new JournalPosition(5, 0)));
                assertEquals(List.of("6/0", "8/0"), delivered);
                assertEquals(List.of("5/0", "6/0", "6/0", "6/0"), requests,
                    "asked again after each refusal, from the last report delivered");
                assertEquals(new JournalPosition(8, 0), client.lastPosition());
                assertTrue(client.isEstablished());
            }
            script.join(5_000);
        }
    }

    /**
     * Serves the first request in part (one report of two, complete FALSE), refuses the next two as busy, then
     * serves the rest.
     */
    private void serveBusyThenAnswer(final ServerSocket server, final List<String> requests)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            logon(out, in);
            long seqNo = 1;
            for (int request = 0; request < 4; request++)
            {
                final UnsafeBuffer frame = ScriptedFrames.expect(in, RetransmitRequestDecoder.TEMPLATE_ID);
                final RetransmitRequestDecoder decoder = new RetransmitRequestDecoder().wrap(frame,
                    ScriptedFrames.MESSAGE_AT + MessageHeaderEncoder.ENCODED_LENGTH, RetransmitRequestDecoder.BLOCK_LENGTH,
                    RetransmitRequestDecoder.SCHEMA_VERSION);
                requests.add(decoder.afterSequence() + "/" + decoder.afterEventIndex());
                if (request == 1 || request == 2)
                {
                    final BusinessRejectEncoder reject = new BusinessRejectEncoder()
                        .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                        .seqNo(seqNo++).refSeqNo(0).clientOrderId(BusinessRejectEncoder.clientOrderIdNullValue())
                        .code(BusinessRejectCode.SYSTEM_BUSY).orderId(BusinessRejectEncoder.orderIdNullValue())
                        .orderStatus(OrderStatus.NULL_VAL)
                        .text("the gateway had no room for the answer for 5000 ms; nothing was sent, ask again");
                    ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + reject.encodedLength()));
                    continue;
                }
                final long reportSequence = request == 0 ? 6 : 8;
                ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new RetransmissionEncoder()
                    .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                    .afterSequence(decoder.afterSequence()).afterEventIndex(decoder.afterEventIndex()).count(1)
                    .complete(request == 0 ? BooleanType.FALSE : BooleanType.TRUE)
                    .resumeAfterSequence(request == 0 ? 6 : 9).resumeAfterEventIndex(request == 0 ? 0 : 0xFFFF)
                    .encodedLength()));
                ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ExecutionNewEncoder()
                    .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                    .seqNo(seqNo++).sequence(reportSequence).eventIndex(0).orderId(reportSequence)
                    .clientOrderId(reportSequence).priceTicks(1).sizeLots(1).market(1).encodedLength()));
            }
            while (in.read() >= 0)
            {
                continue;
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void logon(final OutputStream out, final DataInputStream in) throws IOException
    {
        ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ChallengeEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .putNonce(new byte[32], 0, 32).serverTimeNs(1).encodedLength()));
        ScriptedFrames.expect(in, NegotiateDecoder.TEMPLATE_ID);
        ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationResponseEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(1).sessionIdLow(1).account(10).encodedLength()));
        ScriptedFrames.expect(in, EstablishDecoder.TEMPLATE_ID);
        ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new EstablishmentAckEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(1).sessionIdLow(1).lastJournalSequence(9).nextSeqNo(1).keepAliveIntervalMs(1_000)
            .encodedLength()));
    }

    private void serve(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            logon(out, in);
            ScriptedFrames.expect(in, RetransmitRequestDecoder.TEMPLATE_ID);
            final BusinessRejectEncoder reject = new BusinessRejectEncoder()
                .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .seqNo(1).refSeqNo(0).clientOrderId(BusinessRejectEncoder.clientOrderIdNullValue())
                .code(BusinessRejectCode.RETRANSMIT_OUT_OF_RANGE).orderId(BusinessRejectEncoder.orderIdNullValue())
                .orderStatus(OrderStatus.NULL_VAL)
                .text("afterSequence 5 is not within 0..4 (lastJournalSequence)");
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + reject.encodedLength()));
            while (in.read() >= 0)
            {
                continue;
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
