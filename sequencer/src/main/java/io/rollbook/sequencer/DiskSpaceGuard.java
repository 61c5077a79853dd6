package io.rollbook.sequencer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data directory's file system from filling up under the journal. The journal grows with every command
 * and is never pruned; a journal write that fails for want of space would stop sequencing, which any client could
 * then bring about by sending commands long enough. So while the usable space is below the configured minimum the
 * {@link RingPublisher} refuses new orders and amendments (the gateways answer that the disk is low, and nothing
 * is done) and still takes cancels and the operator's commands; below a quarter of the minimum, the headroom for
 * what is already in the ring, the batches in flight and the snapshot written at shutdown, it refuses every
 * command ({@link DiskLevel}). It takes them again once space was freed.
 *
 * <p>Confined to the snapshot writer's thread, which calls {@link #check} between jobs: a read of the usable space
 * is a system call that allocates, which neither the matcher nor the journal thread may pay.
 */
final class DiskSpaceGuard
{
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);
    private static final long CHECK_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How much space is usable: a seam for tests.
     */
    @FunctionalInterface
    interface UsableSpace
    {
        long bytes() throws IOException;
    }

    private final RingPublisher publisher;
    private final long minFreeBytes;
    private final UsableSpace usable;
    private final String where;
    private long lastCheckNs;
    private boolean checked;

    DiskSpaceGuard(final RingPublisher publisher, final long minFreeBytes, final UsableSpace usable, final String where)
    {
        this.publisher = publisher;
        this.minFreeBytes = minFreeBytes;
        this.usable = usable;
        this.where = where;
    }

    /**
     * @return a guard of the file system that holds {@code directory}; it checks nothing if {@code minFreeBytes} is 0
     */
    static DiskSpaceGuard of(final RingPublisher publisher, final long minFreeBytes, final Path directory)
    {
        return new DiskSpaceGuard(publisher, minFreeBytes,
            () -> Files.getFileStore(directory).getUsableSpace(), directory.toString());
    }

    /**
     * Reads the usable space if a second passed since the last reading, and tells the publisher whether to refuse
     * commands.
     */
    void check(final long nowNs)
    {
        if (minFreeBytes == 0 || (checked && nowNs - lastCheckNs < CHECK_PERIOD_NS))
        {
            return;
        }
        checked = true;
        lastCheckNs = nowNs;
        final long bytes;
        try
        {
            bytes = usable.bytes();
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("cannot read the usable space of {}: {}", where, ex.toString());
            return;
        }
        final int level = DiskLevel.of(bytes, minFreeBytes);
        if (level != publisher.diskLevel())
        {
            if (level == DiskLevel.ENOUGH)
            {
                LOG.warn("{} has {} bytes usable again (journal.minFreeBytes {}): {}", where, bytes, minFreeBytes,
                    DiskLevel.describe(level));
            }
            else
            {
                LOG.error("{} has {} bytes usable, below journal.minFreeBytes ({}{}): {} until space is freed", where,
                    bytes, minFreeBytes, level == DiskLevel.EXHAUSTED ? ", and below a quarter of it" : "",
                    DiskLevel.describe(level));
            }
            publisher.diskLevel(level);
        }
    }
}
