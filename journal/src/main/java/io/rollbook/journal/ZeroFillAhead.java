package io.rollbook.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

import org.agrona.CloseHelper;

/**
 * Writes zeros, with ordinary file writes, into the journal's cycle file ahead of where the appender writes through
 * its memory map, so that the appender's stores land on pages the file already has.
 *
 * <p>Why: on the virtual machines this runs on, the first store through a shared mapping into a hole of the file
 * stalls the writing thread for about 20 ms once every 8 MB the file grows, at any write rate (BENCHMARKS.md, "the
 * journal stalled 20 ms every 8 MB"): about once a second at 50,000 orders/s, and every order behind that stall
 * waits for it. A {@code write()} of zeros makes the same pages a few at a time,
 * for about a microsecond each. The content is what the file held anyway: Chronicle Queue reads a zero header as
 * "nothing written yet", and grows a file by extending it with zeros.
 *
 * <p>Never writes below the appender's end (rounded up to a page): called on the appender's own thread, between
 * appends, it cannot race the appender. Allocates nothing per call.
 */
final class ZeroFillAhead implements AutoCloseable
{
    static final long PAGE = 4096;
    /** How far ahead of the appender the file is kept written. */
    static final long AHEAD_BYTES = 8L << 20;
    /** The least one call writes when it writes at all: fewer, larger system calls while the appender is slow. */
    static final int MIN_STEP_BYTES = 64 << 10;
    /** The most one call writes: bounds the time an append waits for it. */
    static final int MAX_STEP_BYTES = 1 << 20;

    private final ByteBuffer zeros = ByteBuffer.allocateDirect(MAX_STEP_BYTES);
    private File file;
    private FileChannel channel;
    private long frontier;
    private long bytesWritten;

    /**
     * Between appends: writes zeros from the appender's end (or where the last call stopped) towards
     * {@link #AHEAD_BYTES} beyond it, at most twice what was appended since the last call (so that it catches up
     * with a fast appender, up to {@link #MAX_STEP_BYTES}) and at least {@link #MIN_STEP_BYTES}.
     *
     * @param current     the cycle file of the last append
     * @param endPosition the file offset just past the last appended document
     * @param appended    how many bytes were appended since the last call
     */
    void afterAppend(final File current, final long endPosition, final int appended)
    {
        if (!current.equals(file))
        {
            open(current);
        }
        final long from = Math.max(frontier, (endPosition + PAGE - 1) & -PAGE);
        final long wanted = endPosition + AHEAD_BYTES - from;
        if (wanted <= 0)
        {
            return;
        }
        final long step = Math.min(wanted, Math.min(MAX_STEP_BYTES,
            Math.max(MIN_STEP_BYTES, ((2L * appended) + PAGE - 1) & -PAGE)));
        zeros.clear().limit((int)step);
        try
        {
            long position = from;
            while (zeros.hasRemaining())
            {
                position += channel.write(zeros, position);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write ahead in the journal file " + file + ": " + ex.getMessage(), ex);
        }
        frontier = from + step;
        bytesWritten += step;
    }

    /**
     * @return how many bytes of zeros this has written
     */
    long bytesWritten()
    {
        return bytesWritten;
    }

    private void open(final File current)
    {
        CloseHelper.quietClose(channel);
        channel = null;
        try
        {
            channel = FileChannel.open(current.toPath(), StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open the journal file " + current + " to write ahead in it: " +
                ex.getMessage(), ex);
        }
        file = current;
        frontier = 0;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(channel);
        channel = null;
        file = null;
    }
}
