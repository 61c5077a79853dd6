package io.rollbook.gateway.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands decoded from one socket read are published without waking the matcher thread, which is woken once
 * when the read is complete: it then sequences them together, rather than the first alone while the rest are
 * still being decoded.
 */
class ReadWakeTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void theCommandsOfOneReadWakeTheSequencerOnce()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Frames frames = new Frames(random);
        try (FuzzHarness harness = new FuzzHarness(dataDirectory))
        {
            final EmbeddedChannel channel = harness.connect();
            long seqNo = SessionFuzzTest.establish(harness, channel, frames, random);
            final FuzzHarness.RecordingPublisher publisher = harness.publisher;
            assertEquals(0, publisher.commands.size());

            final ByteArrayOutputStream read = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++)
            {
                read.writeBytes(frames.newOrder(seqNo++));
            }
            FuzzHarness.send(channel, read.toByteArray());

            final int published = publisher.commands.size();
            assertTrue(published >= 2, "the seeded read publishes several orders, not " + published);
            assertEquals(published, publisher.deferredWakes, "every command of the read defers its wake");
            assertEquals(1, publisher.wakes, "one wake for the whole read");

            FuzzHarness.send(channel, frames.newOrder(seqNo));
            assertEquals(publisher.commands.size() == published ? 1 : 2, publisher.wakes,
                "a read wakes the sequencer only if it published something");
            assertTrue(channel.isActive());
            channel.finishAndReleaseAll();
        }
    }
}
