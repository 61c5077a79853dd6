package io.rollbook.sequencer;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.RecordView;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The service the crash test kills: a real sequencer and journal on a data directory, driven by a seeded command
 * stream. It prints {@code R <sequence> <source> <crc32c of the events>} for every released command, flushed at
 * each batch end, so whatever the parent has read was released. On start it finds in the journal where the stream
 * stopped and goes on from there.
 */
public final class CrashTestService
{
    private CrashTestService()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dataDirectory = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final long total = Long.parseLong(args[2]);
        final PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);

        long next = 0;
        if (JournalFiles.journalExists(dataDirectory))
        {
            try (JournalCursor cursor = JournalCursor.open(dataDirectory))
            {
                final RecordView record = new RecordView();
                while (cursor.next() != JournalCursor.END)
                {
                    if (cursor.document().isBatch() && cursor.lastBatchNumber() == cursor.document().batchNumber())
                    {
                        cursor.document().records(record);
                        while (record.next())
                        {
                            if (record.source() > 0)
                            {
                                next = record.source();
                            }
                        }
                    }
                }
            }
        }

        final CRC32C crc = new CRC32C();
        final ReleaseListener printer = new ReleaseListener()
        {
            private final byte[] events = new byte[1 << 16];

            @Override
            public void onReleased(
                final long sequence,
                final long timestampNs,
                final long source,
                final DirectBuffer buffer,
                final int commandOffset,
                final int commandLength,
                final int eventsOffset,
                final int eventsLength)
            {
                out.println("R " + sequence + " " + source + " " + digest(crc, events, buffer, eventsOffset, eventsLength));
            }

            @Override
            public void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
            {
                out.flush();
            }
        };

        final Sequencer.Context context = new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .ringSize(4096)
            .batchMaxCommands(128)
            .commitments(true)
            .releaseListener(printer);
        try (Sequencer sequencer = Sequencer.launch(context))
        {
            final RandomCommands commands = new RandomCommands(seed);
            final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
            for (long n = next; n < total; n++)
            {
                final int length = commands.encode(n, command, 0);
                while (!sequencer.publisher().tryPublish(n + 1, command, 0, length))
                {
                    Thread.yield();
                }
            }
        }
        out.println("DONE");
        out.flush();
    }

    static String digest(final CRC32C crc, final byte[] scratch, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = length <= scratch.length ? scratch : new byte[length];
        buffer.getBytes(offset, bytes, 0, length);
        crc.reset();
        crc.update(bytes, 0, length);
        return Long.toHexString(crc.getValue());
    }
}
