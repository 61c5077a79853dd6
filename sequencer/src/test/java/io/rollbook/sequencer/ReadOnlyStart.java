package io.rollbook.sequencer;

import java.nio.file.Path;

import io.rollbook.journal.audit.JournalAudit;

/**
 * A child JVM for {@link ReadOnlyDataDirectorySystemTest}: starts the sequencer on a data directory it may only
 * read, then audits it, and prints one line for each ("REFUSED message" or "STARTED", "AUDIT PASSED" or "AUDIT
 * FAILED headline").
 */
final class ReadOnlyStart
{
    private ReadOnlyStart()
    {
    }

    public static void main(final String[] args)
    {
        final Path dataDirectory = Path.of(args[0]);
        try (Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)))
        {
            System.out.println("STARTED at sequence " + sequencer.recovery().lastSequence());
        }
        catch (final RuntimeException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
        }
        final var report = new JournalAudit(dataDirectory).run();
        System.out.println(report.passed() ? "AUDIT PASSED" : "AUDIT FAILED " + report.failure().headline());
    }
}
