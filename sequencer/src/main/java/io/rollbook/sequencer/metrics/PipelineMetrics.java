package io.rollbook.sequencer.metrics;

import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.DirectBuffer;

/**
 * What the sequencing pipeline records as it runs: commands by type and rejections by reason (counted on the
 * release thread from the released records), batches and journal bytes, and three stage latencies.
 *
 * <ul>
 * <li>{@code publish_to_match}, sampled, one command in {@value #PUBLISH_SAMPLE}: from {@code tryPublish} (a
 * {@code System.nanoTime} the publisher stamps in the ring slot of every command whose ring sequence is a multiple
 * of {@value #PUBLISH_SAMPLE}) to the matcher thread taking it off the ring (one clock read per poll at most,
 * outside the matcher, which reads no clock). A clock read costs about 27 ns on the benchmark machine
 * (kvm-clock); sampling keeps that off most publishes while the distribution stays the same.</li>
 * <li>{@code match_to_journal}, per batch: from the matching of the batch's first command, the longest any of its
 * commands waits, to the end of its append (and sync, under sync {@code batch}).</li>
 * <li>{@code journal_to_release}, per batch: from the end of the append to the end of handing the batch to the
 * release listeners (the gateways' views and fan-out).</li>
 * </ul>
 *
 * <p>Each counter and histogram has one writer: the stage's thread (matcher or journal). Any thread may read or
 * {@link #register} them. Recording allocates nothing.
 */
public final class PipelineMetrics
{
    /** One command in this many has its publish-to-match latency timed. */
    public static final int PUBLISH_SAMPLE = 8;
    /** A ring sequence {@code s} is sampled when {@code (s & PUBLISH_SAMPLE_MASK) == 0}. */
    public static final long PUBLISH_SAMPLE_MASK = PUBLISH_SAMPLE - 1;
    private static final int CODES = 256;

    private final CounterArray commandsByType = new CounterArray(CODES);
    private final CounterArray rejectsByReason = new CounterArray(CODES);
    private final Counter batches = new Counter();
    private final Counter journalBytes = new Counter();
    private final LatencyHistogram publishToMatch = new LatencyHistogram();
    private final LatencyHistogram matchToJournal = new LatencyHistogram();
    private final LatencyHistogram journalToRelease = new LatencyHistogram();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CommandRejectedDecoder rejected = new CommandRejectedDecoder();

    /**
     * Release thread: counts a released command by type and, if it was rejected, its reason. A rejected command
     * yields exactly one event, the rejection (docs/MATCHING.md), so only the first event is read.
     */
    public void countReleased(final DirectBuffer buffer, final int commandOffset, final int eventsOffset)
    {
        header.wrap(buffer, commandOffset);
        commandsByType.increment(header.templateId());
        header.wrap(buffer, eventsOffset);
        if (header.templateId() == CommandRejectedDecoder.TEMPLATE_ID)
        {
            rejected.wrap(buffer, eventsOffset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
            rejectsByReason.increment(rejected.reasonRaw());
        }
    }

    /**
     * Journal thread: a batch was appended.
     */
    public void batchJournaled(final int lengthBytes)
    {
        batches.increment();
        journalBytes.add(lengthBytes);
    }

    public LatencyHistogram publishToMatch()
    {
        return publishToMatch;
    }

    public LatencyHistogram matchToJournal()
    {
        return matchToJournal;
    }

    public LatencyHistogram journalToRelease()
    {
        return journalToRelease;
    }

    /**
     * @return released commands of an engine template id so far
     */
    public long commands(final int templateId)
    {
        return commandsByType.get(templateId);
    }

    /**
     * @return rejections with a reason so far
     */
    public long rejects(final RejectReason reason)
    {
        return rejectsByReason.get(reason.value());
    }

    public long batches()
    {
        return batches.get();
    }

    /**
     * @return bytes of batch documents appended to the journal so far
     */
    public long journalBytes()
    {
        return journalBytes.get();
    }

    /**
     * Registers the recorded families: {@code rollbook_commands_total}, {@code rollbook_rejects_total},
     * {@code rollbook_batches_total}, {@code rollbook_journal_bytes_total} and
     * {@code rollbook_stage_latency_seconds}.
     */
    public void register(final MetricsRegistry registry)
    {
        final MetricsRegistry.Family commands = registry.counter("rollbook_commands_total",
            "Commands sequenced, journaled and released since start, by engine command type.");
        for (int id = 1; id < CODES; id++)
        {
            final String name = JsonEvents.commandName(id);
            if (!"unknown".equals(name))
            {
                final int templateId = id;
                commands.sample("type", name, () -> commandsByType.get(templateId));
            }
        }
        commands.sample("type", "unknown", () -> commandsByType.get(0));

        final MetricsRegistry.Family rejects = registry.counter("rollbook_rejects_total",
            "Commands the matcher rejected since start, by reason (they changed nothing).");
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL)
            {
                rejects.sample("reason", reason.name(), () -> rejectsByReason.get(reason.value()));
            }
        }
        registry.counter("rollbook_batches_total", "Batches appended to the journal since start.")
            .sample(batches::get);
        registry.counter("rollbook_journal_bytes_total", "Bytes of batches appended to the journal since start.")
            .sample(journalBytes::get);
        registry.histogram("rollbook_stage_latency_seconds",
            "Pipeline stage latency: publish_to_match one command in " + PUBLISH_SAMPLE + " (ring wait), " +
                "match_to_journal per batch (from its " +
                "first command's matching to the end of its append and sync), journal_to_release per batch (release " +
                "listeners).")
            .histogram("stage", "publish_to_match", publishToMatch)
            .histogram("stage", "match_to_journal", matchToJournal)
            .histogram("stage", "journal_to_release", journalToRelease);
    }
}
