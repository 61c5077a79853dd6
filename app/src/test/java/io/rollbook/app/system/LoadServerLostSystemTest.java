package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.rollbook.app.RollbookMain;
import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook load} when the service dies under it: the bots' driver says in a sentence which connection ended,
 * how, and after how much, and the command exits non-zero, instead of printing an exception's class name.
 */
@Tag("system")
class LoadServerLostSystemTest
{
    private static final int BTC = 1;

    @TempDir
    Path work;

    @Test
    void aServiceKilledMidRunIsNamedWithTheConnectionThatLostIt() throws Exception
    {
        try (RunProcess run = RunProcess.start(work.resolve("data")))
        {
            final int port = run.port("binary:");
            final StringWriter err = new StringWriter();
            final var commandLine = RollbookMain.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            // Long enough that only the kill can end it.
            final FutureTask<Integer> load = new FutureTask<>(() -> commandLine.execute("load", "--port",
                Integer.toString(port), "--connections", "2", "--subscribers", "0", "--rate", "200", "--warmup", "0",
                "--duration", "600"));
            final Thread loadThread = new Thread(load, "load-under-test");
            loadThread.setDaemon(true);
            loadThread.start();

            // The bots are in their loop once their quotes are in the book.
            try (RollbookClient watcher = RollbookClient.connect("127.0.0.1", port, new ClientListener()
            {
            }))
            {
                watcher.subscribe(BTC);
                watcher.flush();
                watcher.await(() -> watcher.book(BTC) != null && watcher.book(BTC).bidCount() > 0 &&
                    watcher.book(BTC).askCount() > 0, 30_000, "the bots' quotes");
            }
            run.signal("KILL");
            run.awaitExit();

            final int exit = load.get(60, TimeUnit.SECONDS);
            assertEquals(2, exit, err.toString());
            final Pattern sentence = Pattern.compile("rollbook load: bot connection [01] to 127\\.0\\.0\\.1:" + port +
                " ended after [1-9][0-9]* request\\(s\\) sent: (the server closed the connection|connection failed: .+|" +
                "send failed: .+)" + System.lineSeparator());
            assertTrue(sentence.matcher(err.toString()).matches(), err.toString());
        }
    }
}
