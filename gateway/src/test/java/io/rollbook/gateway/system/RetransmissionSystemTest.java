package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rollbook.client.ClientException;
import io.rollbook.client.ClientListener;
import io.rollbook.client.JournalPosition;
import io.rollbook.client.RollbookClient;
import io.rollbook.journal.JournalFiles;
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

    @Test
    void liveReportsArrivingDuringTheRetransmissionAreDeliveredAfterItOnceEachInJournalOrder() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.retransmitMaxReports(2)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder observer = new Recorder();
            final Recorder taker = new Recorder();
            try (RollbookClient observing = service.session(10, observer);
                RollbookClient counterparty = service.session(11, taker))
            {
                for (int i = 0; i < 6; i++)
                {
                    observing.newLimitOrder(100 + i, BTC, Side.BUY, 499_000 - i, 10, TimeInForce.GTC);
                }
                observing.flush();
                observing.await(() -> observer.count("rested") == 6, 5_000, "six rested");

                // Each chunk's header, before its reports: the account trades, and the observer has the fill, so the
                // reconnecting session's live copy is on its socket ahead of the next chunk.
                final AtomicInteger fills = new AtomicInteger();
                final ClientListener tradeDuringRetransmission = new ClientListener()
                {
                    @Override
                    public void onRetransmission(final RetransmissionDecoder retransmission)
                    {
                        if (fills.get() < 3)
                        {
                            final int fill = fills.incrementAndGet();
                            counterparty.newLimitOrder(200 + fill, BTC, Side.SELL, 499_000, 1, TimeInForce.IOC);
                            counterparty.flush();
                            observing.await(() -> observer.count("trade") == fill, 5_000, "fill " + fill);
                        }
                    }
                };
                final Recorder back = new Recorder();
                try (RollbookClient resumed = service.connect(new Fanout(back, tradeDuringRetransmission)))
                {
                    resumed.logon(service.logon(10).resumeAfter(JournalPosition.START));
                    assertEquals(3, fills.get());
                    resumed.await(() -> back.reports.size() == observer.reports.size(), 5_000, "every report");
                    assertEquals(observer.reports, back.reports);
                    assertEquals(observer.positions, back.positions);
                    for (int i = 1; i < back.positions.size(); i++)
                    {
                        assertTrue(back.positions.get(i).compareTo(back.positions.get(i - 1)) > 0, back.positions.toString());
                    }
                }
            }
        }
    }

    @Test
    void aRangeAcrossTheJournalsDailyFileChangeIsServedCompletelyAndInOrder() throws Exception
    {
        final AtomicLong journalFileClockMs = new AtomicLong(System.currentTimeMillis());
        final int ordersPerDay = 20;
        final List<String> live;
        final List<JournalPosition> positions;
        try (TestService service = new TestService(dataDirectory, context -> context.retransmitMaxReports(7))
            .sequencer(context -> context.journalFileClockMs(journalFileClockMs::get)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder observer = new Recorder();
            final Recorder taker = new Recorder();
            try (RollbookClient observing = service.session(10, observer);
                RollbookClient counterparty = service.connect(taker))
            {
                // Not polled through a day's orders and resumptions, which a loaded machine stretches past a
                // keep-alive of a second: a long one.
                counterparty.logon(service.logon(11).keepAliveMs(60_000));
                for (int day = 0; day < 3; day++)
                {
                    // One batch per order: each day's file holds more batches than the retransmitter's sparse index
                    // skips, so its jumps land in every file.
                    for (int i = 0; i < ordersPerDay; i++)
                    {
                        observing.newLimitOrder(day * 100 + i + 1, BTC, Side.BUY, 499_000 - i, 10, TimeInForce.GTC);
                        observing.flush();
                        final int rested = day * ordersPerDay + i + 1;
                        observing.await(() -> observer.count("rested") == rested, 5_000, "order " + rested);
                    }
                    counterparty.newLimitOrder(1_000 + day, BTC, Side.SELL, 499_000, 1, TimeInForce.IOC);
                    counterparty.flush();
                    final int trades = day + 1;
                    observing.await(() -> observer.count("trade") == trades, 5_000, "the day's fill");

                    // The retransmission thread reads the journal before each roll as well as after: its reader must
                    // follow files created after it opened them.
                    assertEquals(observer.reports, resumeAfter(service, JournalPosition.START), "day " + day);
                    journalFileClockMs.addAndGet(TimeUnit.DAYS.toMillis(1));
                }
            }
            assertEquals(3, journalFiles(), "a journal file per day");
            live = observer.reports;
            positions = observer.positions;
            assertEveryResumeServesTheRest(service, live, positions);
        }
        try (TestService restarted = new TestService(dataDirectory, context -> context.retransmitMaxReports(7))
            .sequencer(context -> context.journalFileClockMs(journalFileClockMs::get)).start())
        {
            assertEveryResumeServesTheRest(restarted, live, positions);
        }
    }

    private static void assertEveryResumeServesTheRest(
        final TestService service, final List<String> live, final List<JournalPosition> positions)
    {
        assertEquals(live, resumeAfter(service, JournalPosition.START));
        for (int i = positions.size() - 1; i >= 0; i -= 5)
        {
            assertEquals(live.subList(i + 1, live.size()), resumeAfter(service, positions.get(i)),
                "after " + positions.get(i));
        }
    }

    @Test
    void reportsFromBeforeAndAfterRestartsAreServedAsTheyWereSent() throws Exception
    {
        final List<String> live = new ArrayList<>();
        for (int run = 0; run < 3; run++)
        {
            final int first = run;
            try (TestService service = new TestService(dataDirectory)
                .sequencer(context -> context.snapshotEveryBatches(first == 1 ? 1 : 0)).start())
            {
                if (run == 0)
                {
                    service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
                }
                final Recorder observer = new Recorder();
                final Recorder taker = new Recorder();
                try (RollbookClient observing = service.session(10, observer);
                    RollbookClient counterparty = service.session(11, taker))
                {
                    for (int i = 0; i < 3; i++)
                    {
                        observing.newLimitOrder(run * 10 + i + 1, BTC, Side.BUY, 499_000 - i, 10, TimeInForce.GTC);
                    }
                    observing.flush();
                    observing.await(() -> observer.count("rested") == 3, 5_000, "the run's orders");
                    counterparty.newLimitOrder(100 + run, BTC, Side.SELL, 498_998, 15, TimeInForce.IOC);
                    counterparty.flush();
                    observing.await(() -> observer.count("trade") == 2, 5_000, "the run's fills");
                }
                live.addAll(observer.reports);
                assertEquals(live, resumeAfter(service, JournalPosition.START), "run " + run);
            }
        }
    }

    private static List<String> resumeAfter(final TestService service, final JournalPosition position)
    {
        final Recorder recorder = new Recorder();
        try (RollbookClient client = service.connect(recorder))
        {
            client.logon(service.logon(10).resumeAfter(position));
        }
        return recorder.reports;
    }

    private long journalFiles() throws IOException
    {
        try (var files = Files.list(JournalFiles.journalDirectory(dataDirectory)))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
