package io.rollbook.bench.pages;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.rollbook.bench.BenchmarkReport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.agrona.IoUtil;

/**
 * What one new page of a file costs this host to write, with nothing of Rollbook in it: the part of the journal's
 * cost that no code of ours can remove.
 *
 * <p>Chronicle Queue writes the journal through a memory map, so every 4 KiB page the journal grows by is first
 * touched by the journal thread, which takes a page fault: the kernel allocates a page-cache page and maps it into
 * the process. Each round writes {@code sizeMb} of fresh pages into a new file in {@code directory} twice: through
 * a memory map, page by page, as the journal does, and through {@code write()} calls from one reused buffer, which
 * copy into page-cache pages without mapping them. The CPU the writing thread spends per page, the mapped figure
 * against the {@code write()} one, says how much of a page's cost is the mapping. With the journal's bytes per
 * command it gives the share of one core the journal thread spends on page faults at a given rate.
 */
public final class PageCostMeter
{
    private static final int PAGE = 4096;
    private static final int CHUNK = 16 * PAGE;
    /** A page this slow to write took a fault that did more than map a page the kernel had at hand. */
    private static final long SLOW_PAGE_NS = 10_000;

    private final Options options;
    private final PrintStream log;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final byte[] page = new byte[PAGE];
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);

    /**
     * What to run. Public fields, as the command line fills them.
     */
    public static final class Options
    {
        public Path directory;
        public int sizeMb = 256;
        public int rounds = 3;
        public int bytesPerCommand = 195;
    }

    public PageCostMeter(final Options options, final PrintStream log)
    {
        if (options.directory == null || options.sizeMb < 1 || options.sizeMb > 1024 || options.rounds < 1 ||
            options.bytesPerCommand < 1)
        {
            throw new IllegalArgumentException("a directory is needed; size must be 1 to 1024 MiB, rounds and bytes " +
                "per command positive");
        }
        this.options = options;
        this.log = log;
        for (int i = 0; i < PAGE; i++)
        {
            page[i] = (byte)i;
            chunk.put(i, (byte)i);
        }
        for (int i = PAGE; i < CHUNK; i++)
        {
            chunk.put(i, (byte)i);
        }
    }

    /**
     * @return the RESULT line: pages a second one core writes through a memory map, and the wall time of each
     *     page written through it (two {@code System.nanoTime()} calls, a few tens of nanoseconds, included)
     */
    public String run() throws IOException
    {
        final int pages = options.sizeMb * (1024 * 1024 / PAGE);
        final Histogram mappedNsPerPage = BenchmarkReport.newLatencyHistogram();
        long mappedCpuNs = 0;
        long writtenCpuNs = 0;
        for (int round = 1; round <= options.rounds; round++)
        {
            final long mapped = writeMapped(pages, mappedNsPerPage);
            final long written = writeCalls(pages);
            log.printf("pages: round %d: %.2f us CPU a page through a memory map, %.2f us through write()%n", round,
                mapped / 1e3 / pages, written / 1e3 / pages);
            mappedCpuNs += mapped;
            writtenCpuNs += written;
        }
        final double mappedNsPage = (double)mappedCpuNs / options.rounds / pages;
        final double writtenNsPage = (double)writtenCpuNs / options.rounds / pages;
        final double faultNsPerCommand = mappedNsPage * options.bytesPerCommand / PAGE;
        log.printf("pages: %,d pages a round in %s; CPU a page: %.2f us through a memory map (as the journal " +
            "writes), %.2f us through write()%n", pages, options.directory, mappedNsPage / 1e3, writtenNsPage / 1e3);
        log.printf("pages: at %d journal bytes a command, new pages cost the journal thread %.0f ns a command: " +
            "%.0f%% of one core at 2,000,000 commands/s, all of it at %,.0f commands/s%n", options.bytesPerCommand,
            faultNsPerCommand, faultNsPerCommand * 2_000_000 / 1e7, 1e9 / faultNsPerCommand);
        final SlowPages slow = new SlowPages(mappedNsPerPage);
        log.printf("pages: wall time a mapped page (us): p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.1f, max %.0f; the %.1f%% " +
            "of pages over %d us take %.0f%% of it%n", mappedNsPerPage.getValueAtPercentile(50) / 1e3,
            mappedNsPerPage.getValueAtPercentile(90) / 1e3, mappedNsPerPage.getValueAtPercentile(99) / 1e3,
            mappedNsPerPage.getValueAtPercentile(99.9) / 1e3, mappedNsPerPage.getMaxValue() / 1e3,
            slow.pageShare * 100, SLOW_PAGE_NS / 1_000, slow.timeShare * 100);
        return BenchmarkReport.resultLine("pages", 1e9 / mappedNsPage, mappedNsPerPage);
    }

    private long writeMapped(final int pages, final Histogram nsPerPage) throws IOException
    {
        final Path file = Files.createTempFile(options.directory, "rollbook-pages-", ".map");
        MappedByteBuffer map = null;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, (long)pages * PAGE);
            final long cpuStartNs = threads.getCurrentThreadCpuTime();
            for (int p = 0; p < pages; p++)
            {
                final long startNs = System.nanoTime();
                map.put(p * PAGE, page, 0, PAGE);
                nsPerPage.recordValue(System.nanoTime() - startNs);
            }
            return threads.getCurrentThreadCpuTime() - cpuStartNs;
        }
        finally
        {
            if (map != null)
            {
                IoUtil.unmap(map);
            }
            Files.delete(file);
        }
    }

    /**
     * The pages slower than {@link #SLOW_PAGE_NS}: their share of the pages and of the time.
     */
    private static final class SlowPages
    {
        final double pageShare;
        final double timeShare;

        SlowPages(final Histogram nsPerPage)
        {
            long slowPages = 0;
            double slowNs = 0;
            double allNs = 0;
            for (final HistogramIterationValue value : nsPerPage.recordedValues())
            {
                final double ns = (double)value.getValueIteratedTo() * value.getCountAtValueIteratedTo();
                allNs += ns;
                if (value.getValueIteratedTo() > SLOW_PAGE_NS)
                {
                    slowPages += value.getCountAtValueIteratedTo();
                    slowNs += ns;
                }
            }
            pageShare = (double)slowPages / nsPerPage.getTotalCount();
            timeShare = slowNs / allNs;
        }
    }

    private long writeCalls(final int pages) throws IOException
    {
        final Path file = Files.createTempFile(options.directory, "rollbook-pages-", ".write");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final long cpuStartNs = threads.getCurrentThreadCpuTime();
            for (long position = 0, end = (long)pages * PAGE; position < end; )
            {
                chunk.clear().limit((int)Math.min(CHUNK, end - position));
                while (chunk.hasRemaining())
                {
                    position += channel.write(chunk, position);
                }
            }
            return threads.getCurrentThreadCpuTime() - cpuStartNs;
        }
        finally
        {
            Files.delete(file);
        }
    }
}
