package io.rollbook.app.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

import io.rollbook.bench.pages.PageCostMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench pages}: what a new page of the journal costs this host.
 */
@Command(
    name = "pages",
    mixinStandardHelpOptions = true,
    description = {
        "What one new 4 KiB page of a file costs this host, nothing of Rollbook in it: writes fresh pages through " +
            "a memory map, as Chronicle Queue writes the journal, and through write() calls, and prints the CPU " +
            "a page of each.",
        "With the journal's bytes per command (./rollbook bench pipeline prints them) it says how much of a core " +
            "the journal thread spends on new pages at a given rate. The last line is RESULT pages (ops_per_s: " +
            "pages a second one core writes through a memory map; the percentiles: wall time a page)."})
public final class PagesBenchCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR",
        description = "Where to write, on the journal's file system (default: the system's temporary directory)")
    private Path directory = Paths.get(System.getProperty("java.io.tmpdir"));

    @Option(names = "--size-mb", defaultValue = "256", description = "MiB written a round, each way (default ${DEFAULT-VALUE})")
    private int sizeMb;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--bytes-per-command", defaultValue = "195",
        description = "Journal bytes a command, to turn the page cost into a cost a command (default " +
            "${DEFAULT-VALUE}, the pipeline benchmark's mix)")
    private int bytesPerCommand;

    @Override
    public Integer call() throws Exception
    {
        final PageCostMeter.Options options = new PageCostMeter.Options();
        options.directory = directory;
        options.sizeMb = sizeMb;
        options.rounds = rounds;
        options.bytesPerCommand = bytesPerCommand;
        System.out.println(new PageCostMeter(options, System.err).run());
        return 0;
    }
}
