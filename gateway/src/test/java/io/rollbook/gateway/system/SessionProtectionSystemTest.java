package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancel-on-disconnect, the dead-man timer and the throttle, each seen from another session that stays up.
 */
@Tag("system")
class SessionProtectionSystemTest
{
    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "clean Terminate: {0}")
    @ValueSource(booleans = {false, true})
    void cancelOnDisconnectCancelsTheAccountsOrdersInEveryMarketThroughTheSequencer(final boolean cleanTerminate)
        throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder observer = new Recorder();
            try (RollbookClient watching = service.session(10, observer))
            {
                final Recorder events = new Recorder();
                final RollbookClient client = service.connect(events);
                client.logon(service.logon(10).cancelOnDisconnect(true));
                client.newLimitOrder(1, BTC, Side.BUY, 490_000, 5, TimeInForce.GTC);
                client.newLimitOrder(2, TestService.ETH, Side.SELL, 31_000, 5, TimeInForce.GTC);
                client.newLimitOrder(3, TestService.ETH, Side.BUY, 29_000, 5, TimeInForce.GTC);
                client.flush();
                client.await(() -> events.count("rested") == 3, 5_000, "three resting in two markets");
                if (cleanTerminate)
                {
                    client.close();
                    assertEquals(TerminationCode.FINISHED, events.terminated, "the server answered the Terminate");
                }
                else
                {
                    client.abort();
                }
                watching.await(() -> observer.count("massCanceled") == 1, 5_000, "cancel on disconnect");
                assertEquals(3, observer.count("canceled"));
                assertEquals(3, observer.count("canceled", "CANCEL_ON_DISCONNECT"));
                assertEquals("massCanceled 3", observer.last());
            }
        }
    }

    @Test
    void theDeadManTimerCancelsWhenTheSessionFallsSilent() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.deadManBoundsMs(50, 60_000)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder observer = new Recorder();
            try (RollbookClient watching = service.session(10, observer))
            {
                final Recorder events = new Recorder();
                try (RollbookClient client = service.connect(events))
                {
                    client.logon(service.logon(10).keepAliveMs(5_000).deadManTimeoutMs(200));
                    client.newLimitOrder(7, BTC, Side.SELL, 510_000, 5, TimeInForce.GTC);
                    client.newLimitOrder(8, TestService.ETH, Side.SELL, 31_000, 5, TimeInForce.GTC);
                    client.flush();
                    client.await(() -> events.count("rested") == 2, 5_000, "resting");
                    // The client now sends nothing (it is not polled): the server hears nothing for 200 ms.
                    watching.await(() -> observer.count("massCanceled") == 1, 5_000, "the dead-man cancel");

                    // Both orders rested, and the only thing that ended them is one dead-man mass cancel: no other
                    // cancel of any reason, before or after it.
                    assertEquals(List.of(
                        "new 7 SELL 5@510000 GTC", "rested 7 5@510000",
                        "new 8 SELL 5@31000 GTC", "rested 8 5@31000",
                        "canceled 7 5 DEAD_MAN_TIMER", "canceled 8 5 DEAD_MAN_TIMER", "massCanceled 2"),
                        withoutOrderIds(observer.lines));

                    // It fired while the session was still up: not the timer a closed connection leaves behind.
                    client.await(() -> events.count("massCanceled") == 1, 5_000, "the silent session's own reports");
                    assertTrue(client.isOpen(), "the session outlived its dead-man timer");
                    assertNull(client.terminationCode(), client.terminationText());
                    assertEquals(List.of("canceled 7 5 DEAD_MAN_TIMER", "canceled 8 5 DEAD_MAN_TIMER", "massCanceled 2"),
                        events.lines.subList(events.lines.size() - 3, events.lines.size()));

                    // A sentinel on the watching session: once its report is in, nothing else was canceled.
                    watching.newLimitOrder(9, BTC, Side.SELL, 520_000, 5, TimeInForce.GTC);
                    watching.cancelByClientOrderId(9, BTC);
                    watching.flush();
                    watching.await(() -> observer.count("canceled 9") == 1, 5_000, "the sentinel");
                    assertEquals(2, observer.count("canceled", "DEAD_MAN_TIMER"), observer.lines.toString());
                    assertEquals(3, observer.count("canceled"), observer.lines.toString());
                    assertEquals(1, observer.count("massCanceled"), observer.lines.toString());
                }
            }
        }
    }

    @Test
    void aPolledClientKeepsItsDeadManTimerArmedWhenItIsShorterThanTheKeepAlive() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.deadManBoundsMs(50, 60_000)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder events = new Recorder();
            try (RollbookClient client = service.connect(events))
            {
                client.logon(service.logon(10).keepAliveMs(10_000).deadManTimeoutMs(1_000));
                client.newLimitOrder(7, BTC, Side.SELL, 510_000, 5, TimeInForce.GTC);
                client.flush();
                client.await(() -> events.count("rested") == 1, 5_000, "resting");
                // Alive and polled, with nothing to send: its heartbeats must come within the dead-man timeout,
                // not only within half the keep-alive.
                final long untilNs = System.nanoTime() + 3_000_000_000L;
                client.await(() -> System.nanoTime() > untilNs, 5_000, "three dead-man timeouts");
                client.newLimitOrder(8, BTC, Side.SELL, 520_000, 5, TimeInForce.GTC);
                client.cancelByClientOrderId(8, BTC);
                client.flush();
                client.await(() -> events.count("canceled 8") == 1, 5_000, "the sentinel");
                assertEquals(0, events.count("canceled", "DEAD_MAN_TIMER"), events.lines.toString());
                assertEquals(0, events.count("massCanceled"), events.lines.toString());
            }
        }
    }

    @Test
    void theDeadManTimerStillFiresAfterTheServerEndedTheSilentSession() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.deadManBoundsMs(50, 60_000)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder observer = new Recorder();
            try (RollbookClient watching = service.session(10, observer))
            {
                final Recorder events = new Recorder();
                final RollbookClient client = service.connect(events);
                client.logon(service.logon(10).keepAliveMs(200).deadManTimeoutMs(1_500));
                client.newLimitOrder(7, BTC, Side.SELL, 510_000, 5, TimeInForce.GTC);
                client.newLimitOrder(8, TestService.ETH, Side.SELL, 31_000, 5, TimeInForce.GTC);
                client.flush();
                client.await(() -> events.count("rested") == 2, 5_000, "resting");
                final long silentFromNs = System.nanoTime();
                // Not polled any more: after 300 ms the server ends the session for its lapsed keep-alive, well
                // before the dead-man timeout; the timer it asked for must fire all the same.
                watching.await(() -> observer.count("massCanceled") == 1, 10_000, "the dead-man cancel");
                assertTrue(System.nanoTime() - silentFromNs >= 1_400_000_000L, "not before the timeout");
                assertEquals(2, observer.count("canceled", "DEAD_MAN_TIMER"));
                client.poll();
                assertEquals(TerminationCode.KEEP_ALIVE_LAPSED, client.terminationCode());
                client.close();
            }
        }
    }

    @Test
    void aDeadManTimerOfAClosedConnectionStandsDownWhenTheAccountIsBack() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.deadManBoundsMs(50, 60_000)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder events = new Recorder();
            final RollbookClient client = service.connect(events);
            client.logon(service.logon(10).keepAliveMs(5_000).deadManTimeoutMs(1_000));
            client.newLimitOrder(7, BTC, Side.SELL, 510_000, 5, TimeInForce.GTC);
            client.flush();
            client.await(() -> events.count("rested") == 1, 5_000, "resting");
            final long deadlineNs = System.nanoTime() + 1_000_000_000L;
            client.abort();

            final Recorder back = new Recorder();
            try (RollbookClient again = service.session(10, back))
            {
                again.await(() -> System.nanoTime() - deadlineNs > 500_000_000L, 5_000, "the old deadline to pass");
                // A sentinel order and its cancel: reports after the old deadline, in journal order.
                again.newLimitOrder(9, BTC, Side.SELL, 520_000, 5, TimeInForce.GTC);
                again.cancelByClientOrderId(9, BTC);
                again.flush();
                again.await(() -> back.count("canceled 9") == 1, 5_000, "the sentinel");
                assertEquals(0, back.count("canceled", "DEAD_MAN_TIMER"), back.lines.toString());
                assertEquals(0, back.count("massCanceled"), back.lines.toString());
            }
        }
    }

    @Test
    void aFloodingSessionIsThrottledThenTerminatedAndOthersAreUnaffected() throws Exception
    {
        try (TestService service = throttled())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder flood = new Recorder();
            final Recorder calm = new Recorder();
            try (RollbookClient flooder = service.session(10, flood);
                RollbookClient other = service.session(11, calm))
            {
                for (int i = 0; i < 200; i++)
                {
                    flooder.newLimitOrder(i + 1, BTC, Side.BUY, 400_000, 1, TimeInForce.IOC);
                }
                flooder.flush();
                flooder.await(() -> !flooder.isOpen(), 5_000, "the flooder's termination");
                assertEquals(TerminationCode.THROTTLE_EXCEEDED, flood.terminated);
                assertTrue(flood.count("business THROTTLED") >= 1, flood.lines.toString());

                assertUnaffected(other, calm);
            }
        }
    }

    @Test
    void aSessionFloodingHeartbeatsIsTerminatedWithoutThrottleRejectsAndOthersAreUnaffected() throws Exception
    {
        try (TestService service = throttled())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 11);
            final Recorder calm = new Recorder();
            try (RawSession flooder = new RawSession(service.port())
                    .logon(10, TestService.ACCOUNT_KEYS[0].getPrivate(), 1, 5_000);
                RollbookClient other = service.session(11, calm))
            {
                // Each announces the seqNo the session expects, so only their number can end the session.
                new SequenceEncoder().wrapAndApplyHeader(flooder.send, 0, flooder.headerEncoder).nextSeqNo(1);
                // Twice the burst, in one write of 1.6 KB that the server reads at once: it ends the session part-way
                // through them, and bytes left unread at its close would reset the connection and could destroy
                // its Terminate.
                flooder.send(SequenceEncoder.BLOCK_LENGTH, 100);
                // Nothing but the server's own heartbeats comes before the Terminate: no BusinessReject.
                final String termination = flooder.awaitTermination();
                assertTrue(termination.startsWith("THROTTLE_EXCEEDED kept sending above 50 "), termination);

                assertUnaffected(other, calm);
            }
        }
    }

    @Test
    void aSessionStillSendingWhenTerminatedReadsItsTerminateAndIsNotReset() throws Exception
    {
        try (TestService service = throttled())
        {
            try (RawSession flooder = new RawSession(service.port())
                .logon(10, TestService.ACCOUNT_KEYS[0].getPrivate(), 1, 5_000))
            {
                new SequenceEncoder().wrapAndApplyHeader(flooder.send, 0, flooder.headerEncoder).nextSeqNo(1);
                // 16 MB of heartbeats, far more than the kernel buffers between the two hold: the client is still
                // sending long after it is terminated. A server that closed with them unread would reset the
                // connection, failing the client's writes and its read after the Terminate.
                final AtomicReference<Throwable> writeFailure = new AtomicReference<>();
                final Thread writer = new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < 256; i++)
                        {
                            flooder.send(SequenceEncoder.BLOCK_LENGTH, 4096);
                        }
                    }
                    catch (final IOException ex)
                    {
                        writeFailure.set(ex);
                    }
                }, "flooding-writer");
                writer.start();
                final String termination = flooder.awaitTermination();
                writer.join();
                assertTrue(termination.startsWith("THROTTLE_EXCEEDED "), termination);
                assertNull(writeFailure.get(), "every byte the client sent was taken");
            }
        }
    }

    @Test
    void heartbeatsWithinTheRateKeepASessionOpen() throws Exception
    {
        try (TestService service = throttled())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            try (RawSession session = new RawSession(service.port())
                    .logon(10, TestService.ACCOUNT_KEYS[0].getPrivate(), 1, 5_000))
            {
                new SequenceEncoder().wrapAndApplyHeader(session.send, 0, session.headerEncoder).nextSeqNo(1);
                // Within the bucket's burst, a second's worth.
                session.send(SequenceEncoder.BLOCK_LENGTH, 40);
                session.sendLimitOrder(1, 5, BTC, Side.BUY, 490_000, 1);
                session.expect(ExecutionNewDecoder.TEMPLATE_ID);
            }
        }
    }

    /**
     * A service whose sessions may send 50 messages a second and are terminated after 20 throttled in a second.
     */
    private TestService throttled() throws InterruptedException
    {
        return new TestService(dataDirectory,
            context -> context.throttleMessagesPerSecond(50).throttleTerminateAfterRejects(20)).start();
    }

    /**
     * The lines without the engine's order ids, which depend on what else the service has seen.
     */
    private static List<String> withoutOrderIds(final List<String> lines)
    {
        return lines.stream().map(line -> line.replaceFirst(" order=\\d+", "")).toList();
    }

    private static void assertUnaffected(final RollbookClient other, final Recorder calm)
    {
        other.newLimitOrder(1, BTC, Side.SELL, 520_000, 3, TimeInForce.GTC);
        other.flush();
        other.await(() -> calm.count("rested") == 1, 5_000, "the other session's order");
        assertEquals(0, calm.count("business"));
        assertTrue(other.isOpen());
    }
}
