package io.rollbook.app.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A small W3C WebDriver client over the JDK's HttpClient: starts Debian's chromedriver on a free port, opens one
 * headless Chromium session with a new empty profile, and offers the few commands the browser test needs. Not
 * thread-safe: one test thread drives it. Closing ends the session, the browser and the driver.
 */
final class WebDriver implements AutoCloseable
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
    private static final Pattern STARTED = Pattern.compile("was started successfully on port (\\d+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final List<String> driverOutput = new ArrayList<>();
    private String session;

    private WebDriver(final Process driver, final int port)
    {
        this.driver = driver;
        this.base = "http://127.0.0.1:" + port;
    }

    /**
     * @param profile an empty directory for the browser's profile
     * @throws AssertionError naming what to install when Chromium or its driver is missing
     */
    static WebDriver launch(final Path profile, final int width, final int height)
        throws IOException, InterruptedException
    {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER))
        {
            throw new AssertionError("The browser test needs Debian's chromium and chromium-driver (" + CHROMIUM +
                ", " + CHROMEDRIVER + "); run .ci/ensure-chromium (which .ci/run does) to install them.");
        }
        final Process process = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=0")
            .redirectErrorStream(true)
            .start();
        final BufferedReader output =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final List<String> lines = new ArrayList<>();
        final Thread reader = new Thread(() -> readDriver(output, lines, port), "chromedriver-output");
        reader.setDaemon(true);
        reader.start();
        final int driverPort;
        try
        {
            driverPort = port.get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            process.destroyForcibly();
            throw new AssertionError("chromedriver did not start: " + lines, ex);
        }
        final WebDriver webDriver = new WebDriver(process, driverPort);
        synchronized (lines)
        {
            webDriver.driverOutput.addAll(lines);
        }
        try
        {
            webDriver.startSession(profile, width, height);
        }
        catch (final RuntimeException | Error ex)
        {
            webDriver.close();
            throw ex;
        }
        return webDriver;
    }

    private static void readDriver(
        final BufferedReader output, final List<String> lines, final CompletableFuture<Integer> port)
    {
        try
        {
            String line;
            while ((line = output.readLine()) != null)
            {
                synchronized (lines)
                {
                    lines.add(line);
                }
                final Matcher started = STARTED.matcher(line);
                if (started.find())
                {
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
            port.completeExceptionally(new IOException("chromedriver ended"));
        }
        catch (final IOException ex)
        {
            port.completeExceptionally(ex);
        }
    }

    private void startSession(final Path profile, final int width, final int height)
    {
        final ObjectNode chrome = JSON.createObjectNode();
        chrome.put("binary", CHROMIUM.toString());
        final ArrayNode args = chrome.putArray("args");
        for (final String flag : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile))
        {
            args.add(flag);
        }
        final ObjectNode capabilities = JSON.createObjectNode();
        final ObjectNode alwaysMatch = capabilities.putObject("capabilities").putObject("alwaysMatch");
        alwaysMatch.put("browserName", "chrome");
        alwaysMatch.set("goog:chromeOptions", chrome);
        alwaysMatch.putObject("goog:loggingPrefs").put("browser", "ALL");
        session = command("POST", "/session", capabilities).path("sessionId").asText();
    }

    void open(final String url)
    {
        command("POST", sessionPath("/url"), JSON.createObjectNode().put("url", url));
    }

    /** Runs a script in the page (the body of a function; arguments as {@code arguments[i]}) and returns its value. */
    JsonNode script(final String body, final Object... arguments)
    {
        final ObjectNode request = JSON.createObjectNode().put("script", body);
        final ArrayNode args = request.putArray("args");
        for (final Object argument : arguments)
        {
            args.add(JSON.valueToTree(argument));
        }
        return command("POST", sessionPath("/execute/sync"), request);
    }

    void windowSize(final int width, final int height)
    {
        command("POST", sessionPath("/window/rect"), JSON.createObjectNode().put("width", width).put("height", height));
    }

    /** Runs a script in every new document before the page's own scripts (Chromium's DevTools protocol). */
    void beforeEveryPage(final String source)
    {
        final ObjectNode request = JSON.createObjectNode().put("cmd", "Page.addScriptToEvaluateOnNewDocument");
        request.putObject("params").put("source", source);
        command("POST", sessionPath("/goog/cdp/execute"), request);
    }

    Element find(final String css)
    {
        final JsonNode found = command("POST", sessionPath("/element"),
            JSON.createObjectNode().put("using", "css selector").put("value", css));
        return new Element(found.path(ELEMENT_KEY).asText());
    }

    /**
     * Finds the element and clicks it, finding it again when the page re-rendered it in between (a stale element):
     * for elements of tables the page rebuilds on every refresh.
     */
    void click(final String css, final Duration timeout) throws InterruptedException
    {
        await("a click on " + css, timeout, () ->
        {
            find(css).click();
            return true;
        });
    }

    /** Polls until the condition returns a non-null value, and returns it; fails naming what it waited for. */
    <T> T await(final String what, final Duration timeout, final Supplier<T> condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline)
        {
            try
            {
                final T value = condition.get();
                if (value != null)
                {
                    return value;
                }
                last = null;
            }
            catch (final WebDriverException ex)
            {
                last = ex;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what +
            "\nbrowser console:\n" + String.join("\n", consoleLog()), last);
    }

    void screenshot(final Path png) throws IOException
    {
        Files.write(png, Base64.getDecoder().decode(command("GET", sessionPath("/screenshot"), null).asText()));
    }

    /** The browser console's messages so far (chromedriver's log endpoint), for failure messages. */
    List<String> consoleLog()
    {
        final List<String> lines = new ArrayList<>();
        try
        {
            final JsonNode entries =
                command("POST", sessionPath("/se/log"), JSON.createObjectNode().put("type", "browser"));
            for (final JsonNode entry : entries)
            {
                lines.add(entry.path("level").asText() + " " + entry.path("message").asText());
            }
        }
        catch (final RuntimeException ex)
        {
            lines.add("(console log unavailable: " + ex.getMessage() + ")");
        }
        return lines;
    }

    private String sessionPath(final String path)
    {
        return "/session/" + session + path;
    }

    private JsonNode command(final String method, final String path, final JsonNode body)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(COMMAND_TIMEOUT);
        if (body == null)
        {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else
        {
            request.header("Content-Type", "application/json; charset=utf-8")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        final HttpResponse<String> response;
        try
        {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("WebDriver " + method + " " + path + ": " + ex.getMessage() +
                "; chromedriver said: " + driverOutput, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        final JsonNode value;
        try
        {
            value = JSON.readTree(response.body()).path("value");
        }
        catch (final IOException ex)
        {
            throw new WebDriverException(method + " " + path + ": not JSON: " + response.body());
        }
        if (response.statusCode() != 200)
        {
            throw new WebDriverException(method + " " + path + ": " + value.path("error").asText() + ": " +
                value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close()
    {
        try
        {
            if (session != null)
            {
                command("DELETE", "/session/" + session, null);
            }
        }
        catch (final RuntimeException ignored)
        {
            // The driver is stopped below either way; a session that cannot be ended dies with it.
        }
        finally
        {
            session = null;
            // Ending the session ends the browser; should it not have, its processes go with the driver's.
            driver.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroy();
            try
            {
                if (!driver.waitFor(10, TimeUnit.SECONDS))
                {
                    driver.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A command the browser refused (no such element, stale element, script error, ...). */
    static final class WebDriverException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        WebDriverException(final String message)
        {
            super(message);
        }
    }

    /** An element of the page, valid until the page replaces it. */
    final class Element
    {
        private final String id;

        private Element(final String id)
        {
            this.id = id;
        }

        void click()
        {
            command("POST", path("/click"), JSON.createObjectNode());
        }

        void clear()
        {
            command("POST", path("/clear"), JSON.createObjectNode());
        }

        void type(final String text)
        {
            command("POST", path("/value"), JSON.createObjectNode().put("text", text));
        }

        String text()
        {
            return command("GET", path("/text"), null).asText();
        }

        private String path(final String suffix)
        {
            return sessionPath("/element/" + id + suffix);
        }
    }
}
