package io.rollbook.app.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

import io.rollbook.bench.load.DemoKeys;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.binary.BinaryGateway;
import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.auth.NegotiationSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest
{
    @TempDir
    Path directory;

    private static String defaults() throws IOException
    {
        try (var in = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private RollbookConfig load(final String text) throws IOException
    {
        final Path file = directory.resolve("config.json");
        Files.writeString(file, text);
        return RollbookConfig.load(file);
    }

    private static String replacing(final String text, final String from, final String to)
    {
        if (!text.contains(from))
        {
            throw new IllegalArgumentException("not in the default configuration: " + from);
        }
        return text.replace(from, to);
    }

    @Test
    void theDefaultsStartTheBinaryGatewayOnPort9001WithTheDemoKeys()
    {
        final RollbookConfig config = RollbookConfig.defaults();
        assertTrue(config.gatewayEnabled());
        final BinaryGateway.Context context = config.binaryGatewayContext();
        assertEquals(9001, context.port());
        assertEquals("0.0.0.0", context.bindAddress());
        assertEquals(256, context.marketCapacity());
        assertEquals(1 << 20, context.accountCapacity());
        assertEquals(200_000, context.throttleMessagesPerSecond());
        assertEquals(1_000, context.retransmitMaxReports());
        assertEquals(GatewayServer.Transport.AUTO, config.gatewayTransport());
        assertEquals(1, config.gatewayEventLoops());
        assertEquals(8, config.keyStore().accountCount());
        assertEquals(1, config.keyStore().operators().size());
    }

    @Test
    void theDefaultsStartTheTraderApiOnPort8080AndBadValuesAreNamed() throws IOException
    {
        final RollbookConfig config = RollbookConfig.defaults();
        assertTrue(config.httpEnabled());
        final HttpGateway.Context context = config.httpGatewayContext();
        assertEquals(8080, context.port());
        assertEquals(5_000, context.timestampWindowMs());
        assertEquals(100, context.maxBatchOrders());
        assertEquals(1_000_000_000L / 20_000, context.rateLimitIntervalNs());
        assertEquals(20_000, context.rateLimitBurst());
        assertEquals(3, context.markets().size());
        assertEquals(1 << 20, context.accountCapacity());

        final ConfigException badPort = assertThrows(ConfigException.class,
            () -> load(replacing(defaults(), "\"port\": 8080", "\"port\": 70000")));
        assertTrue(badPort.getMessage().endsWith(": http.port must be from 0 to 65535, got 70000"), badPort.getMessage());
        final ConfigException badWindow = assertThrows(ConfigException.class,
            () -> load(replacing(defaults(), "\"timestampWindowMs\": 5000", "\"timestampWindowMs\": 5")));
        assertTrue(badWindow.getMessage().contains(": http.timestampWindowMs must be from"), badWindow.getMessage());
        final ConfigException badRate = assertThrows(ConfigException.class,
            () -> load(replacing(defaults(), "\"rateLimitPerSecond\": 20000", "\"rateLimitPerSecond\": 0")));
        assertTrue(badRate.getMessage().contains(": http.rateLimitPerSecond must be from"), badRate.getMessage());
        final ConfigException unknown = assertThrows(ConfigException.class,
            () -> load(replacing(defaults(), "\"heartbeatMs\": 15000", "\"heartbeatMillis\": 15000")));
        assertTrue(unknown.getMessage().contains("heartbeatMillis"), unknown.getMessage());
    }

    @Test
    void theTraderApiTimesRequestsAndIdleConnectionsAndRefusesBadTimeouts() throws IOException
    {
        final HttpGateway.Context defaults = RollbookConfig.defaults().httpGatewayContext();
        assertEquals(10_000, defaults.requestReadTimeoutMs());
        assertEquals(60_000, defaults.idleTimeoutMs());
        final HttpGateway.Context taken = load(replacing(replacing(defaults(), "\"requestReadTimeoutMs\": 10000",
            "\"requestReadTimeoutMs\": 2500"), "\"idleTimeoutMs\": 60000", "\"idleTimeoutMs\": 30000"))
            .httpGatewayContext();
        assertEquals(2_500, taken.requestReadTimeoutMs());
        assertEquals(30_000, taken.idleTimeoutMs());

        final ConfigException badRead = assertThrows(ConfigException.class, () -> load(replacing(defaults(),
            "\"requestReadTimeoutMs\": 10000", "\"requestReadTimeoutMs\": 50")));
        assertTrue(badRead.getMessage().endsWith(": http.requestReadTimeoutMs must be from 100 to 3600000, got 50"),
            badRead.getMessage());
        final ConfigException badIdle = assertThrows(ConfigException.class, () -> load(replacing(defaults(),
            "\"idleTimeoutMs\": 60000", "\"idleTimeoutMs\": 3600001")));
        assertTrue(badIdle.getMessage().endsWith(": http.idleTimeoutMs must be from 100 to 3600000, got 3600001"),
            badIdle.getMessage());
    }

    @Test
    void bothPortsBoundTheirConnectionsAndRefuseBadLimits() throws IOException
    {
        final RollbookConfig config = RollbookConfig.defaults();
        assertEquals(1_000, config.binaryGatewayContext().maxConnections());
        assertEquals(10_000, config.httpGatewayContext().maxConnections());
        final RollbookConfig taken = load(replacing(replacing(defaults(), "\"maxConnections\": 1000,",
            "\"maxConnections\": 50,"), "\"maxConnections\": 10000", "\"maxConnections\": 70"));
        assertEquals(50, taken.binaryGatewayContext().maxConnections());
        assertEquals(70, taken.httpGatewayContext().maxConnections());

        final ConfigException badBinary = assertThrows(ConfigException.class, () -> load(replacing(defaults(),
            "\"maxConnections\": 1000,", "\"maxConnections\": 0,")));
        assertTrue(badBinary.getMessage().endsWith(": gateway.maxConnections must be from 1 to 1000000, got 0"),
            badBinary.getMessage());
        final ConfigException badHttp = assertThrows(ConfigException.class, () -> load(replacing(defaults(),
            "\"maxConnections\": 10000", "\"maxConnections\": 1000001")));
        assertTrue(badHttp.getMessage().endsWith(": http.maxConnections must be from 1 to 1000000, got 1000001"),
            badHttp.getMessage());
    }

    @Test
    void bothPortsBoundWhatOneAddressTakesAndRefuseBadPerAddressLimits() throws IOException
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final AddressLimit.Context binary = config.binaryGatewayContext().addressLimits();
        assertEquals(32, binary.maxConnectionsPerAddress());
        assertEquals(1_000_000_000L / 20, binary.connectionIntervalNsPerAddress());
        assertEquals(100, binary.connectionBurstPerAddress());
        assertEquals(4_096, binary.maxTrackedAddresses());
        assertEquals(0, binary.requestIntervalNsPerAddress(), "binary sessions have a throttle each instead");
        final AddressLimit.Context http = config.httpGatewayContext().addressLimits();
        assertEquals(1_000, http.maxConnectionsPerAddress());
        assertEquals(1_000_000_000L / 200, http.connectionIntervalNsPerAddress());
        assertEquals(1_000, http.connectionBurstPerAddress());
        assertEquals(65_536, http.maxTrackedAddresses());
        assertEquals(1_000_000_000L / 2_000, http.requestIntervalNsPerAddress());
        assertEquals(4_000, http.requestBurstPerAddress());

        final RollbookConfig taken = load(replacing(replacing(defaults(), "\"maxConnectionsPerAddress\": 32,",
            "\"maxConnectionsPerAddress\": 4,"), "\"connectionsPerSecondPerAddress\": 200,",
            "\"connectionsPerSecondPerAddress\": 50,"));
        assertEquals(4, taken.binaryGatewayContext().addressLimits().maxConnectionsPerAddress());
        assertEquals(1_000_000_000L / 50, taken.httpGatewayContext().addressLimits().connectionIntervalNsPerAddress());

        assertRefused(replacing(defaults(), "\"maxConnectionsPerAddress\": 32,", "\"maxConnectionsPerAddress\": 0,"),
            "gateway.maxConnectionsPerAddress must be from 1 to 1000000, got 0");
        assertRefused(replacing(defaults(), "\"maxConnectionsPerAddress\": 1000,",
            "\"maxConnectionsPerAddress\": 1000001,"),
            "http.maxConnectionsPerAddress must be from 1 to 1000000, got 1000001");
        assertRefused(replacing(defaults(), "\"connectionsPerSecondPerAddress\": 20,",
            "\"connectionsPerSecondPerAddress\": 0,"),
            "gateway.connectionsPerSecondPerAddress must be from 1 to 1000000000, got 0");
        assertRefused(replacing(defaults(), "\"connectionsPerSecondPerAddress\": 200,",
            "\"connectionsPerSecondPerAddress\": 1000000001,"),
            "http.connectionsPerSecondPerAddress must be from 1 to 1000000000, got 1000000001");
        assertRefused(replacing(defaults(), "\"connectionBurstPerAddress\": 100,",
            "\"connectionBurstPerAddress\": 0,"),
            "gateway.connectionBurstPerAddress must be from 1 to 100000, got 0");
        assertRefused(replacing(defaults(), "\"connectionBurstPerAddress\": 1000,",
            "\"connectionBurstPerAddress\": 100001,"),
            "http.connectionBurstPerAddress must be from 1 to 100000, got 100001");
        assertRefused(replacing(defaults(), "\"maxTrackedAddresses\": 4096,", "\"maxTrackedAddresses\": 999,"),
            "gateway.maxTrackedAddresses must be from 1000 to 10000000, got 999");
        assertRefused(replacing(defaults(), "\"maxTrackedAddresses\": 65536", "\"maxTrackedAddresses\": 10000001"),
            "http.maxTrackedAddresses must be from 10000 to 10000000, got 10000001");
        assertRefused(replacing(defaults(), "\"requestsPerSecondPerAddress\": 2000,",
            "\"requestsPerSecondPerAddress\": 0,"),
            "http.requestsPerSecondPerAddress must be from 1 to 1000000000, got 0");
        assertRefused(replacing(defaults(), "\"requestBurstPerAddress\": 4000", "\"requestBurstPerAddress\": 100001"),
            "http.requestBurstPerAddress must be from 1 to 100000, got 100001");
        final RollbookConfig requests = load(replacing(defaults(), "\"requestsPerSecondPerAddress\": 2000,",
            "\"requestsPerSecondPerAddress\": 100,"));
        assertEquals(1_000_000_000L / 100, requests.httpGatewayContext().addressLimits().requestIntervalNsPerAddress());
    }

    private void assertRefused(final String text, final String message)
    {
        final ConfigException refused = assertThrows(ConfigException.class, () -> load(text));
        assertTrue(refused.getMessage().endsWith(": " + message), refused.getMessage());
    }

    @Test
    void tlsIsOffByDefaultAndItsTwoFilesGoTogether() throws IOException
    {
        final RollbookConfig defaults = RollbookConfig.defaults();
        assertNull(defaults.httpTlsCertificateChain());
        assertNull(defaults.httpTlsPrivateKey());
        assertNull(defaults.httpGatewayContext().tls());

        final RollbookConfig taken = load(withTls("\"certificateChain\": \"tls/chain.pem\", " +
            "\"privateKey\": \"/etc/rollbook/key.pem\""));
        assertEquals(Path.of("tls/chain.pem"), taken.httpTlsCertificateChain(), "relative, as journal.dataDir");
        assertEquals(Path.of("/etc/rollbook/key.pem"), taken.httpTlsPrivateKey());

        assertMessage("http.tls.certificateChain and http.tls.privateKey are set together or not at all: " +
            "http.tls.privateKey is missing", withTls("\"certificateChain\": \"chain.pem\""));
        assertMessage("http.tls.certificateChain and http.tls.privateKey are set together or not at all: " +
            "http.tls.certificateChain is missing", withTls("\"certificateChain\": \" \", \"privateKey\": \"k.pem\""));
        assertMessage("http.tls needs http.tls.certificateChain and http.tls.privateKey", withTls(""));
        assertMessage("certFile", withTls("\"certFile\": \"chain.pem\", \"privateKey\": \"key.pem\""));
    }

    private static String withTls(final String keys) throws IOException
    {
        return replacing(defaults(), "\"maxConnections\": 10000", "\"maxConnections\": 10000,\n    \"tls\": {" + keys +
            "}");
    }

    @Test
    void everyDemoPrivateKeySignsForThePublicKeyTheDefaultConfigurationHolds()
    {
        final KeyStore keys = RollbookConfig.defaults().keyStore();
        final DemoKeys demo = DemoKeys.load(null);
        final byte[] nonce = new byte[NegotiationSignature.NONCE_LENGTH];
        for (int i = 0; i < demo.accountCount(); i++)
        {
            final PublicKey expected = keys.accountKey(demo.account(i));
            assertNotNull(expected, "account " + demo.account(i) + " has a key in the default configuration");
            final byte[] signature = NegotiationSignature.sign(demo.accountKey(i), nonce, 1, 2, demo.account(i), 3);
            assertTrue(NegotiationSignature.verify(expected, nonce, 1, 2, demo.account(i), 3, signature));
        }
        final byte[] signature = NegotiationSignature.sign(demo.operatorKey(), nonce, 1, 2, 0, 3);
        assertTrue(NegotiationSignature.verify(keys.operators().get(0).key(), nonce, 1, 2, 0, 3, signature));
        assertEquals(demo.operatorName(), keys.operators().get(0).name());
    }

    @Test
    void settingsAreTakenAndBadOnesAreNamed() throws IOException
    {
        final String text = replacing(replacing(defaults(), "\"port\": 9001", "\"port\": 9100"),
            "\"eventLoops\": 1", "\"eventLoops\": 2");
        final RollbookConfig config = load(text);
        assertEquals(9100, config.binaryGatewayContext().port());
        assertEquals(2, config.gatewayEventLoops());
        assertEquals(1_000, config.binaryGatewayContext().marketDataHeartbeatMs());
        assertEquals(10_000, config.binaryGatewayContext().marketDataTimeoutMs());
        final BinaryGateway.Context liveness = load(replacing(replacing(defaults(), "\"marketDataHeartbeatMs\": 1000",
            "\"marketDataHeartbeatMs\": 250"), "\"marketDataTimeoutMs\": 10000", "\"marketDataTimeoutMs\": 750"))
            .binaryGatewayContext();
        assertEquals(250, liveness.marketDataHeartbeatMs());
        assertEquals(750, liveness.marketDataTimeoutMs());

        assertMessage("gateway.port must be from 0 to 65535", replacing(defaults(), "\"port\": 9001", "\"port\": 70000"));
        assertMessage("gateway.transport must be nio, epoll or auto",
            replacing(defaults(), "\"transport\": \"auto\"", "\"transport\": \"kqueue\""));
        assertMessage("gateway.outboxCapacityBytes must be a power of two",
            replacing(defaults(), "\"outboxCapacityBytes\": 16777216", "\"outboxCapacityBytes\": 16777215"));
        assertMessage("gateway.keepAliveMaxMs must be from 100",
            replacing(defaults(), "\"keepAliveMaxMs\": 60000", "\"keepAliveMaxMs\": 50"));
        assertMessage("gateway.marketDataHeartbeatMs must be from 10",
            replacing(defaults(), "\"marketDataHeartbeatMs\": 1000", "\"marketDataHeartbeatMs\": 5"));
        assertMessage("gateway.marketDataTimeoutMs must be from 1000",
            replacing(defaults(), "\"marketDataTimeoutMs\": 10000", "\"marketDataTimeoutMs\": 500"));
        assertMessage("throttle", replacing(defaults(), "\"throttleMessagesPerSecond\": 200000", "\"throttle\": 5"));
    }

    @Test
    void keysAreCheckedStrictly() throws IOException
    {
        final String someKey = Ed25519Keys.hex(Ed25519Keys.raw(Ed25519Keys.generate().getPublic()));
        final String firstAccount = "{ \"account\": 101, \"publicKey\": \"";
        assertMessage("keys: account 101: public key must be 32 bytes",
            withAccountKey(firstAccount + "abcd\" },"));
        assertMessage("keys: account 101: public key must be 64 hex digits",
            withAccountKey(firstAccount + "z".repeat(64) + "\" },"));
        assertMessage("keys: account 102 has two keys",
            withAccountKey("{ \"account\": 102, \"publicKey\": \"" + someKey + "\" },"));
        assertMessage("keys.accounts: account 1 is the fee or insurance fund account",
            withAccountKey("{ \"account\": 1, \"publicKey\": \"" + someKey + "\" },"));
        assertMessage("keys.accounts: account 2000000 is not from 1",
            withAccountKey("{ \"account\": 2000000, \"publicKey\": \"" + someKey + "\" },"));
        assertMessage("privateKey", withAccountKey("{ \"account\": 200, \"publicKey\": \"" + someKey +
            "\", \"privateKey\": \"00\" },"));
        final byte[] raw = Ed25519Keys.raw(RollbookConfig.defaults().keyStore().accountKey(101));
        assertArrayEquals(raw, Ed25519Keys.raw(Ed25519Keys.publicKey(Ed25519Keys.hex(raw))));
    }

    private String withAccountKey(final String entry) throws IOException
    {
        final String text = defaults();
        final int accounts = text.indexOf("[", text.indexOf("\"accounts\"", text.indexOf("\"keys\"")));
        return text.substring(0, accounts + 1) + "\n      " + entry + text.substring(accounts + 1);
    }

    private void assertMessage(final String expected, final String text)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> load(text));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
