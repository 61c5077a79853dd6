package io.rollbook.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.rollbook.bench.load.DemoKeys;
import io.rollbook.gateway.http.HttpRoutes;

/**
 * {@code GET /demo-keys.json} on the HTTP port, mounted only by {@code rollbook run --demo}: the embedded demo key
 * file (config/demo-keys.json, DEMO ONLY: its private keys are public), so that the web page can offer its demo
 * accounts and sign in the browser. A real deployment never runs with {@code --demo} and never holds a private key.
 *
 * <p>The text is read once when mounted; serving it is a constant. Thread-safe.
 */
final class DemoKeysRoute
{
    static final String PATH = "/demo-keys.json";

    private DemoKeysRoute()
    {
    }

    static void mount(final HttpRoutes routes)
    {
        final String keys = embeddedKeys();
        routes.text(PATH, "application/json", () -> keys);
    }

    private static String embeddedKeys()
    {
        try (InputStream in = DemoKeys.class.getResourceAsStream(DemoKeys.RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(DemoKeys.RESOURCE + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the embedded demo keys: " + ex.getMessage(), ex);
        }
    }
}
