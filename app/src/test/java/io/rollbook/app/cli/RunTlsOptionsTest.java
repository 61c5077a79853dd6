package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rollbook.app.RollbookMain;
import io.rollbook.app.config.RollbookConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook run} refuses TLS files it cannot serve with before anything starts (no journal is created), with a
 * message that names the file or the missing option, never a stack trace, and exit code 2.
 */
class RunTlsOptionsTest
{
    @TempDir
    Path directory;

    private String refused(final String... tlsOptions)
    {
        final Path data = directory.resolve("data");
        final String[] args = new String[4 + tlsOptions.length];
        args[0] = "run";
        args[1] = "--data";
        args[2] = data.toString();
        args[3] = "--http-port=0";
        System.arraycopy(tlsOptions, 0, args, 4, tlsOptions.length);
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final var commandLine = RollbookMain.commandLine();
        commandLine.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
        assertEquals(2, commandLine.execute(args));
        final String message = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(message.contains("\tat "), message);
        assertFalse(Files.exists(data), "nothing started");
        return message.trim();
    }

    @Test
    void oneTlsFileWithoutTheOtherIsRefusedNamingBoth() throws Exception
    {
        final Path chain = Files.writeString(directory.resolve("chain.pem"), "");
        assertEquals("rollbook run: --tls-cert and --tls-key (http.tls.certificateChain and http.tls.privateKey) go " +
            "together: the private key is missing", refused("--tls-cert", chain.toString()));
        assertEquals("rollbook run: --tls-cert and --tls-key (http.tls.certificateChain and http.tls.privateKey) go " +
            "together: the certificate chain is missing", refused("--tls-key", chain.toString()));
    }

    @Test
    void tlsOptionsWithoutAnHttpPortAreRefused() throws Exception
    {
        final String defaults;
        try (var in = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
        {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final String off = defaults.replace("\"http\": {\n    \"enabled\": true", "\"http\": {\n    \"enabled\": false");
        assertFalse(off.equals(defaults), "http.enabled is in the embedded configuration");
        final Path config = Files.writeString(directory.resolve("config.json"), off);
        final Path chain = Files.writeString(directory.resolve("chain.pem"), "");
        assertEquals("rollbook run: --tls-cert and --tls-key are for the HTTP port, which the configuration turns off " +
            "(http.enabled or gateway.enabled false)", refused("--config", config.toString(), "--tls-cert",
            chain.toString(), "--tls-key", chain.toString()));
    }

    @Test
    void aTlsFileThatCannotBeReadOrHoldsNoCertificateIsRefusedNamingIt() throws Exception
    {
        final Path missing = directory.resolve("missing.pem").toAbsolutePath();
        final Path key = Files.writeString(directory.resolve("key.pem"), "");
        assertTrue(refused("--tls-cert", missing.toString(), "--tls-key", key.toString())
            .startsWith("rollbook run: TLS certificate chain " + missing + ": cannot read it"));
        final Path notCertificates = Files.writeString(directory.resolve("chain.pem"), "hello\n").toAbsolutePath();
        final String message = refused("--tls-cert", notCertificates.toString(), "--tls-key", key.toString());
        assertTrue(message.startsWith("rollbook run: TLS certificate chain " + notCertificates + ": "), message);
    }

    /**
     * Not a TLS option, but refused the same way: both gateways on one port, named by their options, before
     * anything starts (rather than an "address in use" from the second bind once the sequencer runs).
     */
    @Test
    void bothGatewaysOnOnePortAreRefusedBeforeAnythingStarts()
    {
        final Path data = directory.resolve("data");
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final var commandLine = RollbookMain.commandLine();
        commandLine.setErr(new PrintWriter(stderr, true, StandardCharsets.UTF_8));
        assertEquals(2, commandLine.execute("run", "--data", data.toString(), "--port", "47123", "--http-port",
            "47123"));
        assertEquals("rollbook run: the binary gateway (--port, gateway.port) and the HTTP port (--http-port, " +
            "http.port) are both 47123; give them different ports", stderr.toString(StandardCharsets.UTF_8).trim());
        assertFalse(Files.exists(data), "nothing started");
    }
}
