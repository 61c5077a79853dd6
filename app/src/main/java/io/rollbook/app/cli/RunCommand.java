package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.journal.JournalFiles;
import io.rollbook.sequencer.Sequencer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook run}: the service, until SIGTERM or SIGINT.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Starts the service: recovers from the data directory (newest snapshot + the journal after it), then " +
            "sequences, matches and journals until SIGTERM or SIGINT, when it drains, journals everything, writes " +
            "a snapshot and exits 0. Exits 1 if sequencing stops on an error."})
public final class RunCommand implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: the embedded one)")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: journal.dataDir, ./data)")
    private Path data;

    @Override
    public Integer call() throws InterruptedException
    {
        final RollbookConfig configuration = RollbookConfig.load(config);
        final Path dataDirectory = (data != null ? data : configuration.dataDirectory()).toAbsolutePath().normalize();
        final Sequencer sequencer = Sequencer.launch(configuration.sequencerContext(dataDirectory));
        final Thread shutdown = new Thread(sequencer::close, "rollbook-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("rollbook running; data in " + dataDirectory + " (journal " +
            JournalFiles.journalDirectory(dataDirectory) + ", snapshots " + JournalFiles.snapshotDirectory(dataDirectory) +
            "), sync " + configuration.syncPolicy().name().toLowerCase() + "; " + sequencer.recovery().describe() +
            ". Stop with Ctrl-C or SIGTERM.");
        System.out.flush();

        while (!sequencer.awaitStop(1, TimeUnit.HOURS))
        {
            continue;
        }
        if (sequencer.failure() != null)
        {
            sequencer.close();
            System.err.println("rollbook run: sequencing stopped: " + sequencer.failure());
            return 1;
        }

        return 0;
    }
}
