package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rollbook.journal.JournalCursor;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailFastTest
{
    @TempDir
    Path dataDirectory;

    /**
     * A clock that breaks on the matcher thread in the middle of sequencing (it is read once per poll of the ring)
     * stands for any exception there.
     */
    @Test
    void anExceptionOnTheMatcherThreadStopsSequencingAndReleasesNothingOfItsBatch() throws Exception
    {
        final long failAtCall = 50;
        final EpochNanoClock breaking = new EpochNanoClock()
        {
            private long calls;

            @Override
            public long nanoTime()
            {
                if (++calls == failAtCall)
                {
                    throw new IllegalStateException("clock broke at call " + calls);
                }
                return calls * 1_000;
            }
        };
        final Released released = new Released();
        final Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .batchMaxCommands(100)
            .clock(breaking)
            .releaseListener(released));
        final CommandPublisher publisher = sequencer.publisher();
        final RandomCommands commands = new RandomCommands(3);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        long n = 0;
        while (publisher.isAccepting() && n < 100_000)
        {
            final int length = commands.encode(n, buffer, 0);
            if (publisher.tryPublish(n + 1, buffer, 0, length))
            {
                n++;
            }
            else
            {
                Thread.yield();
            }
        }
        assertTrue(sequencer.awaitStop(30, TimeUnit.SECONDS));
        assertNotNull(sequencer.failure());
        assertFalse(publisher.isAccepting());
        assertFalse(publisher.tryPublish(1, buffer, 0, commands.encode(0, buffer, 0)), "a stopped sequencer refuses");
        sequencer.close();

        final List<Released.Command> all = released.snapshot();
        final long lastReleased = all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
        assertTrue(lastReleased < n + RandomCommands.MARKETS.size(),
            "the commands taken off the ring when the clock broke, and their batch, were not released");
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind);
            }
            assertEquals(lastReleased, cursor.lastSequence(), "the journal holds exactly the released batches");
            assertFalse(cursor.tornTail());
        }

        final Released afterRestart = new Released();
        try (Sequencer restarted = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .releaseListener(afterRestart)))
        {
            assertEquals(lastReleased, restarted.recovery().lastSequence());
        }
        assertEquals(0, afterRestart.count());
    }

    @Test
    void aFailingReleaseListenerDoesNotStopTheOthers()
    {
        final Released released = new Released();
        final ReleaseListener broken = new ReleaseListener()
        {
            @Override
            public void onReleased(
                final long sequence,
                final long timestampNs,
                final long source,
                final org.agrona.DirectBuffer buffer,
                final int commandOffset,
                final int commandLength,
                final int eventsOffset,
                final int eventsLength)
            {
                if (sequence % 100 == 0)
                {
                    throw new IllegalStateException("listener bug at " + sequence);
                }
            }
        };
        try (Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .releaseListener(broken)
            .releaseListener(released)))
        {
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(5), 0, 1_000);
        }
        assertEquals(RandomCommands.MARKETS.size() + 1_000, released.count());
    }
}
