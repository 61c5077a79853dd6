package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.client.ClientException;
import io.rollbook.client.JournalPosition;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that goes away and comes back gets every execution report it missed, from the journal, in order and
 * exactly once, then the live ones: checked against an observer session of the same account that never left.
 */
@Tag("system")
class RetransmissionSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void aReconnectingSessionGetsWhatItMissedInChunksThenLiveReports() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.retransmitMaxReports(3)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder observer = new Recorder();
            final Recorder first = new Recorder();
            final Recorder taker = new Recorder();
            try (RollbookClient observing = service.session(10, observer);
                RollbookClient counterparty = service.session(11, taker))
            {
                final RollbookClient maker = service.session(10, first);
                for (int i = 0; i < 10; i++)
                {
                    maker.newLimitOrder(100 + i, BTC, Side.BUY, 499_000 - i, 10, TimeInForce.GTC);
                }
                maker.flush();
                maker.await(() -> first.count("rested") == 10, 5_000, "ten rested");
                final JournalPosition resumeAt = maker.lastPosition();
                maker.abort();

                for (int i = 0; i < 4; i++)
                {
                    counterparty.newLimitOrder(200 + i, BTC, Side.SELL, 498_990, 15, TimeInForce.IOC);
                }
                counterparty.flush();
                observing.await(() -> observer.count("trade") >= 6, 5_000, "the observer sees the fills");

                final Recorder second = new Recorder();
                final List<Integer> chunks = new ArrayList<>();
                final io.rollbook.client.ClientListener chunkCounter = new io.rollbook.client.ClientListener()
                {
                    @Override
                    public void onRetransmission(final RetransmissionDecoder retransmission)
                    {
                        chunks.add(retransmission.count());
                    }
                };
                try (RollbookClient back = service.connect(new Fanout(second, chunkCounter)))
                {
                    back.logon(service.logon(10).resumeAfter(resumeAt));
                    assertTrue(chunks.size() >= 3, "small chunks: " + chunks);
                    back.newLimitOrder(300, BTC, Side.BUY, 400_000, 1, TimeInForce.GTC);
                    back.flush();
                    back.await(() -> second.count("rested") == 1, 5_000, "a live report after the retransmission");
                    observing.await(() -> observer.count("rested") == 11, 5_000, "the observer too");

                    final List<String> missedAndLive = observer.reports.subList(first.reports.size(), observer.reports.size());
                    assertEquals(missedAndLive, second.reports);
                    assertEquals(first.reports, observer.reports.subList(0, first.reports.size()));
                }
            }
        }
    }

    @Test
    void retransmissionAfterARestartComesFromTheJournal() throws Exception
    {
        final List<String> seen;
        final JournalPosition middle;
        final List<String> expectedAfterMiddle;
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 12);
            final Recorder recorder = new Recorder();
            try (RollbookClient client = service.session(12, recorder))
            {
                for (int i = 0; i < 20; i++)
                {
                    client.newLimitOrder(1_000 + i, BTC, Side.SELL, 501_000 + i, 5, TimeInForce.GTC);
                }
                client.flush();
                client.await(() -> recorder.count("rested") == 20, 5_000, "twenty resting");
            }
            seen = recorder.reports;
            middle = recorder.positions.get(17);
            expectedAfterMiddle = new ArrayList<>(seen.subList(18, seen.size()));
        }
        assertEquals(40, seen.size());

        try (TestService restarted = new TestService(dataDirectory).start())
        {
            final Recorder recorder = new Recorder();
            try (RollbookClient client = restarted.connect(recorder))
            {
                client.logon(restarted.logon(12).resumeAfter(middle));
                assertEquals(expectedAfterMiddle, recorder.reports);
            }
        }
    }

    @Test
    void aResumePositionBeyondTheServersJournalFailsTheLogonInsteadOfSwallowingReports() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final JournalPosition fromAnotherHistory;
            final Recorder first = new Recorder();
            try (RollbookClient client = service.session(10, first))
            {
                client.newLimitOrder(1, BTC, Side.BUY, 490_000, 1, TimeInForce.GTC);
                client.flush();
                client.await(() -> first.count("rested") == 1, 5_000, "resting");
                fromAnotherHistory = new JournalPosition(client.lastPosition().sequence() + 1_000, 0);
            }
            final Recorder events = new Recorder();
            try (RollbookClient client = service.connect(events))
            {
                final ClientException refused = assertThrows(ClientException.class,
                    () -> client.logon(service.logon(10).resumeAfter(fromAnotherHistory)));
                assertTrue(refused.getMessage().contains("beyond"), refused.getMessage());
                assertFalse(client.isOpen());
            }
        }
    }
}
