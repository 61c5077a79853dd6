package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.RecordView;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.journal.SyncPolicy;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequencerTest
{
    @TempDir
    Path dataDirectory;

    private Sequencer.Context context(final Released released)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .ringSize(1024)
            .batchMaxCommands(64)
            .releaseListener(released);
    }

    static void publish(final CommandPublisher publisher, final RandomCommands commands, final long from, final long to)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        for (long n = from; n < to; n++)
        {
            final int length = commands.encode(n, buffer, 0);
            while (!publisher.tryPublish(n, buffer, 0, length))
            {
                if (!publisher.isAccepting())
                {
                    throw new IllegalStateException("sequencer stopped");
                }
                Thread.yield();
            }
        }
    }

    /**
     * Launch returns only once the commands sequenced at start have reached every listener, however slow: a gateway
     * bound right after launch must find the configured markets defined in its views. The first release here takes
     * a quarter of a second, so without the wait launch would return with nothing released.
     */
    @Test
    void launchReturnsOnceTheStartupCommandsAreReleasedToEveryListener()
    {
        final Released released = new Released();
        final ReleaseListener slow = new ReleaseListener()
        {
            private boolean first = true;

            @Override
            public void onReleased(final long sequence, final long timestampNs, final long source,
                final DirectBuffer buffer, final int commandOffset, final int commandLength, final int eventsOffset,
                final int eventsLength)
            {
                if (first)
                {
                    first = false;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
                }
            }
        };
        try (Sequencer sequencer = Sequencer.launch(context(released).releaseListener(slow)))
        {
            assertEquals(RandomCommands.MARKETS.size(), released.snapshot().size(),
                "every market definition released when launch returns");
        }
        try (Sequencer sequencer = Sequencer.launch(context(released)))
        {
            assertEquals(RandomCommands.MARKETS.size(), sequencer.recovery().lastSequence(),
                "a restart with nothing new to define has nothing to wait for");
        }
    }

    /**
     * A second sequencer on a data directory in use would append its own batch numbers into the same journal and
     * void the commands both had released: it is refused before it touches anything, and the first runs on.
     */
    @Test
    void aSecondSequencerOnADataDirectoryInUseIsRefusedAndTheFirstRunsOn()
    {
        final Released released = new Released();
        try (Sequencer first = Sequencer.launch(context(released)))
        {
            final JournalException refused =
                assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
            assertTrue(refused.getMessage().contains("is in use by another running Rollbook service"),
                refused.getMessage());
            publish(first.publisher(), new RandomCommands(3), 0, 100);
        }
        assertEquals(RandomCommands.MARKETS.size() + 100, released.snapshot().size());
        try (Sequencer again = Sequencer.launch(context(new Released())))
        {
            assertEquals(RandomCommands.MARKETS.size() + 100, again.recovery().lastSequence(),
                "closing released the directory, and the journal holds every command of the first");
        }
    }

    /**
     * A journal of other matcher capacities is refused before it is opened for writing: every file of the data
     * directory, the queue's metadata included, is byte for byte as it was.
     */
    @Test
    void aJournalOfOtherCapacitiesIsRefusedAndEveryFileStaysAsItWas() throws Exception
    {
        try (Sequencer first = Sequencer.launch(context(new Released())))
        {
            publish(first.publisher(), new RandomCommands(5), 0, 50);
        }
        final Map<Path, String> before = fileHashes();
        final JournalException refused = assertThrows(JournalException.class, () -> Sequencer.launch(
            context(new Released()).matcherContext(RandomCommands.matcherContext().orderCapacity(1 << 16))));
        assertTrue(refused.getMessage().contains("the journal was written by a matcher with other capacities: " +
            "orderCapacity is 131072 in the journal but 65536 in the configuration"), refused.getMessage());
        assertEquals(before, fileHashes());
    }

    private Map<Path, String> fileHashes() throws Exception
    {
        final Map<Path, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dataDirectory))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                hashes.put(dataDirectory.relativize(file), HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return hashes;
    }

    /**
     * The journal's market definitions hold for the matcher, and the gateways convert prices and sizes with the
     * configured ones: a configuration that edits a journaled market or leaves one out is refused at start, every
     * difference named, before anything is sequenced (not even a market new to the journal), and the data directory
     * starts again once the configuration is put right.
     */
    @Test
    void aConfigurationWhoseMarketsAreNotTheJournalsIsRefusedBeforeAnythingIsSequenced()
    {
        Sequencer.launch(context(new Released())).close();
        final long lastSequence;
        try (Sequencer same = Sequencer.launch(context(new Released())))
        {
            lastSequence = same.recovery().lastSequence();
        }
        assertEquals(RandomCommands.MARKETS.size(), lastSequence, "the genesis defined the configured markets");
        final MarketSpec newMarket = MarketSpec.builder().id(3).symbol("SOL-USD").tickSize("0.001").lotSize("0.01")
            .minSizeLots(1).maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build();
        final List<MarketSpec> edited = List.of(
            MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("0.5").lotSize("0.001").minSizeLots(1)
                .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(60_000).build(),
            RandomCommands.MARKETS.get(1), newMarket);
        final JournalException editedRefusal = assertThrows(JournalException.class,
            () -> Sequencer.launch(context(new Released()).markets(edited)).close());
        assertTrue(editedRefusal.getMessage().contains("the configured markets are not the journal's, and a market " +
            "cannot be redefined once the journal holds it: market 1 (BTC-USD): tickSize 0.1 in the journal, 0.5 in " +
            "the configuration, marketOrderBand (ppm) 50000 in the journal, 60000 in the configuration. "),
            editedRefusal.getMessage());

        final JournalException leftOutRefusal = assertThrows(JournalException.class,
            () -> Sequencer.launch(context(new Released()).markets(List.of(RandomCommands.MARKETS.get(1), newMarket)))
                .close());
        assertTrue(leftOutRefusal.getMessage().contains(
            "market 1 (BTC-USD) is in the journal but not in the configuration."), leftOutRefusal.getMessage());

        try (Sequencer again = Sequencer.launch(context(new Released())))
        {
            assertEquals(lastSequence, again.recovery().lastSequence(), "the refused starts sequenced nothing");
            assertEquals(null, again.recovery().matcher().market(3), "nor defined the new market");
        }
    }

    /**
     * A publisher that passed the check before the close stopped accepting may claim its slot after the matcher
     * thread has drained the ring. Its command is refused and never sequenced: matched after the drain, it would be
     * journaled and never released (its request left without an answer) or held by the final snapshot and missing
     * from the journal. The void slot is skipped, and the close drains past it.
     */
    @Test
    void aCommandClaimedAfterTheCloseStoppedAcceptingIsRefusedAndNeverSequenced()
    {
        final Released released = new Released();
        final RandomCommands commands = new RandomCommands(11);
        final int sequenced = RandomCommands.MARKETS.size() + 10;
        final Sequencer sequencer = Sequencer.launch(context(released));
        try
        {
            publish(sequencer.publisher(), commands, 0, 10);
            final RingPublisher publisher = (RingPublisher)sequencer.publisher();
            publisher.stopAccepting();
            final ExpandableArrayBuffer late = new ExpandableArrayBuffer(256);
            assertFalse(publisher.claimAndPublish(10, late, 0, commands.encode(10, late, 0)));
        }
        finally
        {
            sequencer.close();
        }

        assertEquals(sequenced, released.count(), "released: everything published before, nothing after");
        assertEquals(sequenced, sequencer.matcherAfterClose().lastSequence(), "the matcher's last sequence");
        try (Sequencer again = Sequencer.launch(context(new Released())))
        {
            assertEquals(sequenced, again.recovery().lastSequence(), "the journal's last sequence");
        }
    }

    /**
     * The matcher thread runs each command where its publisher put it, in the ring slot, and leaves room for it in
     * the batch; the journal thread copies it in from the slot. So a slot stays taken until then, not only until the
     * matcher thread has taken the command: with the journal thread held in a release, the commands the matcher
     * thread has sequenced still fill the ring, and a publisher meets a full ring. Once the journal thread goes on,
     * every command is journaled and released as it was published.
     */
    @Test
    void aRingSlotStaysTakenUntilTheJournalThreadHasCopiedItsCommand() throws InterruptedException
    {
        final int ringSize = 16;
        final int markets = RandomCommands.MARKETS.size();
        final CountDownLatch journalHeld = new CountDownLatch(1);
        final CountDownLatch goOn = new CountDownLatch(1);
        final ReleaseListener holding = new ReleaseListener()
        {
            @Override
            public void onReleased(final long sequence, final long timestampNs, final long source,
                final DirectBuffer buffer, final int commandOffset, final int commandLength, final int eventsOffset,
                final int eventsLength)
            {
                if (sequence == markets + 1)
                {
                    journalHeld.countDown();
                    try
                    {
                        goOn.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        final Released released = new Released();
        final RandomCommands commands = new RandomCommands(13);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int count = ringSize + 1 + 100;
        try (Sequencer sequencer = Sequencer.launch(context(released).ringSize(ringSize).releaseListener(holding)))
        {
            try
            {
                publish(sequencer.publisher(), commands, 0, 1);
                assertTrue(journalHeld.await(10, TimeUnit.SECONDS), "the journal thread releases the first command");
                for (int n = 1; n <= ringSize; n++)
                {
                    assertTrue(sequencer.publisher().tryPublish(n, buffer, 0, commands.encode(n, buffer, 0)),
                        "slot " + n + " of " + ringSize + " free");
                }
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sequencer.sequencedSequence() < markets + 1 + ringSize)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the matcher thread takes every command off the ring");
                    Thread.onSpinWait();
                }
                assertFalse(sequencer.publisher().tryPublish(ringSize + 1, buffer, 0,
                    commands.encode(ringSize + 1, buffer, 0)), "sequenced, but not yet copied into the journal's batch");
            }
            finally
            {
                goOn.countDown();
            }
            publish(sequencer.publisher(), commands, ringSize + 1, count);
        }

        final List<Released.Command> all = released.snapshot();
        assertEquals(markets + count, all.size());
        for (int n = 0; n < count; n++)
        {
            final Released.Command command = all.get(markets + n);
            assertEquals(n, command.source());
            final int length = commands.encode(n, buffer, 0);
            final byte[] published = new byte[length];
            buffer.getBytes(0, published);
            assertArrayEquals(published, command.command(), "command " + n);
        }
    }

    @Test
    void releasesEveryCommandInOrderAndTheJournalHoldsExactlyWhatWasReleased()
    {
        final Released released = new Released();
        final int count = 20_000;
        try (Sequencer sequencer = Sequencer.launch(context(released)))
        {
            assertTrue(sequencer.recovery().newJournal());
            publish(sequencer.publisher(), new RandomCommands(7), 0, count);
        }

        final List<Released.Command> all = released.snapshot();
        final int markets = RandomCommands.MARKETS.size();
        assertEquals(markets + count, all.size());
        for (int i = 0; i < all.size(); i++)
        {
            final Released.Command command = all.get(i);
            assertEquals(i + 1, command.sequence());
            assertEquals(i < markets ? 0 : i - markets, command.source());
            assertTrue(command.events().length > 0);
            if (i > 0)
            {
                assertTrue(command.timestampNs() >= all.get(i - 1).timestampNs(), "timestamps never go backwards");
            }
        }

        int index = 0;
        long lastBatch = 0;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            final RecordView record = new RecordView();
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind);
                assertEquals(++lastBatch, cursor.document().batchNumber());
                cursor.document().records(record);
                while (record.next())
                {
                    final Released.Command expected = all.get(index++);
                    assertEquals(expected.sequence(), record.sequence());
                    assertEquals(expected.timestampNs(), record.timestampNs());
                    assertEquals(expected.source(), record.source());
                    final byte[] command = new byte[record.commandLength()];
                    record.buffer().getBytes(record.commandOffset(), command);
                    assertArrayEquals(expected.command(), command);
                    final byte[] events = new byte[record.eventsLength()];
                    record.buffer().getBytes(record.eventsOffset(), events);
                    assertArrayEquals(expected.events(), events, "events of sequence " + expected.sequence());
                }
            }
            assertTrue(!cursor.tornTail());
        }
        assertEquals(all.size(), index);
        assertEquals(released.batches.size(), lastBatch);
    }

    @Test
    void manyProducersEachSeeTheirCommandsSequencedOnceAndInTheirOrder() throws InterruptedException
    {
        final Released released = new Released();
        final int producers = 4;
        final int perProducer = 5_000;
        try (Sequencer sequencer = Sequencer.launch(context(released).ringSize(256)))
        {
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final long base = (p + 1) * 1_000_000L;
                threads[p] = new Thread(() ->
                {
                    final RandomCommands commands = new RandomCommands(base);
                    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
                    for (int n = 0; n < perProducer; n++)
                    {
                        final int length = commands.encode(n, buffer, 0);
                        while (!sequencer.publisher().tryPublish(base + n, buffer, 0, length))
                        {
                            Thread.yield();
                        }
                    }
                });
                threads[p].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
        final long[] next = new long[producers];
        int count = 0;
        for (final Released.Command command : released.snapshot())
        {
            if (command.source() == 0)
            {
                continue;
            }
            final int producer = (int)(command.source() / 1_000_000L) - 1;
            assertEquals(next[producer], command.source() % 1_000_000L, "producer " + producer + " order");
            next[producer]++;
            count++;
        }
        assertEquals(producers * perProducer, count);
    }

    @Test
    void runsFromManyProducersAreSequencedWholeAndInTheirOrder() throws InterruptedException
    {
        final Released released = new Released();
        final int producers = 3;
        final int perProducer = 3_000;
        final int runLength = 20;
        try (Sequencer sequencer = Sequencer.launch(context(released).ringSize(128)))
        {
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final RandomCommands commands = new RandomCommands(p + 11);
                final EncodedRun run = new EncodedRun(perProducer, (p + 1) * 1_000_000L, commands::encode);
                threads[p] = new Thread(() ->
                {
                    for (int n = 0; n < perProducer; n += runLength)
                    {
                        while (sequencer.publisher().tryPublishRun(run, n, runLength) == 0)
                        {
                            Thread.yield();
                        }
                    }
                });
                threads[p].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }

        final long[] next = new long[producers];
        long previousSource = 0;
        int count = 0;
        for (final Released.Command command : released.snapshot())
        {
            if (command.source() == 0)
            {
                continue;
            }
            final int producer = (int)(command.source() / 1_000_000L) - 1;
            final long n = command.source() % 1_000_000L;
            assertEquals(next[producer], n, "producer " + producer + " order");
            if (n % runLength != 0)
            {
                assertEquals(command.source() - 1, previousSource, "nothing sequenced inside a run");
            }
            next[producer]++;
            previousSource = command.source();
            count++;
        }
        assertEquals(producers * perProducer, count);
    }

    /**
     * One command at a time, each published once the batch before it is released: the journal is idle whenever the
     * matcher thread takes a command, so each batch closes at once and the matcher thread never waits for the
     * journal. Only the publishes wake it then; a wake from the journal after every batch would be a context
     * switch for nothing.
     */
    @Test
    void theJournalWakesTheMatcherThreadOnlyWhenItWaitsForTheJournal()
    {
        final int count = 200;
        try (Sequencer sequencer = Sequencer.launch(context(new Released())))
        {
            awaitReleasedBatches(sequencer, 1);
            final long wakesBefore = sequencer.matcherWakeCount();
            final RandomCommands commands = new RandomCommands(11);
            for (int n = 0; n < count; n++)
            {
                publish(sequencer.publisher(), commands, n, n + 1);
                awaitReleasedBatches(sequencer, n + 2);
            }
            assertEquals(count, sequencer.matcherWakeCount() - wakesBefore, "one wake per publish, none from the journal");
        }
    }

    private static void awaitReleasedBatches(final Sequencer sequencer, final long batches)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sequencer.releasedBatchCount() < batches)
        {
            assertTrue(System.nanoTime() < deadlineNs, "batch " + batches + " not released within 10 s");
            Thread.onSpinWait();
        }
        assertEquals(batches, sequencer.releasedBatchCount(), "one batch per command");
    }

    @Test
    void aCommandLongerThanTheSlotIsRefusedWithAClearError()
    {
        try (Sequencer sequencer = Sequencer.launch(context(new Released()).maxCommandLength(64)))
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> sequencer.publisher().tryPublish(1, buffer, 0, 65));
            assertTrue(ex.getMessage().contains("65"), ex.getMessage());
            assertEquals(64, sequencer.publisher().maxCommandLength());
        }
    }

    @Test
    void syncBatchJournalsAndRecoversTheSame()
    {
        final Released released = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(released).syncPolicy(SyncPolicy.BATCH)))
        {
            publish(sequencer.publisher(), new RandomCommands(17), 0, 3_000);
        }
        final long lastSequence = released.snapshot().get(released.count() - 1).sequence();
        try (Sequencer sequencer = Sequencer.launch(context(new Released()).syncPolicy(SyncPolicy.BATCH)))
        {
            assertEquals(lastSequence, sequencer.recovery().lastSequence());
        }
    }

    /**
     * Under sync policy none the journal thread writes zeros ahead of the journal's end once it has released what it
     * appended (so that its stores through the memory map never meet a hole of the file); under batch it does not.
     */
    @Test
    void theJournalThreadWritesZerosAheadOfTheJournalUnderSyncNoneOnly()
    {
        final long[] zeroed = new long[2];
        for (final SyncPolicy policy : List.of(SyncPolicy.NONE, SyncPolicy.BATCH))
        {
            final Sequencer sequencer = Sequencer.launch(context(new Released()).syncPolicy(policy)
                .dataDirectory(dataDirectory.resolve(policy.name())));
            publish(sequencer.publisher(), new RandomCommands(19), 0, 3_000);
            sequencer.close();
            zeroed[policy.ordinal()] = sequencer.journalBytesZeroedAhead();
        }
        assertTrue(zeroed[SyncPolicy.NONE.ordinal()] >= 64 * 1024, "zeros ahead under none: " + zeroed[0]);
        assertEquals(0, zeroed[SyncPolicy.BATCH.ordinal()], "zeros ahead under batch");
    }

    @Test
    void withoutSnapshotsRestartReplaysEverythingFromGenesis()
    {
        try (Sequencer sequencer = Sequencer.launch(context(new Released()).snapshotCodec(null)))
        {
            publish(sequencer.publisher(), new RandomCommands(13), 0, 3_000);
        }
        try (Sequencer sequencer = Sequencer.launch(context(new Released()).snapshotCodec(null)))
        {
            assertEquals(3_000 + RandomCommands.MARKETS.size(), sequencer.recovery().replayedCommands());
            assertEquals(0, sequencer.recovery().snapshotSequence());
        }
    }

    @Test
    void restartReplaysTheJournalAndContinuesTheNumbering()
    {
        final Released first = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(first)))
        {
            publish(sequencer.publisher(), new RandomCommands(11), 0, 5_000);
        }
        final long lastSequence = first.snapshot().get(first.count() - 1).sequence();

        final Released second = new Released();
        try (Sequencer sequencer = Sequencer.launch(context(second)))
        {
            assertEquals(lastSequence, sequencer.recovery().lastSequence());
            assertEquals(lastSequence, sequencer.recovery().snapshotSequence(), "shutdown wrote a snapshot");
            assertEquals(0, sequencer.recovery().replayedCommands(), "a clean restart replays nothing");
            publish(sequencer.publisher(), new RandomCommands(11), 5_000, 6_000);
        }
        final List<Released.Command> after = second.snapshot();
        assertEquals(1_000, after.size(), "no market is defined twice, no replayed command is released again");
        assertEquals(lastSequence + 1, after.get(0).sequence());
        assertEquals(5_000, after.get(0).source());
    }
}
