package io.rollbook.journal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.rollbook.journal.CheckedReplay;
import io.rollbook.journal.GenesisDocument;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.commitment.AccountLeaf;
import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.journal.commitment.RootRecord;
import io.rollbook.journal.commitment.StateCommitment;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Audits a data directory from its journal alone: replays every batch from genesis through a fresh matcher built
 * from the journal's genesis document and checks, in this order,
 * <ol>
 * <li>the journal's shape: batches numbered from 1 with no gap, sequence numbers consecutive, timestamps never
 * going backwards, every document intact (a void range counts only when a recovery document closes it, as
 * recovery wrote it: nothing in it was released);</li>
 * <li>every command's events, byte for byte, against the ones the fresh matcher produces;</li>
 * <li>after every batch: that the leaves built from the events equal the leaves in the matcher's state for every
 * account the batch changed (and, every {@link #fullCheckEveryCommands} commands and at the end, for every
 * account: the events describe the whole state); conservation and zero-sum positions on the re-executed matcher;
 * the state root, against the one recorded in the data directory;</li>
 * <li>at the end: that the data directory records no root for a batch the journal does not hold (batches cut
 * from the end).</li>
 * </ol>
 * It stops at the first difference, which the report names: batch, sequence, what differs, expected against
 * journaled.
 *
 * <p>Single-threaded and single-use: one {@link #run()} per instance. Reads the data directory only, so it may run
 * beside the service.
 */
public final class JournalAudit
{
    private static final long PROGRESS_EVERY_NS = 5_000_000_000L;

    private final Path dataDirectory;
    private long fullCheckEveryCommands = 100_000;
    private Consumer<String> progress;
    private BatchObserver batchObserver;
    private PublishedRoots published;

    private final RecordView record = new RecordView();
    private final EventWriter events = new EventWriter();
    private final ExpandableArrayBuffer replayed = new ExpandableArrayBuffer(64 * 1024);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MarketDirectory markets = new MarketDirectory();
    private final JsonEvents json = new JsonEvents(markets);
    private final StringBuilder scratch = new StringBuilder(256);
    private final RootRecord recorded = new RootRecord();
    private final byte[] root = new byte[CommitmentHash.LENGTH];
    private final AccountLeaf stateLeaf = new AccountLeaf(0);
    private final ConservationLedger ledger = new ConservationLedger();

    private AuditReport report;
    private Matcher matcher;
    private StateCommitment commitment;
    private RootLog roots;
    private long lastTimestampNs = Long.MIN_VALUE;
    private long commandsSinceFullCheck;
    private String voidRange;
    private long voidCount;

    /**
     * @param dataDirectory the directory the service ran in: {@code journal/} and, if it recorded roots,
     *                      {@code commitments/roots}
     */
    public JournalAudit(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
    }

    /**
     * @param commands how often, in commands, to compare the leaves of all accounts with the matcher's state and
     *                 check conservation from the state alone; 0 after every batch. The accounts a batch changed
     *                 are compared after every batch regardless.
     */
    public JournalAudit fullCheckEveryCommands(final long commands)
    {
        if (commands < 0)
        {
            throw new IllegalArgumentException("full check interval must not be negative, got " + commands);
        }
        this.fullCheckEveryCommands = commands;
        return this;
    }

    /**
     * @param progress receives a line every few seconds while the audit runs
     */
    public JournalAudit progress(final Consumer<String> progress)
    {
        this.progress = progress;
        return this;
    }

    /**
     * @param published roots someone published, each to be equal to the root the audit computes for its batch;
     *                  a published root of a batch the journal does not hold fails the audit
     */
    public JournalAudit publishedRoots(final PublishedRoots published)
    {
        this.published = published;
        return this;
    }

    /**
     * Told about every batch once it is audited (benchmarks time batches with it).
     */
    @FunctionalInterface
    public interface BatchObserver
    {
        void onBatchAudited(long batchNumber, long lastSequence);
    }

    /**
     * @param observer called on the audit's thread after every batch that checked out
     */
    public JournalAudit batchObserver(final BatchObserver observer)
    {
        this.batchObserver = observer;
        return this;
    }

    /**
     * Runs the audit. Never throws for what it finds in the data directory: a journal that cannot be read is a
     * failure in the report, like any other difference.
     */
    public AuditReport run()
    {
        if (report != null)
        {
            throw new IllegalStateException("an audit runs once; make another for another run");
        }
        report = new AuditReport(dataDirectory.toAbsolutePath().normalize());
        report.fullCheckEveryCommands = fullCheckEveryCommands;
        report.markets = markets;
        report.published = published;
        final long startNs = System.nanoTime();
        final List<JournalIntegrity.Problem> damage = JournalIntegrity.inspect(dataDirectory);
        if (!damage.isEmpty())
        {
            report.failure = new AuditReport.Failure(0, 0, "the journal's files were damaged from outside the " +
                "service: " + String.join("; ", damage.stream().map(JournalIntegrity.Problem::what).toList()),
                List.of(JournalIntegrity.readableExtent(dataDirectory) + " The service refuses to start on it " +
                    "(docs/JOURNAL.md, \"Damage from outside\")."), null);
            report.elapsedNs = System.nanoTime() - startNs;
            return report;
        }
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            audit(cursor, startNs);
        }
        catch (final AuditFailed ex)
        {
            report.failure = ex.failure;
        }
        catch (final JournalException ex)
        {
            report.failure = new AuditReport.Failure(matcher == null ? 0 : report.lastBatch + 1, 0, ex.getMessage(),
                List.of(), null);
        }
        catch (final RuntimeException ex)
        {
            report.failure = new AuditReport.Failure(matcher == null ? 0 : report.lastBatch + 1, 0,
                "the audit could not go on: " + ex, List.of(), null);
        }
        finally
        {
            if (roots != null)
            {
                roots.close();
            }
        }
        report.elapsedNs = System.nanoTime() - startNs;
        return report;
    }

    private void audit(final JournalCursor cursor, final long startNs)
    {
        final GenesisDocument genesis = cursor.genesis();
        final String incompatible = genesis.schemaIncompatibility();
        if (incompatible != null)
        {
            throw failed(0, 0, incompatible, List.of());
        }
        try
        {
            matcher = new Matcher(genesis.matcherContext());
        }
        catch (final IllegalArgumentException ex)
        {
            throw failed(0, 0, "the genesis document describes no valid matcher: " + ex.getMessage(), List.of());
        }
        final int capacity = genesis.matcherContext().accountCapacity();
        commitment = new StateCommitment(capacity);
        commitment.changeListener(ledger);
        roots = RootLog.openForReading(dataDirectory, commitment.height(), capacity);
        report.rootsRecorded = roots == null ? 0 : roots.lastBatchNumber();

        long nextProgressNs = startNs + PROGRESS_EVERY_NS;
        int kind;
        while ((kind = cursor.next()) != JournalCursor.END)
        {
            switch (kind)
            {
                case JournalCursor.BATCH:
                    batch(cursor.document());
                    break;
                case JournalCursor.VOID:
                    voided(cursor);
                    break;
                default:
                    marker(cursor);
            }
            if (progress != null && System.nanoTime() > nextProgressNs)
            {
                nextProgressNs = System.nanoTime() + PROGRESS_EVERY_NS;
                progress.accept(String.format(Locale.ROOT, "audited %,d batches, %,d commands, %,.0f commands/s",
                    report.batches, report.commands, report.commands * 1e9 / (System.nanoTime() - startNs)));
            }
        }
        if (cursor.tornTail())
        {
            throw failed(report.lastBatch + 1, 0, voidRange, List.of(voidCount + " document(s) from there to the " +
                "end of the journal do not count, and no recovery document closes them. " +
                (cursor.intactBatchesInVoidRange() > 0 ? cursor.intactBatchesInVoidRange() + " of them are intact " +
                    "batches, up to sequence " + cursor.voidRangeLastSequence() + ": the journal is damaged, not " +
                    "torn, and the service refuses to start on it." :
                    "The service voids a torn tail at its next start; until then, or if these documents were " +
                    "released, the journal is damaged.")));
        }
        fullCheck(report.lastBatch);
        if (published != null && published.lastBatch() > report.lastBatch)
        {
            final PublishedRoots.Root beyond = published.of(published.lastBatch());
            throw failed(report.lastBatch + 1, 0, "the journal ends at batch " + report.lastBatch + " (sequence " +
                report.lastSequence + "), but " + published.source() + " line " + beyond.line() + " publishes a " +
                "root of batch " + beyond.batch(), List.of());
        }
        if (report.rootsRecorded > report.lastBatch)
        {
            throw failed(report.lastBatch + 1, 0, "the journal ends at batch " + report.lastBatch + " (sequence " +
                report.lastSequence + "), but roots are recorded up to batch " + report.rootsRecorded +
                ": batches were removed from the end of the journal, or the journal lost them", List.of(
                "(a copy of a running service's directory taken journal first can show this too: copy " +
                "commitments/ before journal/, as the roots never run ahead of the journal)"));
        }
        if (roots == null)
        {
            report.notes.add("the data directory records no roots (the service ran without commitments): roots " +
                "computed, none compared");
        }
        else if (report.rootsRecorded < report.lastBatch)
        {
            report.notes.add("batches " + (report.rootsRecorded + 1) + ".." + report.lastBatch + " have no recorded " +
                "root yet (the commitment builder had not reached them): their roots were computed, not compared");
        }
        report.stateHash = matcher.stateHash();
    }

    private void batch(final JournalDocument batch)
    {
        final long number = batch.batchNumber();
        batch.records(record);
        while (record.next())
        {
            command(number);
        }
        endOfBatch(batch);
        if (report.batches == 0)
        {
            report.firstBatch = number;
            report.firstSequence = batch.firstSequence();
            report.firstRoot = root.clone();
            report.lastRoot = new byte[root.length];
        }
        report.batches++;
        report.lastBatch = number;
        report.lastSequence = batch.lastSequence();
        System.arraycopy(root, 0, report.lastRoot, 0, root.length);
        if (batchObserver != null)
        {
            batchObserver.onBatchAudited(number, report.lastSequence);
        }
    }

    private void command(final long batch)
    {
        final long sequence = record.sequence();
        final DirectBuffer buffer = record.buffer();
        if (record.timestampNs() < lastTimestampNs)
        {
            throw failed(batch, sequence, "its timestamp " + record.timestampNs() + " ns is before the previous " +
                "command's, " + lastTimestampNs + " ns: timestamps never go backwards", List.of());
        }
        lastTimestampNs = record.timestampNs();
        events.wrap(replayed, 0);
        try
        {
            matcher.execute(sequence, record.timestampNs(), buffer, record.commandOffset(), record.commandLength(),
                events);
        }
        catch (final RuntimeException ex)
        {
            throw failed(batch, sequence, "re-executing the command fails: " + ex, List.of());
        }
        final int length = events.position();
        if (length != record.eventsLength() || events.eventCount() != record.eventCount() ||
            !CheckedReplay.sameBytes(replayed, 0, buffer, record.eventsOffset(), length))
        {
            throw failed(batch, sequence, "its events differ from what a fresh matcher produces", eventDifference());
        }
        if (isDefineMarket(buffer, record.commandOffset(), record.commandLength()))
        {
            learnMarkets(buffer, record.eventsOffset(), record.eventsLength());
        }
        commitment.apply(buffer, record.eventsOffset(), record.eventsLength());
        report.commands++;
        report.lastCommandSequence = sequence;
        commandsSinceFullCheck++;
    }

    private void endOfBatch(final JournalDocument batch)
    {
        final long number = batch.batchNumber();
        for (int i = 0; i < commitment.changedCount(); i++)
        {
            final int account = commitment.changedAccount(i);
            final AccountLeaf fromEvents = commitment.leaf(account);
            MatcherLeaves.read(matcher, account, stateLeaf);
            if (!fromEvents.sameContents(stateLeaf))
            {
                throw failed(number, 0, "account " + account + ": the events leave its leaf other than the " +
                    "matcher's state holds it", List.of("from the events:  " + fromEvents,
                    "matcher's state:  " + stateLeaf));
            }
            ledger.add(fromEvents);
        }
        final String conservation = ledger.problem(matcher.depositedMicros(), matcher.withdrawnMicros(),
            matcher.fundingResidueNanos());
        if (conservation != null)
        {
            throw failed(number, 0, conservation, List.of());
        }
        if (commandsSinceFullCheck >= fullCheckEveryCommands)
        {
            fullCheck(number);
        }
        commitment.commit(root);
        compareRoot(batch);
        comparePublished(batch);
    }

    /**
     * Every account's leaf against the matcher's state, and conservation computed from the state alone.
     */
    private void fullCheck(final long batch)
    {
        commandsSinceFullCheck = 0;
        report.fullChecks++;
        final ConservationLedger fromState = new ConservationLedger();
        // Above both limits no event named an account and the matcher holds none: both leaves are empty there, so
        // the check ends at the accounts in use rather than at the capacity (a million ids by default).
        final int limit = Math.max(commitment.accountLimit(), matcher.accountLimit());
        for (int account = 1; account < limit; account++)
        {
            MatcherLeaves.read(matcher, account, stateLeaf);
            final AccountLeaf fromEvents = commitment.leaf(account);
            if (fromEvents == null ? !stateLeaf.isEmpty() : !fromEvents.sameContents(stateLeaf))
            {
                throw failed(batch, 0, "account " + account + ": the matcher's state differs from its leaf built " +
                    "from the events, though no event since the last full check said so", List.of(
                    "from the events:  " + (fromEvents == null ? "(never named: empty)" : fromEvents),
                    "matcher's state:  " + stateLeaf));
            }
            if (!stateLeaf.isEmpty())
            {
                fromState.add(stateLeaf);
            }
        }
        final String conservation = fromState.problem(matcher.depositedMicros(), matcher.withdrawnMicros(),
            matcher.fundingResidueNanos());
        if (conservation != null)
        {
            throw failed(batch, 0, conservation, List.of("(computed from the matcher's state)"));
        }
        if (!fromState.sameTotals(ledger))
        {
            throw failed(batch, 0, "the running conservation totals differ from the totals of the state", List.of());
        }
    }

    private void compareRoot(final JournalDocument batch)
    {
        final long number = batch.batchNumber();
        if (number > report.rootsRecorded)
        {
            return;
        }
        if (!roots.read(number, recorded))
        {
            throw failed(number, 0, "the record of its root in " + roots.path() + " is damaged", List.of());
        }
        if (recorded.lastSequence() != batch.lastSequence() || recorded.batchChecksum() != batch.storedChecksum())
        {
            final boolean sameRoot = Arrays.equals(recorded.root(), root);
            throw failed(number, 0, "its recorded root was taken after another batch document than the journal's",
                List.of(
                "recorded for: last sequence " + recorded.lastSequence() + ", batch checksum " +
                    String.format(Locale.ROOT, "%08x", recorded.batchChecksum()),
                "journal:      last sequence " + batch.lastSequence() + ", batch checksum " +
                    String.format(Locale.ROOT, "%08x", batch.storedChecksum()),
                (sameRoot ? "the roots are equal: " : "the roots differ too: computed ") + CommitmentHash.hex(root) +
                    (sameRoot ? "" : ", recorded " + recorded.rootHex())));
        }
        if (!Arrays.equals(recorded.root(), root))
        {
            throw failed(number, 0, "its recorded root differs from the root of the state after it", List.of(
                "computed: " + CommitmentHash.hex(root),
                "recorded: " + recorded.rootHex()));
        }
        report.rootsCompared++;
    }

    private void comparePublished(final JournalDocument batch)
    {
        final PublishedRoots.Root claim = published == null ? null : published.of(batch.batchNumber());
        if (claim == null)
        {
            return;
        }
        final String line = published.source() + " line " + claim.line();
        if (claim.lastSequence() >= 0 && claim.lastSequence() != batch.lastSequence())
        {
            throw failed(batch.batchNumber(), 0, "it ends at sequence " + batch.lastSequence() + ", but " + line +
                " publishes its root as that of a batch ending at sequence " + claim.lastSequence(), List.of());
        }
        if (!Arrays.equals(claim.root(), root))
        {
            throw failed(batch.batchNumber(), 0, "its root differs from the published one (" + line + ")",
                List.of("computed:  " + CommitmentHash.hex(root), "published: " + CommitmentHash.hex(claim.root())));
        }
        report.publishedCompared++;
    }

    private void voided(final JournalCursor cursor)
    {
        if (voidRange != null)
        {
            voidCount++;
            return;
        }
        voidCount = 1;
        final JournalDocument document = cursor.document();
        final int validation = cursor.lastValidation();
        final long expected = report.lastBatch + 1;
        final String at = " (journal index " + Long.toHexString(document.index()) + ", " + document.length() +
            " bytes)";
        if (validation != JournalDocument.VALID)
        {
            voidRange = "the document after batch " + report.lastBatch + at + " is damaged: " +
                JournalDocument.problem(validation) + describeClaim(document);
        }
        else if (document.isBatch() && document.batchNumber() != expected)
        {
            voidRange = "missing or out of order: after batch " + report.lastBatch +
                " (last sequence " + report.lastSequence + ") the journal holds batch " + document.batchNumber() +
                " (sequences " + document.firstSequence() + ".." + document.lastSequence() + ")" + at;
        }
        else if (document.isBatch())
        {
            voidRange = "it starts at sequence " + document.firstSequence() + ", but batch " + report.lastBatch +
                " ended at sequence " + report.lastSequence + at;
        }
        else
        {
            voidRange = "a " + JournalFormat.typeName(document.type()) + " document stands where it should" + at;
        }
    }

    private static String describeClaim(final JournalDocument document)
    {
        if (document.length() >= JournalFormat.BATCH_HEADER_LENGTH && document.isBatch())
        {
            return " (its header names batch " + document.batchNumber() + ", sequences " + document.firstSequence() +
                ".." + document.lastSequence() + ")";
        }
        return "";
    }

    private void marker(final JournalCursor cursor)
    {
        if (voidRange != null && cursor.closedIntactBatches() > 0)
        {
            report.notes.add(voidCount + " document(s) after batch " + report.lastBatch + " were voided by an " +
                "operator (journal void-damaged), " + cursor.closedIntactBatches() + " of them intact batches: " +
                "commands of sequences " + (report.lastSequence + 1) + ".." + cursor.closedRangeLastSequence() +
                " may have been released before they were voided; the first: " + voidRange);
        }
        else if (voidRange != null)
        {
            report.notes.add(voidCount + " document(s) after batch " + report.lastBatch + " were voided by a " +
                "recovery document (never released); the first: " + voidRange);
        }
        voidRange = null;
        voidCount = 0;
    }

    private boolean isDefineMarket(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        header.wrap(buffer, offset);
        return header.templateId() == DefineMarketDecoder.TEMPLATE_ID &&
            header.schemaId() == DefineMarketDecoder.SCHEMA_ID;
    }

    /**
     * Renders a market definition's events, so that the market's symbol and units are known to later messages.
     */
    private void learnMarkets(final DirectBuffer buffer, final int offset, final int length)
    {
        int at = offset;
        while (at < offset + length)
        {
            scratch.setLength(0);
            at += json.append(scratch, 0, buffer, at);
        }
    }

    /**
     * @return the first event where the journal and the re-execution part ways, as JSON lines
     */
    private List<String> eventDifference()
    {
        final List<String> expected = renderEvents(replayed, 0, events.position());
        final List<String> journaled = renderEvents(record.buffer(), record.eventsOffset(), record.eventsLength());
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), journaled.size()); i++)
        {
            final String want = i < expected.size() ? expected.get(i) : null;
            final String have = i < journaled.size() ? journaled.get(i) : null;
            if (want == null || !want.equals(have))
            {
                out.add("event " + (i + 1) + " of " + expected.size() + " re-executed, " + journaled.size() +
                    " journaled" + (record.eventCount() != journaled.size() ? " (the record says " +
                    record.eventCount() + ")" : "") + ":");
                out.add("expected:  " + (want == null ? "(none)" : want));
                out.add("journaled: " + (have == null ? "(none)" : have));
                return out;
            }
        }
        out.add("the events render alike but their bytes differ (" + events.position() + " bytes re-executed, " +
            record.eventsLength() + " journaled; " + events.eventCount() + " events, the record says " +
            record.eventCount() + ")");
        final int common = Math.min(events.position(), record.eventsLength());
        for (int i = 0; i < common; i++)
        {
            final byte want = replayed.getByte(i);
            final byte have = record.buffer().getByte(record.eventsOffset() + i);
            if (want != have)
            {
                out.add(String.format(Locale.ROOT, "first differing byte: %d of the events, re-executed %02x, " +
                    "journaled %02x", i, want & 0xFF, have & 0xFF));
                break;
            }
        }
        return out;
    }

    private List<String> renderEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        final List<String> out = new ArrayList<>();
        final long sequence = record.sequence();
        int at = offset;
        final int end = offset + length;
        while (at < end)
        {
            final int remaining = end - at;
            String line = null;
            int eventLength = -1;
            if (remaining >= MessageHeaderDecoder.ENCODED_LENGTH)
            {
                header.wrap(buffer, at);
                eventLength = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
                if (eventLength <= remaining)
                {
                    try
                    {
                        final StringBuilder text = new StringBuilder(256);
                        json.append(text, sequence, buffer, at);
                        line = text.toString();
                    }
                    catch (final RuntimeException ex)
                    {
                        line = null;
                    }
                }
            }
            if (line == null || eventLength <= 0 || eventLength > remaining)
            {
                out.add("(undecodable bytes) " + hex(buffer, at, remaining));
                break;
            }
            out.add(line);
            at += eventLength;
        }
        return out;
    }

    private static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[Math.min(length, 256)];
        buffer.getBytes(offset, bytes);
        return CommitmentHash.hex(bytes) + (length > bytes.length ? "..." : "");
    }

    private AuditFailed failed(final long batch, final long sequence, final String what, final List<String> details)
    {
        byte[] command = null;
        if (sequence > 0)
        {
            command = new byte[record.commandLength()];
            record.buffer().getBytes(record.commandOffset(), command);
        }
        return new AuditFailed(new AuditReport.Failure(batch, sequence, what, List.copyOf(details), command));
    }

    /**
     * Unwinds the audit at the first difference.
     */
    private static final class AuditFailed extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private final transient AuditReport.Failure failure;

        AuditFailed(final AuditReport.Failure failure)
        {
            super(failure.headline(), null, false, false);
            this.failure = failure;
        }
    }
}
