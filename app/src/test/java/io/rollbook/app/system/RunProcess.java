package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.app.RollbookMain;

/**
 * {@code rollbook run} in a child JVM, as an operator starts it: a data directory, ephemeral ports (read back from
 * the lines it prints), its standard output kept line by line, its standard error in a file beside the data
 * directory. {@link #terminate()} sends SIGTERM, as {@code kill} or systemd would, and returns the exit code.
 */
final class RunProcess implements AutoCloseable
{
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]*:(\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path errors;
    private boolean ended;

    private RunProcess(final Process process, final Path errors)
    {
        this.process = process;
        this.errors = errors;
        final Thread reader = new Thread(this::read, "run-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param arguments after {@code run --data DIR --port 0 --http-port 0}
     */
    static RunProcess start(final Path dataDirectory, final String... arguments) throws IOException
    {
        return start(List.of(), dataDirectory, arguments);
    }

    /**
     * As {@link #start} under {@code nohup}, as an operator may start it: SIGHUP ignored from the start.
     */
    static RunProcess startUnderNohup(final Path dataDirectory, final String... arguments) throws IOException
    {
        return start(List.of("nohup"), dataDirectory, arguments);
    }

    private static RunProcess start(final List<String> launcher, final Path dataDirectory, final String... arguments)
        throws IOException
    {
        final List<String> run = new ArrayList<>(List.of("--data", dataDirectory.toString(), "--port", "0",
            "--http-port", "0"));
        run.addAll(List.of(arguments));
        return startExactly(launcher, dataDirectory.resolveSibling(dataDirectory.getFileName() + "-" +
            System.nanoTime() + ".err"), run);
    }

    /**
     * @param errors    where its standard error goes
     * @param arguments after {@code run}, exactly (no data directory or ports added)
     */
    static RunProcess startExactly(final Path errors, final List<String> arguments) throws IOException
    {
        return startExactly(List.of(), errors, arguments);
    }

    private static RunProcess startExactly(final List<String> launcher, final Path errors, final List<String> arguments)
        throws IOException
    {
        final List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : System.getProperty("rollbook.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RollbookMain.class.getName());
        command.add("run");
        command.addAll(arguments);
        return new RunProcess(new ProcessBuilder(command).redirectError(new File(errors.toString())).start(), errors);
    }

    private void read()
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            synchronized (lines)
            {
                lines.add("(output unreadable: " + ex + ")");
            }
        }
        synchronized (lines)
        {
            ended = true;
            lines.notifyAll();
        }
    }

    /**
     * @return the first line printed that starts with {@code prefix}, waiting up to 60 s for it
     */
    String awaitLine(final String prefix) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (lines)
        {
            while (true)
            {
                for (final String line : lines)
                {
                    if (line.startsWith(prefix))
                    {
                        return line;
                    }
                }
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(leftMs > 0 && !ended, "no line starting with \"" + prefix + "\"" +
                    (ended ? " before the output ended" : " within 60 s") + "; output " + lines + "; errors " +
                    errors());
                lines.wait(Math.min(leftMs, 100));
            }
        }
    }

    /**
     * @return the port on the line starting with {@code prefix} ({@code "binary:"} or {@code "http:"})
     */
    int port(final String prefix) throws InterruptedException
    {
        final String line = awaitLine(prefix);
        final Matcher port = LISTENING.matcher(line);
        assertTrue(port.find(), line);
        return Integer.parseInt(port.group(1));
    }

    /**
     * Sends a signal ({@code "HUP"}, ...) with {@code kill}, as an operator would.
     */
    void signal(final String name) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " failed");
    }

    /**
     * Sends SIGTERM and waits for the process to end.
     *
     * @return its exit code
     */
    int terminate() throws InterruptedException
    {
        // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the pipe open for the last lines.
        process.toHandle().destroy();
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "no exit within 90 s of SIGTERM; errors " + errors());
        return process.exitValue();
    }

    /**
     * Waits for the process to end on its own (a start that is refused).
     *
     * @return its exit code
     */
    int awaitExit() throws InterruptedException
    {
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "no exit within 90 s; output " + lines() + "; errors " +
            errors());
        return process.exitValue();
    }

    List<String> lines()
    {
        synchronized (lines)
        {
            return List.copyOf(lines);
        }
    }

    String errors()
    {
        try
        {
            return Files.readString(errors);
        }
        catch (final IOException ex)
        {
            return "(" + ex.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
    }
}
