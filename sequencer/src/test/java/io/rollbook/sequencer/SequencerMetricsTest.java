package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.json.JsonEvents;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's metrics count exactly what was released: commands by type and rejections by reason equal a
 * decoding of every released record, every command passed through the ring is timed once, every batch once per
 * stage, and the lags (the snapshot follower's among them) are zero once the sequencer has drained.
 */
class SequencerMetricsTest
{
    private static final int COMMANDS = 30_000;

    @TempDir
    Path dataDirectory;

    @Test
    void countsWhatWasReleased()
    {
        final Released released = new Released();
        final MetricsRegistry registry = new MetricsRegistry();
        final Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .ringSize(1024)
            .batchMaxCommands(64)
            .commitments(true)
            .snapshotFollower(true)
            .releaseListener(released));
        sequencer.registerMetrics(registry);
        SequencerTest.publish(sequencer.publisher(), new RandomCommands(11), 0, COMMANDS);
        sequencer.close();

        final long[] byType = new long[256];
        final long[] byReason = new long[256];
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final CommandRejectedDecoder rejected = new CommandRejectedDecoder();
        final List<Released.Command> all = released.snapshot();
        for (final Released.Command command : all)
        {
            byType[header.wrap(new UnsafeBuffer(command.command()), 0).templateId()]++;
            final UnsafeBuffer events = new UnsafeBuffer(command.events());
            int offset = 0;
            while (offset < events.capacity())
            {
                header.wrap(events, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                if (header.templateId() == CommandRejectedDecoder.TEMPLATE_ID)
                {
                    byReason[rejected.wrap(events, body, header.blockLength(), header.version()).reasonRaw()]++;
                }
                offset = body + header.blockLength();
            }
        }

        final PipelineMetrics metrics = sequencer.metrics();
        long rejects = 0;
        for (int id = 0; id < 256; id++)
        {
            assertEquals(byType[id], metrics.commands(id), "commands of template " + id);
        }
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL)
            {
                assertEquals(byReason[reason.value()], metrics.rejects(reason), reason.name());
                rejects += metrics.rejects(reason);
            }
        }
        assertTrue(byType[PlaceOrderDecoder.TEMPLATE_ID] > COMMANDS / 3, "the stream is mostly orders");
        assertTrue(rejects > 100, "the stream's cancels and amends of gone orders are rejected: " + rejects);

        assertEquals(COMMANDS / PipelineMetrics.PUBLISH_SAMPLE, metrics.publishToMatch().count(),
            "one command in " + PipelineMetrics.PUBLISH_SAMPLE + " through the ring, once");
        assertEquals(released.batches.size(), metrics.batches());
        assertEquals(released.batches.size(), metrics.matchToJournal().count());
        assertEquals(released.batches.size(), metrics.journalToRelease().count());

        final String text = registry.scrape();
        final int markets = RandomCommands.MARKETS.size();
        assertTrue(text.contains("\nrollbook_commands_total{type=\"place\"} " + byType[PlaceOrderDecoder.TEMPLATE_ID] +
            "\n"), text);
        assertTrue(text.contains("\nrollbook_commands_total{type=\"" + JsonEvents.commandName(9) + "\"} " + markets +
            "\n"), "the genesis market definitions count too: " + text);
        assertTrue(text.contains("\nrollbook_rejects_total{reason=\"UNKNOWN_ORDER\"} " +
            byReason[RejectReason.UNKNOWN_ORDER.value()] + "\n"), text);
        assertTrue(text.contains("\nrollbook_stage_latency_seconds_count{stage=\"match_to_journal\"} " +
            released.batches.size() + "\n"), text);
        assertTrue(text.contains("\nrollbook_sequenced_sequence " + (markets + COMMANDS) + "\n"), text);
        assertTrue(text.contains("\nrollbook_released_sequence " + (markets + COMMANDS) + "\n"), text);
        assertTrue(text.contains("\nrollbook_committed_sequence " + (markets + COMMANDS) + "\n"),
            "the sequencer lets the builder finish before it closes: " + text);
        assertTrue(text.contains("\nrollbook_journal_lag_commands 0\n"), text);
        assertTrue(text.contains("\nrollbook_journal_lag_batches 0\n"), text);
        assertTrue(text.contains("\nrollbook_commitment_lag_commands 0\n"), text);
        assertTrue(text.contains("\nrollbook_commitment_lag_batches 0\n"), text);
        assertTrue(text.contains("\nrollbook_snapshot_follower_lag_commands 0\n"),
            "the sequencer lets the follower finish before it closes: " + text);
        assertTrue(text.contains("\nrollbook_snapshot_sequence " + (markets + COMMANDS) + "\n"), "at shutdown: " + text);
        assertTrue(text.contains("\nrollbook_ring_occupancy_slots 0\n"), text);
        assertTrue(text.contains("\nrollbook_ring_capacity_slots 1024\n"), text);
        assertTrue(text.contains("\nrollbook_accepting 0\n"), "closed: " + text);
        assertTrue(text.contains("\nrollbook_disk_space_low 0\n"), text);
    }
}
