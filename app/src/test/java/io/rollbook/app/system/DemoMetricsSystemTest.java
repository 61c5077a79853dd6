package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook run --demo} makes the market alive: scraping {@code /metrics} on the HTTP port twice shows the
 * command counts rising, orders among them, and the demo's five sessions on the binary gateway.
 */
@Tag("system")
class DemoMetricsSystemTest
{
    private static final Pattern COMMANDS = Pattern.compile("(?m)^rollbook_commands_total\\{type=\"(\\w+)\"} (\\d+)$");

    @TempDir
    Path work;

    @Test
    void theDemoMakesCommandCountsRise() throws Exception
    {
        try (RunProcess run = RunProcess.start(work.resolve("data"), "--demo", "--demo-seed", "7"))
        {
            final URI metrics = URI.create("http://127.0.0.1:" + run.port("http:") + "/metrics");
            assertTrue(run.awaitLine("demo:").contains("accounts 105-108"), run.lines().toString());
            final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            final HttpResponse<String> first = http.send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                first.headers().firstValue("content-type").orElse(""));
            final long before = total(first.body(), null);

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String later = first.body();
            while (total(later, "place") == total(first.body(), "place") || total(later, null) <= before)
            {
                assertTrue(System.nanoTime() < deadline, "the command counts did not rise in 30 s:\n" + later);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                later = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            }
            assertTrue(later.contains("\nrollbook_gateway_sessions{protocol=\"binary\"} 5\n"),
                "the demo operator and four bots: " + later);
            assertTrue(total(later, "oracle") > 0 && total(later, "deposit") >= 4, later);
            assertEquals(0, run.terminate(), run.errors());
        }
    }

    /**
     * @return the commands of one type in a scrape, or of every type for null
     */
    private static long total(final String scrape, final String type)
    {
        long total = 0;
        final Matcher line = COMMANDS.matcher(scrape);
        while (line.find())
        {
            if (type == null || type.equals(line.group(1)))
            {
                total += Long.parseLong(line.group(2));
            }
        }
        return total;
    }
}
