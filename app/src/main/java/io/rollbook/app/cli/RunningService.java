package io.rollbook.app.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HexFormat;

import io.rollbook.app.demo.DemoMarket;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.sequencer.Sequencer;

/**
 * What {@code rollbook run} stops, in order, exactly once: the demo (its sessions end, the gateway cancels the bots'
 * quotes), then the service (the gateways stop accepting and end their sessions, publishing cancels-on-disconnect;
 * the sequencer drains the ring, journals and releases everything, writes a snapshot, and closes the journal).
 * Then it prints the {@code stopped:} line with the last sequence and the state hash, which a restart prints again
 * on its {@code recovery:} line, having replayed nothing.
 *
 * <p>Thread-safe: the shutdown hook (SIGTERM, SIGINT) and the main thread (sequencing failed) may both stop it; the
 * second caller gets the first one's exit code.
 */
final class RunningService
{
    /** Exit code after a clean shutdown. */
    static final int EXIT_STOPPED = 0;
    /** Exit code after sequencing stopped on an error (the journal holds every complete batch). */
    static final int EXIT_FAILED = 1;

    private final AutoCloseable service;
    private final Sequencer sequencer;
    private final PrintStream out;
    private DemoMarket demo;
    private Integer exitCode;

    RunningService(final AutoCloseable service, final Sequencer sequencer, final PrintStream out)
    {
        this.service = service;
        this.sequencer = sequencer;
        this.out = out;
    }

    synchronized void demo(final DemoMarket demo)
    {
        this.demo = demo;
    }

    /**
     * Stops everything, unless already stopped, and prints the {@code stopped:} line.
     *
     * @param reason what asked for the stop, for the line
     * @return the process's exit code: {@link #EXIT_STOPPED} or {@link #EXIT_FAILED}
     */
    synchronized int stop(final String reason)
    {
        if (exitCode != null)
        {
            return exitCode;
        }
        String trouble = "";
        if (demo != null)
        {
            try
            {
                demo.close();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            service.close();
        }
        catch (final Exception ex)
        {
            trouble = "; closing failed: " + ex;
        }
        final Throwable failure = sequencer.failure();
        if (failure != null)
        {
            out.println("stopped: sequencing failed: " + failure + "; the journal holds every complete batch and " +
                "nothing after them was released; restart to recover" + trouble + "; exit " + EXIT_FAILED);
            exitCode = EXIT_FAILED;
        }
        else
        {
            final Matcher matcher = sequencer.matcherAfterClose();
            final long lastSequence = matcher.lastSequence();
            final boolean snapshot = Files.exists(new SnapshotStore(sequencer.dataDirectory()).directory()
                .resolve(SnapshotStore.fileName(lastSequence)));
            out.println("stopped: " + reason + "; ring drained, everything journaled and released up to sequence " +
                lastSequence + (snapshot ? ", snapshot at sequence " + lastSequence : ", no snapshot") +
                ", journal closed; state hash " + HexFormat.of().formatHex(matcher.stateHash()) + trouble + "; exit " +
                (trouble.isEmpty() ? EXIT_STOPPED : EXIT_FAILED));
            exitCode = trouble.isEmpty() ? EXIT_STOPPED : EXIT_FAILED;
        }
        out.flush();
        return exitCode;
    }
}
