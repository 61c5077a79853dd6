package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the service with SIGKILL at seeded random moments while it sequences at full speed, restarts it on the same
 * data directory each time, and then checks the durability promise: every command whose release was seen is in
 * the journal with exactly the events that were released, the journal replays from genesis to the events it
 * holds, and the service recovered in process is in the same state as that replay. The commitment builder runs
 * too, killed with the rest: afterwards every batch has its root, and the audit finds them all right.
 */
@Tag("system")
class CrashRecoverySystemTest
{
    private static final int ROUNDS = 3;
    private static final long COMMANDS = 400_000;

    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void everyReleasedCommandSurvivesSigkill(final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<Long, String> released = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++)
        {
            final int killAfter = random.nextInt(500, 40_000);
            final int seen = runAndKill(seed, killAfter, released);
            assertTrue(seen > 0, "seed " + seed + " round " + round + ": the service released nothing");
        }
        assertTrue(released.size() > ROUNDS * 500, "seed " + seed);

        final Matcher replayed = new Matcher(RandomCommands.matcherContext());
        final EventWriter events = new EventWriter();
        final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(1 << 16);
        final CRC32C crc = new CRC32C();
        final byte[] scratch = new byte[1 << 16];
        int found = 0;
        long lastSequence = 0;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            final RecordView record = new RecordView();
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind != JournalCursor.BATCH)
                {
                    continue;
                }
                cursor.document().records(record);
                while (record.next())
                {
                    events.wrap(eventBuffer, 0);
                    replayed.execute(record.sequence(), record.timestampNs(), record.buffer(), record.commandOffset(),
                        record.commandLength(), events);
                    final String journaled = CrashTestService.digest(crc, scratch, record.buffer(),
                        record.eventsOffset(), record.eventsLength());
                    assertEquals(journaled, CrashTestService.digest(crc, scratch, eventBuffer, 0, events.position()),
                        "seed " + seed + ": genesis replay differs from the journal at sequence " + record.sequence());
                    final String release = released.get(record.sequence());
                    if (release != null)
                    {
                        assertEquals(release, record.source() + " " + journaled,
                            "seed " + seed + ": sequence " + record.sequence() + " was released differently");
                        found++;
                    }
                    lastSequence = record.sequence();
                }
            }
        }
        assertEquals(released.size(), found, "seed " + seed + ": released commands missing from the journal");

        final Released afterRecovery = new Released();
        final Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .commitments(true)
            .releaseListener(afterRecovery));
        sequencer.close();
        assertEquals(lastSequence, sequencer.recovery().lastSequence(), "seed " + seed);
        assertEquals(0, afterRecovery.count(), "seed " + seed + ": a replayed command was released again");
        MatcherStates.assertSameState(replayed, sequencer.matcherAfterClose(), RandomCommands.ACCOUNTS,
            RandomCommands.MARKETS.size(), "seed " + seed);
        assertArrayEquals(replayed.stateHash(), sequencer.matcherAfterClose().stateHash(),
            "seed " + seed + ": the recovered state hash differs from a from-genesis replay's");

        final AuditReport audit = new JournalAudit(dataDirectory).run();
        assertTrue(audit.passed(), "seed " + seed + ": " + audit);
        assertEquals(audit.batches(), audit.rootsCompared(),
            "seed " + seed + ": the roots, cut short by every kill, are all recorded again and right");
    }

    private int runAndKill(final long seed, final int killAfter, final Map<Long, String> released) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("rollbook.jvm.flags", "");
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashTestService.class.getName());
        command.add(dataDirectory.toString());
        command.add(Long.toString(seed));
        command.add(Long.toString(COMMANDS));
        // ProcessHandle.destroyForcibly sends SIGKILL and, unlike Process.destroyForcibly, leaves the pipe open, so
        // the lines the service wrote before it died can still be read.
        final Process process = new ProcessBuilder(command)
            .redirectError(new File(dataDirectory.toFile(), "child-" + System.nanoTime() + ".log"))
            .start();
        int seen = 0;
        boolean killed = false;
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                if (line.startsWith("R "))
                {
                    final String[] parts = line.split(" ");
                    final long sequence = Long.parseLong(parts[1]);
                    final String previous = released.put(sequence, parts[2] + " " + parts[3]);
                    assertEquals(null, previous, "seed " + seed + ": sequence " + sequence + " released twice");
                    seen++;
                    if (seen == killAfter && !killed)
                    {
                        process.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service did not end");
        assertTrue(killed, "seed " + seed + ": the service finished before " + killAfter + " releases");
        assertEquals(137, process.exitValue(), "seed " + seed + ": the service was not killed by SIGKILL");
        return seen;
    }
}
