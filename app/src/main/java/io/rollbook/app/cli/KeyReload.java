package io.rollbook.app.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import io.rollbook.app.FileErrors;
import io.rollbook.app.config.RollbookConfig;
import io.rollbook.gateway.GatewayService;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.journal.GenesisDocument;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Reloads the {@code keys} section of the configuration file on SIGHUP, while the service runs: an operator adds an
 * account, replaces a leaked key or revokes one without stopping the exchange. Every other section applies only at
 * a start. The sessions and WebSocket connections that authenticated with a key the reload took away are ended
 * ({@link GatewayService#replaceKeys}); a file that does not load, or whose {@code matcher} section is not the one
 * the service runs with (the keys are checked against its accounts), changes nothing.
 *
 * <p>Runs on the JVM's signal thread, one reload at a time; prints one {@code keys:} line per signal.
 */
final class KeyReload
{
    private final Path file;
    private final RollbookConfig running;
    private final GatewayService service;
    private final PrintStream out;

    private KeyReload(final Path file, final RollbookConfig running, final GatewayService service, final PrintStream out)
    {
        this.file = file;
        this.running = running;
        this.service = service;
        this.out = out;
    }

    /**
     * Handles SIGHUP from now on. A process started with SIGHUP ignored ({@code nohup}) keeps it ignored: the JVM
     * does not take an ignored hangup back, so every {@code kill -HUP} would be lost without a word; the start says
     * so instead.
     *
     * @param file the {@code --config} file, or null when the service runs on the embedded configuration, which
     *             has nothing to reload
     */
    static void install(final Path file, final RollbookConfig running, final GatewayService service, final PrintStream out)
    {
        final KeyReload reload = new KeyReload(file, running, service, out);
        final SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> reload.reload());
        if (previous == SignalHandler.SIG_IGN && file != null)
        {
            out.println("keys: SIGHUP is ignored by this process (started under nohup, or by a parent that ignores " +
                "it): the keys of " + file + " cannot be reloaded while it runs; start it with setsid or under a " +
                "service manager to keep kill -HUP");
            out.flush();
        }
    }

    synchronized void reload()
    {
        out.println(describe());
        out.flush();
    }

    private String describe()
    {
        if (file == null)
        {
            return "keys: not reloaded: the service runs on the embedded configuration (no --config FILE), whose " +
                "keys do not change";
        }
        final RollbookConfig newer;
        try
        {
            newer = RollbookConfig.load(file);
        }
        catch (final RuntimeException ex)
        {
            return "keys: not reloaded, the keys in use are unchanged: " + FileErrors.describe(ex);
        }
        final String difference = GenesisDocument.of(running.matcherContext()).differenceFrom(newer.matcherContext());
        if (difference != null)
        {
            return "keys: not reloaded, the keys in use are unchanged: " + file + ": the matcher section is not the " +
                "one the service runs with (" + difference + "); it applies only at a start";
        }
        final KeyStore.KeyChange change = service.replaceKeys(newer.keyStore());
        return "keys: reloaded from " + file + ": " + change + (change.replaced() + change.removed() > 0 ||
            change.operatorRevoked() ? "; the sessions and WebSocket connections that used the old keys ended" : "");
    }
}
