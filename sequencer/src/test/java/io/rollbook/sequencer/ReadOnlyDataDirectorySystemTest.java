package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory on a read-only file system (a volume mounted read-only, a restore left read-only): the start
 * refuses before it changes anything, naming the directory and what to do, and the audit still reads it. Read-only
 * file modes do not stop root, so the child JVM runs in its own mount namespace with the directory bound read-only
 * ({@code unshare -m}); where this user may not do that, the test is skipped.
 */
@Tag("system")
class ReadOnlyDataDirectorySystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void theStartRefusesAReadOnlyDataDirectoryAndTheAuditReadsIt() throws Exception
    {
        assumeTrue(run(List.of("unshare", "-m", "true")).exit == 0, "this user cannot make a mount namespace");
        final Released released = new Released();
        try (Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .releaseListener(released)))
        {
            SequencerTest.publish(sequencer.publisher(), new RandomCommands(61), 0, 200);
        }
        final Map<Path, Long> before = sizes();

        final List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : System.getProperty("rollbook.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                java.add(flag);
            }
        }
        java.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), ReadOnlyStart.class.getName(),
            dataDirectory.toString()));
        final String directory = "'" + dataDirectory + "'";
        final Child child = run(List.of("unshare", "-m", "sh", "-c", "mount --bind " + directory + " " + directory +
            " && mount -o remount,bind,ro " + directory + " && exec \"$@\"", "sh"), java);

        assertEquals(0, child.exit, child.output);
        assertTrue(child.output.contains("REFUSED cannot use the data directory " + dataDirectory) &&
            child.output.contains("Read-only file system") && child.output.contains("mount it read-write"),
            child.output);
        assertTrue(child.output.contains("AUDIT PASSED"), child.output);
        assertEquals(before, sizes(), "nothing in the data directory changed");
    }

    private record Child(int exit, String output)
    {
    }

    private static Child run(final List<String> command) throws IOException, InterruptedException
    {
        return run(command, List.of());
    }

    private static Child run(final List<String> command, final List<String> arguments)
        throws IOException, InterruptedException
    {
        final List<String> all = new ArrayList<>(command);
        all.addAll(arguments);
        final Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child did not end");
        return new Child(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private Map<Path, Long> sizes() throws IOException
    {
        final Map<Path, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dataDirectory))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                sizes.put(file, Files.size(file));
            }
        }
        return sizes;
    }
}
