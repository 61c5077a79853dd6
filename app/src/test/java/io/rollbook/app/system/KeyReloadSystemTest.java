package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollbook.client.ClientException;
import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook run --config FILE} reloads the file's keys on SIGHUP, as an operator rotates a leaked key: the
 * session of the replaced key ends, the new key and a new account log on, and a file that does not load changes
 * nothing; a service started under {@code nohup}, which cannot take the signal, says so.
 */
@Tag("system")
final class KeyReloadSystemTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRADER = 101;
    private static final int NEWCOMER = 150;

    @TempDir
    Path directory;

    @Test
    void sighupReloadsTheKeysOfTheConfigurationFile() throws Exception
    {
        final KeyPair leaked = Ed25519Keys.generate();
        final KeyPair replacement = Ed25519Keys.generate();
        final KeyPair newcomer = Ed25519Keys.generate();
        final Path config = directory.resolve("rollbook.json");
        writeConfig(config, TRADER, leaked);

        try (RunProcess service = RunProcess.start(directory.resolve("data"), "--config", config.toString()))
        {
            service.awaitLine("rollbook running");
            final int port = service.port("binary:");
            final TerminationCode[] ended = new TerminationCode[1];
            try (RollbookClient session = RollbookClient.connect("127.0.0.1", port, new ClientListener()
            {
                @Override
                public void onTerminated(final TerminationCode code, final String text)
                {
                    ended[0] = code;
                }
            }))
            {
                session.logon(new Logon(TRADER, leaked.getPrivate()).keepAliveMs(30_000));

                writeConfig(config, TRADER, replacement, NEWCOMER, newcomer);
                service.signal("HUP");
                final String reloaded = service.awaitLine("keys: reloaded");
                assertTrue(reloaded.contains("1 account key(s) added, 1 replaced, 0 removed"), reloaded);

                session.await(() -> ended[0] != null, 10_000, "the end of the leaked key's session");
                assertEquals(TerminationCode.FINISHED, ended[0]);
            }
            assertLogon(port, TRADER, replacement);
            assertLogon(port, NEWCOMER, newcomer);
            assertThrows(ClientException.class, () -> assertLogon(port, TRADER, leaked));

            Files.writeString(config, "{\"keys\": ");
            service.signal("HUP");
            final String refused = service.awaitLine("keys: not reloaded");
            assertTrue(refused.contains(config.toString()), refused);
            assertLogon(port, TRADER, replacement);

            assertEquals(0, service.terminate());
        }
    }

    /**
     * Under {@code nohup} the JVM cannot take SIGHUP back: the start says so, and a hangup changes nothing.
     */
    @Test
    void aServiceStartedUnderNohupSaysItCannotReloadKeys() throws Exception
    {
        final KeyPair key = Ed25519Keys.generate();
        final Path config = directory.resolve("rollbook.json");
        writeConfig(config, TRADER, key);

        try (RunProcess service = RunProcess.startUnderNohup(directory.resolve("data"), "--config", config.toString()))
        {
            final String ignored = service.awaitLine("keys: SIGHUP is ignored");
            assertTrue(ignored.contains("the keys of " + config + " cannot be reloaded"), ignored);
            service.awaitLine("rollbook running");
            service.signal("HUP");
            assertLogon(service.port("binary:"), TRADER, key);
            assertEquals(0, service.terminate());
        }
    }

    private static void assertLogon(final int port, final int account, final KeyPair key)
    {
        try (RollbookClient client = RollbookClient.connect("127.0.0.1", port, new ClientListener()
        {
        }))
        {
            client.logon(new Logon(account, key.getPrivate()));
            assertTrue(client.isEstablished());
        }
    }

    /**
     * The embedded configuration with its keys section replaced by the given accounts' keys (account, key pairs).
     */
    private static void writeConfig(final Path file, final Object... accountsAndKeys) throws IOException
    {
        final ObjectNode config;
        try (InputStream in = KeyReloadSystemTest.class.getResourceAsStream("/rollbook-default.json"))
        {
            config = (ObjectNode)JSON.readTree(in);
        }
        final ArrayNode accounts = ((ObjectNode)config.get("keys")).putArray("accounts");
        for (int i = 0; i < accountsAndKeys.length; i += 2)
        {
            accounts.addObject()
                .put("account", (Integer)accountsAndKeys[i])
                .put("publicKey", Ed25519Keys.hex(Ed25519Keys.raw(((KeyPair)accountsAndKeys[i + 1]).getPublic())));
        }
        Files.writeString(file, JSON.writeValueAsString(config), StandardCharsets.UTF_8);
    }
}
