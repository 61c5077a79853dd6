package io.rollbook.app.web;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.app.RollbookMain;

/**
 * {@code rollbook run} in a child JVM, as a person starts it, on a temporary data directory and ephemeral ports
 * (the ports it prints are read back). Closing sends SIGTERM, the service's graceful shutdown, and waits for it.
 */
final class ServiceProcess implements AutoCloseable
{
    private static final Pattern HTTP_LISTENING = Pattern.compile("REST and WebSocket .*listening on [^ ]*:(\\d+)");

    private final Process process;
    private final int httpPort;
    private final Path log;

    private ServiceProcess(final Process process, final int httpPort, final Path log)
    {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * @param arguments after {@code run --data DIR --port 0 --http-port 0}, e.g. {@code --demo}
     */
    static ServiceProcess start(final Path dataDirectory, final String... arguments) throws IOException
    {
        Files.createDirectories(dataDirectory);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : System.getProperty("rollbook.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RollbookMain.class.getName());
        command.addAll(List.of("run", "--data", dataDirectory.toString(), "--port", "0", "--http-port", "0"));
        command.addAll(List.of(arguments));
        final Path log = dataDirectory.resolveSibling("service.log");
        final Process process = new ProcessBuilder(command).redirectError(new File(log.toString())).start();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final List<String> output = new ArrayList<>();
        final Thread reader = new Thread(() -> read(process, output, port), "service-output");
        reader.setDaemon(true);
        reader.start();
        try
        {
            return new ServiceProcess(process, port.get(120, TimeUnit.SECONDS), log);
        }
        catch (final Exception ex)
        {
            process.destroyForcibly();
            throw new AssertionError("the service did not report its HTTP port; it printed " + output + "; stderr: " +
                readQuietly(log), ex);
        }
    }

    private static void read(final Process process, final List<String> output, final CompletableFuture<Integer> port)
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                synchronized (output)
                {
                    output.add(line);
                }
                final Matcher listening = HTTP_LISTENING.matcher(line);
                if (listening.find())
                {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
            }
            port.completeExceptionally(new IOException("the service ended"));
        }
        catch (final IOException ex)
        {
            port.completeExceptionally(ex);
        }
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(" + ex.getMessage() + ")";
        }
    }

    String baseUrl()
    {
        return "http://127.0.0.1:" + httpPort;
    }

    String log()
    {
        return readQuietly(log);
    }

    @Override
    public void close() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 60 s of SIGTERM; stderr: " + log());
        }
    }
}
