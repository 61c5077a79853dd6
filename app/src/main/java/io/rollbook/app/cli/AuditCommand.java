package io.rollbook.app.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.app.FileErrors;
import io.rollbook.app.journal.AuditPrinter;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.journal.audit.PublishedRoots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook audit}: re-executes a journal from genesis and checks every event, every root and conservation.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Replays every batch of the journal from genesis through a fresh matcher and checks the events byte for " +
            "byte against the journaled ones, the leaves from the events against the matcher's state, " +
            "conservation and zero-sum positions after every batch, and every state root against the recorded " +
            "one (docs/COMMITMENTS.md). Prints a summary; on the first difference, the batch, the sequence and " +
            "what differs; otherwise what it checked: batch and sequence range, the first and last root, the state " +
            "hash.",
        "Exits 0 only if everything matches, 1 otherwise, 2 for a bad option or an unreadable --published file. " +
            "Reads the data directory only; the service may be running."})
public final class AuditCommand implements Callable<Integer>
{
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory")
    private Path data;

    @Option(names = "--full-check-every", defaultValue = "100000", paramLabel = "N",
        description = "Compare every account's leaf with the matcher's state, and conservation from the state " +
            "alone, every N commands and at the end; 0 for after every batch (default ${DEFAULT-VALUE}). The " +
            "accounts a batch changed are compared after every batch regardless.")
    private long fullCheckEvery;

    @Option(names = "--published", paramLabel = "FILE",
        description = "Roots someone published, one a line: BATCH ROOT or BATCH LAST_SEQUENCE ROOT (what " +
            "'rollbook journal roots' prints; # starts a comment). Each must equal the root computed for its batch, " +
            "and the journal must hold every batch named.")
    private Path published;

    @Option(names = "--quiet", description = "No progress lines on stderr")
    private boolean quiet;

    /**
     * The file named with why it cannot be read: the JDK's message for a directory ("Is a directory") names neither.
     */
    private PublishedRoots readPublished()
    {
        if (Files.isDirectory(published))
        {
            throw new IllegalArgumentException("cannot read --published " + published + ": a directory, not a file " +
                "of roots");
        }
        try
        {
            return PublishedRoots.read(published);
        }
        catch (final UncheckedIOException ex)
        {
            throw new IllegalArgumentException("cannot read --published " + published + ": " +
                FileErrors.reason(ex.getCause()), ex);
        }
    }

    @Override
    public Integer call()
    {
        if (fullCheckEvery < 0)
        {
            throw new IllegalArgumentException("--full-check-every must not be negative");
        }
        final JournalAudit audit = new JournalAudit(data).fullCheckEveryCommands(fullCheckEvery);
        if (published != null)
        {
            audit.publishedRoots(readPublished());
        }
        if (!quiet)
        {
            audit.progress(line -> System.err.println("rollbook audit: " + line));
        }
        final AuditReport report = audit.run();
        for (final String line : AuditPrinter.lines(report))
        {
            System.out.println(line);
        }
        System.out.flush();
        return report.passed() ? 0 : 1;
    }
}
