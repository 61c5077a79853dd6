package io.rollbook.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.rollbook.app.FileErrors;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.binary.BinaryGateway;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.gateway.view.ViewSnapshotPolicy;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.AccountSetup;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.sequencer.IdleStrategies;
import io.rollbook.sequencer.Sequencer;

/**
 * The service configuration: one JSON file, with the embedded {@code rollbook-default.json} as the default.
 * Unknown keys and bad values are errors that name the key, so a typo never silently falls back to a default.
 */
public final class RollbookConfig
{
    public static final String DEFAULT_RESOURCE = "/rollbook-default.json";
    /** The largest file that is read: a configuration is parsed from one byte array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        // 1.5 for a count would otherwise be taken as 1, silently.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // A second object after the first (two files pasted together), or a key given twice, would otherwise be
        // ignored or win silently: the operator would run on settings other than those they read.
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final MatcherSection matcher;
    private final SequencerSection sequencer;
    private final JournalSection journal;
    private final CommitmentsSection commitments;
    private final List<MarketSpec> markets;
    private final List<FeeTierSpec> feeTiers;
    private final List<AccountSetup> accounts;
    private final GatewaySection gateway;
    private final HttpSection http;
    private final KeyStore keys;

    private RollbookConfig(final Document document)
    {
        if (document.matcher == null)
        {
            throw new ConfigException("\"matcher\" section is missing");
        }
        if (document.markets == null || document.markets.isEmpty())
        {
            throw new ConfigException("\"markets\" must list at least one market");
        }
        matcher = document.matcher;
        sequencer = document.sequencer == null ? new SequencerSection() : document.sequencer;
        journal = document.journal == null ? new JournalSection() : document.journal;
        journal.validate();
        commitments = document.commitments == null ? new CommitmentsSection() : document.commitments;
        checkIdleStrategy("sequencer.matcherIdleStrategy", sequencer.matcherIdleStrategy);
        checkIdleStrategy("sequencer.journalIdleStrategy", sequencer.journalIdleStrategy);
        checkIdleStrategy("commitments.idleStrategy", commitments.idleStrategy);
        final List<MarketSpec> specs = new ArrayList<>();
        final MarketDirectory directory = new MarketDirectory();
        for (final MarketSection section : document.markets)
        {
            final MarketSpec spec = section.toSpec();
            if (spec.id() >= matcher.marketCapacity)
            {
                throw new ConfigException("market " + spec.symbol() + ": id " + spec.id() +
                    " is not below matcher.marketCapacity " + matcher.marketCapacity);
            }
            try
            {
                directory.add(spec);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(ex.getMessage());
            }
            specs.add(spec);
        }
        markets = List.copyOf(specs);

        final List<FeeTierSpec> tiers = new ArrayList<>();
        final boolean[] seenTiers = new boolean[FeeTierSpec.MAX_TIER + 1];
        for (final FeeTierSection section : document.feeTiers == null ? List.<FeeTierSection>of() : document.feeTiers)
        {
            final FeeTierSpec tier = section.toSpec();
            if (seenTiers[tier.tier()])
            {
                throw new ConfigException("fee tier " + tier.tier() + " is defined twice");
            }
            seenTiers[tier.tier()] = true;
            tiers.add(tier);
        }
        feeTiers = List.copyOf(tiers);

        final List<AccountSetup> setups = new ArrayList<>();
        for (final AccountSection section : document.accounts == null ? List.<AccountSection>of() : document.accounts)
        {
            final AccountSetup setup = section.toSetup();
            if (setup.account() >= matcher.accountCapacity)
            {
                throw new ConfigException("account " + setup.account() + " is not below matcher.accountCapacity");
            }
            if (setup.feeTier() != 0 && !seenTiers[setup.feeTier()])
            {
                throw new ConfigException("account " + setup.account() + ": fee tier " + setup.feeTier() +
                    " is not defined in feeTiers");
            }
            setups.add(setup);
        }
        accounts = List.copyOf(setups);
        try
        {
            matcherContext().validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("matcher." + ex.getMessage());
        }
        try
        {
            sequencerContext(Path.of(".")).validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ex.getMessage().replace("sequencer: ", "sequencer."));
        }
        sequencer.validateViewSnapshots();
        gateway = document.gateway == null ? new GatewaySection() : document.gateway;
        gateway.validate();
        try
        {
            binaryGatewayContext().validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ex.getMessage().replace("gateway: ", "gateway."));
        }
        http = document.http == null ? new HttpSection() : document.http;
        if (http.tls != null)
        {
            http.tls.validate();
        }
        try
        {
            httpGatewayContext().validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ex.getMessage().replace("http: ", "http."));
        }
        keys = (document.keys == null ? new KeysSection() : document.keys).toKeyStore(matcher);
    }

    /**
     * @return the embedded default configuration
     */
    public static RollbookConfig defaults()
    {
        try (InputStream in = RollbookConfig.class.getResourceAsStream(DEFAULT_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the application");
            }
            return new RollbookConfig(MAPPER.readValue(in, Document.class));
        }
        catch (final IOException ex)
        {
            throw new ConfigException("embedded default configuration: " + ex.getMessage());
        }
    }

    /**
     * @param file a configuration file, or null for the embedded default
     */
    public static RollbookConfig load(final Path file)
    {
        if (file == null)
        {
            return defaults();
        }
        final byte[] text;
        try
        {
            // Read whole into one array: past that array's limit the JDK ends the start in an OutOfMemoryError.
            final long size = Files.size(file);
            if (size > MAX_FILE_BYTES)
            {
                throw new ConfigException(file + ": the file is " + size + " bytes, more than a configuration can be " +
                    "(at most " + MAX_FILE_BYTES + ")");
            }
            text = Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read: " + FileErrors.reason(ex));
        }
        try
        {
            if (new String(text, StandardCharsets.UTF_8).isBlank())
            {
                throw new ConfigException("the file is empty; a configuration is one JSON object " +
                    "(docs/CONFIGURATION.md)");
            }
            final Document document = MAPPER.readValue(text, Document.class);
            if (document == null)
            {
                throw new ConfigException("a configuration is one JSON object, got null (docs/CONFIGURATION.md)");
            }
            return new RollbookConfig(document);
        }
        catch (final JsonProcessingException ex)
        {
            throw new ConfigException(file + ": " + describe(ex, text) + location(ex));
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read: " + FileErrors.reason(ex));
        }
        catch (final ConfigException ex)
        {
            throw new ConfigException(file + ": " + ex.getMessage());
        }
    }

    public List<MarketSpec> markets()
    {
        return markets;
    }

    public List<FeeTierSpec> feeTiers()
    {
        return feeTiers;
    }

    public MarketDirectory marketDirectory()
    {
        return new MarketDirectory(markets);
    }

    /**
     * @return the commands a fresh journal starts with: fee tiers, markets, account setups
     */
    public Genesis genesis()
    {
        return new Genesis(feeTiers, markets, accounts);
    }

    /**
     * @return a fresh matcher context with the configured capacities
     */
    public Matcher.Context matcherContext()
    {
        return new Matcher.Context()
            .marketCapacity(matcher.marketCapacity)
            .accountCapacity(matcher.accountCapacity)
            .orderCapacity(matcher.orderCapacity)
            .maxOpenOrdersPerAccount(matcher.maxOpenOrdersPerAccount)
            .maxMakersPerTaker(matcher.maxMakersPerTaker)
            .feeAccount(matcher.feeAccount)
            .insuranceFundAccount(matcher.insuranceFundAccount);
    }

    /**
     * @return the configured data directory ({@code journal.dataDir}, default {@code ./data})
     */
    public Path dataDirectory()
    {
        return Path.of(journal.dataDir);
    }

    public SyncPolicy syncPolicy()
    {
        return journal.syncPolicy();
    }

    /**
     * Every bad value names its key, an idle strategy's too: the sequencer's own check knows no configuration keys.
     */
    private static void checkIdleStrategy(final String key, final String spec)
    {
        try
        {
            IdleStrategies.parse(spec);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(key + ": " + ex.getMessage());
        }
    }

    /**
     * @param dataDirectory where the journal and snapshots live
     * @return a sequencer context with every configured setting: matcher capacities, markets, sequencer and journal
     */
    public Sequencer.Context sequencerContext(final Path dataDirectory)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(matcherContext())
            .genesis(genesis())
            .ringSize(sequencer.ringSize)
            .maxCommandLength(sequencer.maxCommandLength)
            .batchMaxCommands(sequencer.batchMaxCommands)
            .batchMaxAgeUs(sequencer.batchMaxAgeUs)
            .batchMaxBytes(sequencer.batchMaxBytes)
            .batchesInFlight(sequencer.batchesInFlight)
            .snapshotEveryBatches(sequencer.snapshotEveryBatches)
            .snapshotEveryCommands(sequencer.snapshotEveryCommands)
            .snapshotsKept(sequencer.snapshotsKept)
            .snapshotFollower(sequencer.snapshotFollower)
            .matcherIdleStrategy(sequencer.matcherIdleStrategy)
            .journalIdleStrategy(sequencer.journalIdleStrategy)
            .syncPolicy(journal.syncPolicy())
            .minFreeDiskBytes(journal.minFreeBytes)
            .commitments(commitments.enabled)
            .commitmentIdleStrategy(commitments.idleStrategy);
    }

    /**
     * @return true if {@code rollbook run} starts the binary gateway (section {@code gateway}, key {@code enabled})
     */
    public boolean gatewayEnabled()
    {
        return gateway.enabled;
    }

    /**
     * @return the binary gateway's settings (section {@code gateway}), with the matcher's capacities
     */
    public BinaryGateway.Context binaryGatewayContext()
    {
        final BinaryGateway.Context context = new BinaryGateway.Context()
            .bindAddress(gateway.bindAddress)
            .port(gateway.port)
            .marketCapacity(matcher.marketCapacity)
            .accountCapacity(matcher.accountCapacity)
            .throttleMessagesPerSecond(gateway.throttleMessagesPerSecond)
            .throttleTerminateAfterRejects(gateway.throttleTerminateAfterRejects)
            .keepAliveBoundsMs(gateway.keepAliveMinMs, gateway.keepAliveMaxMs)
            .deadManBoundsMs(gateway.deadManMinMs, gateway.deadManMaxMs)
            .retransmitMaxReports(gateway.retransmitMaxReports)
            .retransmitMaxScannedRecords(gateway.retransmitMaxScannedRecords)
            .outboundLimitBytes(gateway.outboundLimitBytes)
            .outboxCapacityBytes(gateway.outboxCapacityBytes)
            .timestampWindowMs(gateway.timestampWindowMs)
            .negotiationTimeoutMs(gateway.negotiationTimeoutMs)
            .maxSubscriptions(gateway.maxSubscriptions)
            .maxConnections(gateway.maxConnections)
            .marketDataHeartbeatMs(gateway.marketDataHeartbeatMs)
            .marketDataTimeoutMs(gateway.marketDataTimeoutMs);
        context.addressLimits()
            .maxConnectionsPerAddress(gateway.maxConnectionsPerAddress)
            .connectionRatePerAddress(gateway.connectionsPerSecondPerAddress, gateway.connectionBurstPerAddress)
            .maxTrackedAddresses(gateway.maxTrackedAddresses);
        return context;
    }

    public GatewayServer.Transport gatewayTransport()
    {
        return GatewayServer.Transport.parse(gateway.transport);
    }

    public int gatewayEventLoops()
    {
        return gateway.eventLoops;
    }

    /**
     * @return when the gateway writes its views to a view snapshot, and how many it keeps (section
     *         {@code sequencer}, keys {@code viewSnapshot*}, beside the matcher's snapshots)
     */
    public ViewSnapshotPolicy viewSnapshotPolicy()
    {
        return new ViewSnapshotPolicy(sequencer.viewSnapshotEveryBatches, sequencer.viewSnapshotEveryCommands,
            sequencer.viewSnapshotsKept);
    }

    /**
     * @return how many ended orders the gateway remembers by client order id, to answer resends
     */
    public int gatewayEndedOrdersRemembered()
    {
        return gateway.endedOrdersRemembered;
    }

    /**
     * @return true if {@code rollbook run} starts the HTTP gateway (section {@code http}, key {@code enabled}); it
     *         needs the binary gateway's event loops, so {@code gateway.enabled} too
     */
    public boolean httpEnabled()
    {
        return http.enabled;
    }

    /**
     * @return the HTTP gateway's settings (section {@code http}), with the markets and the matcher's account capacity;
     *         a new context each call, to which the application mounts its own routes
     */
    public HttpGateway.Context httpGatewayContext()
    {
        final HttpGateway.Context context = new HttpGateway.Context()
            .bindAddress(http.bindAddress)
            .port(http.port)
            .markets(markets)
            .accountCapacity(matcher.accountCapacity)
            .timestampWindowMs(http.timestampWindowMs)
            .maxRememberedSignatures(http.maxRememberedSignatures)
            .requestTimeoutMs(http.requestTimeoutMs)
            .requestReadTimeoutMs(http.requestReadTimeoutMs)
            .idleTimeoutMs(http.idleTimeoutMs)
            .maxBodyBytes(http.maxBodyBytes)
            .maxBatchOrders(http.maxBatchOrders)
            .rateLimit(http.rateLimitPerSecond, http.rateLimitBurst)
            .outboundLimitBytes(http.outboundLimitBytes)
            .outboxCapacityBytes(http.outboxCapacityBytes)
            .heartbeatMs(http.heartbeatMs)
            .maxSubscriptions(http.maxSubscriptions)
            .maxConnections(http.maxConnections);
        context.addressLimits()
            .maxConnectionsPerAddress(http.maxConnectionsPerAddress)
            .connectionRatePerAddress(http.connectionsPerSecondPerAddress, http.connectionBurstPerAddress)
            .maxTrackedAddresses(http.maxTrackedAddresses)
            .requestRatePerAddress(http.requestsPerSecondPerAddress, http.requestBurstPerAddress);
        return context;
    }

    /**
     * @return the PEM file of the HTTP port's TLS certificate chain ({@code http.tls.certificateChain}), a relative
     *         path as given (resolved against the working directory, as {@code journal.dataDir}); null for plain HTTP
     */
    public Path httpTlsCertificateChain()
    {
        return http.tls == null ? null : Path.of(http.tls.certificateChain);
    }

    /**
     * @return the PEM file of its private key ({@code http.tls.privateKey}); null exactly when
     *         {@link #httpTlsCertificateChain()} is
     */
    public Path httpTlsPrivateKey()
    {
        return http.tls == null ? null : Path.of(http.tls.privateKey);
    }

    /**
     * @return the accounts' and operators' Ed25519 public keys (section {@code keys})
     */
    public KeyStore keyStore()
    {
        return keys;
    }

    /**
     * Jackson's messages name Java types and classes; an operator needs the key, as written in the file, and what
     * is wrong with its value.
     *
     * @param text the file's bytes, to quote a value of the wrong type as written
     */
    private static String describe(final JsonProcessingException ex, final byte[] text)
    {
        final String key = key(ex);
        if (ex instanceof UnrecognizedPropertyException)
        {
            final List<String> known = new ArrayList<>();
            ((UnrecognizedPropertyException)ex).getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            known.sort(null);
            return "unknown key \"" + key + "\" (the keys there: " + String.join(", ", known) + ")";
        }
        if (ex.getOriginalMessage().startsWith("Duplicate field '"))
        {
            // The parser's place is the object the key is in or, at the top, the key itself; the message names the
            // key: "Duplicate field 'port'".
            final String field = ex.getOriginalMessage().substring("Duplicate field '".length(),
                ex.getOriginalMessage().length() - 1);
            final String full = key.equals(field) || key.endsWith("." + field) ? key :
                key.isEmpty() ? field : key + "." + field;
            return "the key \"" + full + "\" is given twice; give each key once";
        }
        if (ex.getOriginalMessage().startsWith("Trailing token"))
        {
            return "more follows the configuration's object; a configuration file holds one JSON object";
        }
        final Class<?> target = ex instanceof MismatchedInputException ?
            ((MismatchedInputException)ex).getTargetType() :
            ex.getCause() instanceof InputCoercionException ? ((InputCoercionException)ex.getCause()).getTargetType() :
            null;
        if (target == Document.class)
        {
            return "a configuration must be one JSON object, got " + valueAt(text, List.of());
        }
        final String expected = target == null ? null : expected(target);
        if (expected != null && ex instanceof JsonMappingException)
        {
            final String got = valueAt(text, ((JsonMappingException)ex).getPath());
            return key + " must be " + expected + (got == null ? "" : ", got " + got);
        }
        final String message = ex.getOriginalMessage().replace(" (but could if coercion was enabled using " +
            "`CoercionConfig`)", "");
        return key.isEmpty() ? message : key + ": " + message;
    }

    /**
     * @return what a value of the type is, in the words of the configuration's documentation; null if not one of its
     *         kinds
     */
    private static String expected(final Class<?> type)
    {
        if (type == int.class || type == Integer.class)
        {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class)
        {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == boolean.class || type == Boolean.class)
        {
            return "true or false";
        }
        if (type == String.class)
        {
            return "a string";
        }
        if (List.class.isAssignableFrom(type))
        {
            return "an array";
        }
        return type.getName().startsWith(RollbookConfig.class.getName()) ? "one JSON object" : null;
    }

    /**
     * @return the value at the path in the file, as written: {@code the string "abc"}, {@code 1.5}, {@code an object};
     *         null if the file does not read as JSON or holds nothing there
     */
    private static String valueAt(final byte[] text, final List<JsonMappingException.Reference> path)
    {
        JsonNode node;
        try
        {
            node = MAPPER.readTree(text);
        }
        catch (final IOException ex)
        {
            return null;
        }
        for (final JsonMappingException.Reference reference : path)
        {
            node = node == null ? null : reference.getFieldName() != null ? node.get(reference.getFieldName()) :
                node.get(reference.getIndex());
        }
        if (node == null)
        {
            return null;
        }
        if (node.isTextual())
        {
            return "the string \"" + node.textValue() + "\"";
        }
        if (node.isObject())
        {
            return "an object";
        }
        return node.isArray() ? "an array" : node.toString();
    }

    /**
     * @return the key the problem is at, as {@code sequencer.ringSize} or {@code markets[0].tickSize}; empty if at
     * the top of the document
     */
    private static String key(final JsonProcessingException ex)
    {
        final List<Object> parts = new ArrayList<>();
        if (ex instanceof JsonMappingException && !((JsonMappingException)ex).getPath().isEmpty())
        {
            for (final JsonMappingException.Reference reference : ((JsonMappingException)ex).getPath())
            {
                parts.add(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
            }
        }
        else if (ex.getProcessor() instanceof JsonParser)
        {
            // A number out of range, or broken syntax: the parser knows where it was.
            for (JsonStreamContext context = ((JsonParser)ex.getProcessor()).getParsingContext();
                context != null && !context.inRoot(); context = context.getParent())
            {
                parts.add(0, context.inArray() ? Math.max(0, context.getCurrentIndex()) : context.getCurrentName());
            }
        }
        final StringBuilder key = new StringBuilder();
        for (final Object part : parts)
        {
            if (part instanceof Integer)
            {
                key.append('[').append(part).append(']');
            }
            else if (part != null)
            {
                key.append(key.length() == 0 ? "" : ".").append(part);
            }
        }
        return key.toString();
    }

    private static String location(final JsonProcessingException ex)
    {
        return ex.getLocation() == null ? "" :
            " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
    }

    private static final class Document
    {
        @JsonProperty("matcher")
        MatcherSection matcher;
        @JsonProperty("markets")
        List<MarketSection> markets;
        @JsonProperty("feeTiers")
        List<FeeTierSection> feeTiers;
        @JsonProperty("accounts")
        List<AccountSection> accounts;
        @JsonProperty("sequencer")
        SequencerSection sequencer;
        @JsonProperty("journal")
        JournalSection journal;
        @JsonProperty("commitments")
        CommitmentsSection commitments;
        @JsonProperty("gateway")
        GatewaySection gateway;
        @JsonProperty("http")
        HttpSection http;
        @JsonProperty("keys")
        KeysSection keys;
    }

    /**
     * Every key is optional; the defaults are those of {@link HttpGateway.Context}.
     */
    private static final class HttpSection
    {
        @JsonProperty("enabled")
        boolean enabled = true;
        @JsonProperty("bindAddress")
        String bindAddress = "0.0.0.0";
        @JsonProperty("port")
        int port = 8080;
        @JsonProperty("timestampWindowMs")
        long timestampWindowMs = 5_000;

        @JsonProperty("maxRememberedSignatures")
        int maxRememberedSignatures = 1_000_000;
        @JsonProperty("requestTimeoutMs")
        long requestTimeoutMs = 5_000;
        @JsonProperty("requestReadTimeoutMs")
        long requestReadTimeoutMs = 10_000;
        @JsonProperty("idleTimeoutMs")
        long idleTimeoutMs = 60_000;
        @JsonProperty("maxBodyBytes")
        int maxBodyBytes = 256 * 1024;
        @JsonProperty("maxBatchOrders")
        int maxBatchOrders = 100;
        @JsonProperty("rateLimitPerSecond")
        long rateLimitPerSecond = 20_000;
        @JsonProperty("rateLimitBurst")
        long rateLimitBurst = 20_000;
        @JsonProperty("outboundLimitBytes")
        int outboundLimitBytes = 4 << 20;
        @JsonProperty("outboxCapacityBytes")
        int outboxCapacityBytes = 16 << 20;
        @JsonProperty("heartbeatMs")
        long heartbeatMs = 15_000;
        @JsonProperty("maxSubscriptions")
        int maxSubscriptions = 64;
        @JsonProperty("maxConnections")
        int maxConnections = 10_000;
        @JsonProperty("maxConnectionsPerAddress")
        int maxConnectionsPerAddress = 1_000;
        @JsonProperty("connectionsPerSecondPerAddress")
        long connectionsPerSecondPerAddress = 200;
        @JsonProperty("connectionBurstPerAddress")
        long connectionBurstPerAddress = 1_000;
        @JsonProperty("maxTrackedAddresses")
        int maxTrackedAddresses = 65_536;
        @JsonProperty("requestsPerSecondPerAddress")
        long requestsPerSecondPerAddress = 2_000;
        @JsonProperty("requestBurstPerAddress")
        long requestBurstPerAddress = 4_000;
        @JsonProperty("tls")
        TlsSection tls;
    }

    /**
     * TLS on the HTTP port: both files or neither (the section left out: plain HTTP). The files themselves are read
     * by {@code rollbook run} at start ({@link io.rollbook.gateway.core.ServerTls}), not here: other commands read
     * this configuration without serving anything.
     */
    private static final class TlsSection
    {
        @JsonProperty("certificateChain")
        String certificateChain;
        @JsonProperty("privateKey")
        String privateKey;

        void validate()
        {
            final boolean chain = certificateChain != null && !certificateChain.isBlank();
            final boolean key = privateKey != null && !privateKey.isBlank();
            if (chain != key)
            {
                throw new ConfigException("http.tls.certificateChain and http.tls.privateKey are set together or not " +
                    "at all: " + (chain ? "http.tls.privateKey" : "http.tls.certificateChain") + " is missing");
            }
            if (!chain)
            {
                throw new ConfigException("http.tls needs http.tls.certificateChain and http.tls.privateKey (PEM " +
                    "files); leave the section out for plain HTTP");
            }
            try
            {
                Path.of(certificateChain);
                Path.of(privateKey);
            }
            catch (final InvalidPathException ex)
            {
                throw new ConfigException("http.tls: not a path: " + ex.getMessage());
            }
        }
    }

    /**
     * Every key is optional; the defaults are those of {@link BinaryGateway.Context}.
     */
    private static final class GatewaySection
    {
        @JsonProperty("enabled")
        boolean enabled = true;
        @JsonProperty("bindAddress")
        String bindAddress = "0.0.0.0";
        @JsonProperty("port")
        int port = 9001;
        @JsonProperty("transport")
        String transport = "auto";
        @JsonProperty("eventLoops")
        int eventLoops = 1;
        @JsonProperty("throttleMessagesPerSecond")
        long throttleMessagesPerSecond = 200_000;
        @JsonProperty("throttleTerminateAfterRejects")
        int throttleTerminateAfterRejects = 1_000;
        @JsonProperty("keepAliveMinMs")
        long keepAliveMinMs = 100;
        @JsonProperty("keepAliveMaxMs")
        long keepAliveMaxMs = 60_000;
        @JsonProperty("deadManMinMs")
        long deadManMinMs = 100;
        @JsonProperty("deadManMaxMs")
        long deadManMaxMs = 3_600_000;
        @JsonProperty("retransmitMaxReports")
        int retransmitMaxReports = 1_000;
        @JsonProperty("retransmitMaxScannedRecords")
        int retransmitMaxScannedRecords = 1_000_000;
        @JsonProperty("outboundLimitBytes")
        int outboundLimitBytes = 8 << 20;
        @JsonProperty("outboxCapacityBytes")
        int outboxCapacityBytes = 16 << 20;
        @JsonProperty("timestampWindowMs")
        long timestampWindowMs = 30_000;
        @JsonProperty("negotiationTimeoutMs")
        long negotiationTimeoutMs = 10_000;
        @JsonProperty("maxSubscriptions")
        int maxSubscriptions = 64;
        @JsonProperty("maxConnections")
        int maxConnections = 1_000;
        @JsonProperty("maxConnectionsPerAddress")
        int maxConnectionsPerAddress = 32;
        @JsonProperty("connectionsPerSecondPerAddress")
        long connectionsPerSecondPerAddress = 20;
        @JsonProperty("connectionBurstPerAddress")
        long connectionBurstPerAddress = 100;
        @JsonProperty("maxTrackedAddresses")
        int maxTrackedAddresses = 4_096;
        @JsonProperty("marketDataHeartbeatMs")
        long marketDataHeartbeatMs = 1_000;
        @JsonProperty("marketDataTimeoutMs")
        long marketDataTimeoutMs = 10_000;
        @JsonProperty("endedOrdersRemembered")
        int endedOrdersRemembered = 1_000_000;

        void validate()
        {
            try
            {
                GatewayServer.Transport.parse(transport);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("gateway." + ex.getMessage());
            }
            if (eventLoops < 1 || eventLoops > 16)
            {
                throw new ConfigException("gateway.eventLoops must be from 1 to 16, got " + eventLoops);
            }
            if (endedOrdersRemembered < 64 || endedOrdersRemembered > 100_000_000)
            {
                throw new ConfigException("gateway.endedOrdersRemembered must be from 64 to 100000000, got " +
                    endedOrdersRemembered);
            }
        }
    }

    /**
     * The Ed25519 public keys the gateway authenticates with: raw 32-byte keys as 64 hex digits.
     */
    private static final class KeysSection
    {
        @JsonProperty("accounts")
        List<AccountKey> accounts;
        @JsonProperty("operators")
        List<OperatorKey> operators;

        KeyStore toKeyStore(final MatcherSection matcher)
        {
            final KeyStore.Builder builder = KeyStore.builder();
            try
            {
                for (final AccountKey key : accounts == null ? List.<AccountKey>of() : accounts)
                {
                    if (key.account < 1 || key.account >= matcher.accountCapacity)
                    {
                        throw new ConfigException("keys.accounts: account " + key.account +
                            " is not from 1 to below matcher.accountCapacity");
                    }
                    if (key.account == matcher.feeAccount || key.account == matcher.insuranceFundAccount)
                    {
                        throw new ConfigException("keys.accounts: account " + key.account +
                            " is the fee or insurance fund account, which does not trade");
                    }
                    builder.account(key.account, key.publicKey);
                }
                for (final OperatorKey key : operators == null ? List.<OperatorKey>of() : operators)
                {
                    builder.operator(key.name, key.publicKey);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException("keys: " + ex.getMessage());
            }
            return builder.build();
        }
    }

    private static final class AccountKey
    {
        @JsonProperty(value = "account", required = true)
        int account;
        @JsonProperty(value = "publicKey", required = true)
        String publicKey;
    }

    private static final class OperatorKey
    {
        @JsonProperty(value = "name", required = true)
        String name;
        @JsonProperty(value = "publicKey", required = true)
        String publicKey;
    }

    /**
     * The commitment builder (docs/COMMITMENTS.md): on for the service unless turned off here.
     */
    private static final class CommitmentsSection
    {
        @JsonProperty("enabled")
        boolean enabled = true;
        @JsonProperty("idleStrategy")
        String idleStrategy = IdleStrategies.DEFAULT;
    }

    /**
     * Every key is optional; the defaults are those of {@link Sequencer.Context}.
     */
    private static final class SequencerSection
    {
        @JsonProperty("ringSize")
        int ringSize = 64 * 1024;
        @JsonProperty("maxCommandLength")
        int maxCommandLength = 256;
        @JsonProperty("batchMaxCommands")
        int batchMaxCommands = 2048;
        @JsonProperty("batchMaxAgeUs")
        long batchMaxAgeUs = 500;
        @JsonProperty("batchMaxBytes")
        int batchMaxBytes = 4 << 20;
        @JsonProperty("batchesInFlight")
        int batchesInFlight = 8;
        @JsonProperty("snapshotEveryBatches")
        long snapshotEveryBatches = 100_000;
        @JsonProperty("snapshotEveryCommands")
        long snapshotEveryCommands = 10_000_000;
        @JsonProperty("snapshotsKept")
        int snapshotsKept = 3;
        @JsonProperty("snapshotFollower")
        boolean snapshotFollower;
        @JsonProperty("viewSnapshotEveryBatches")
        long viewSnapshotEveryBatches = 100_000;
        @JsonProperty("viewSnapshotEveryCommands")
        long viewSnapshotEveryCommands = 10_000_000;
        @JsonProperty("viewSnapshotsKept")
        int viewSnapshotsKept = 3;
        @JsonProperty("matcherIdleStrategy")
        String matcherIdleStrategy = IdleStrategies.DEFAULT;
        @JsonProperty("journalIdleStrategy")
        String journalIdleStrategy = IdleStrategies.DEFAULT;

        /**
         * The gateway's view snapshots: the policy knows no configuration keys, so they are named here.
         */
        void validateViewSnapshots()
        {
            if (viewSnapshotEveryBatches < 0)
            {
                throw new ConfigException("sequencer.viewSnapshotEveryBatches must be 0 or more, got " +
                    viewSnapshotEveryBatches);
            }
            if (viewSnapshotEveryCommands < 0)
            {
                throw new ConfigException("sequencer.viewSnapshotEveryCommands must be 0 or more, got " +
                    viewSnapshotEveryCommands);
            }
            if (viewSnapshotsKept < 1 || viewSnapshotsKept > 1000)
            {
                throw new ConfigException("sequencer.viewSnapshotsKept must be from 1 to 1000, got " +
                    viewSnapshotsKept);
            }
        }
    }

    private static final class JournalSection
    {
        @JsonProperty("dataDir")
        String dataDir = "./data";
        @JsonProperty("sync")
        String sync = "none";
        @JsonProperty("minFreeBytes")
        long minFreeBytes = 1L << 30;

        void validate()
        {
            if (dataDir == null || dataDir.isBlank())
            {
                throw new ConfigException("journal.dataDir must name a directory");
            }
            if (minFreeBytes < 0 || minFreeBytes > 1L << 50)
            {
                throw new ConfigException("journal.minFreeBytes must be from 0 to " + (1L << 50) + ", got " +
                    minFreeBytes);
            }
            syncPolicy();
        }

        SyncPolicy syncPolicy()
        {
            if ("none".equals(sync))
            {
                return SyncPolicy.NONE;
            }
            if ("batch".equals(sync))
            {
                return SyncPolicy.BATCH;
            }
            throw new ConfigException("journal.sync must be \"none\" or \"batch\", got \"" + sync + "\"");
        }
    }

    private static final class MatcherSection
    {
        @JsonProperty(value = "marketCapacity", required = true)
        int marketCapacity;
        @JsonProperty(value = "accountCapacity", required = true)
        int accountCapacity;
        @JsonProperty(value = "orderCapacity", required = true)
        int orderCapacity;
        @JsonProperty(value = "maxOpenOrdersPerAccount", required = true)
        int maxOpenOrdersPerAccount;
        @JsonProperty("maxMakersPerTaker")
        int maxMakersPerTaker;
        @JsonProperty(value = "feeAccount", required = true)
        int feeAccount;
        @JsonProperty(value = "insuranceFundAccount", required = true)
        int insuranceFundAccount;
    }

    private static final class FeeTierSection
    {
        @JsonProperty(value = "tier", required = true)
        int tier;
        @JsonProperty(value = "makerFee", required = true)
        String makerFee;
        @JsonProperty(value = "takerFee", required = true)
        String takerFee;

        FeeTierSpec toSpec()
        {
            try
            {
                return new FeeTierSpec(tier, ppm("makerFee", makerFee), ppm("takerFee", takerFee));
            }
            catch (final IllegalArgumentException | ArithmeticException | NullPointerException ex)
            {
                throw new ConfigException("fee tier " + tier + ": " + ex.getMessage());
            }
        }
    }

    private static final class AccountSection
    {
        @JsonProperty(value = "id", required = true)
        int id;
        @JsonProperty("feeTier")
        int feeTier;
        @JsonProperty("stp")
        String stp;

        AccountSetup toSetup()
        {
            final SelfTradePrevention mode;
            if (stp == null || "expireTaker".equals(stp))
            {
                mode = SelfTradePrevention.EXPIRE_TAKER;
            }
            else if ("expireMaker".equals(stp))
            {
                mode = SelfTradePrevention.EXPIRE_MAKER;
            }
            else if ("expireBoth".equals(stp))
            {
                mode = SelfTradePrevention.EXPIRE_BOTH;
            }
            else
            {
                throw new ConfigException("account " + id + ": stp must be expireTaker, expireMaker or expireBoth");
            }
            try
            {
                return new AccountSetup(id, feeTier, mode);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigException(ex.getMessage());
            }
        }
    }

    private static int ppm(final String field, final String fraction)
    {
        return Math.toIntExact(Decimals.signedUnits(field, fraction, Decimals.MICRO));
    }

    private static final class MarketSection
    {
        @JsonProperty(value = "id", required = true)
        int id;
        @JsonProperty(value = "symbol", required = true)
        String symbol;
        @JsonProperty(value = "tickSize", required = true)
        String tickSize;
        @JsonProperty(value = "lotSize", required = true)
        String lotSize;
        @JsonProperty(value = "minSize", required = true)
        String minSize;
        @JsonProperty(value = "maxOrderSize", required = true)
        String maxOrderSize;
        @JsonProperty(value = "marketOrderBand", required = true)
        String marketOrderBand;
        @JsonProperty(value = "maxPosition", required = true)
        String maxPosition;
        @JsonProperty(value = "initialMargin", required = true)
        String initialMargin;
        @JsonProperty(value = "maintenanceMargin", required = true)
        String maintenanceMargin;
        @JsonProperty("baselinePosition")
        String baselinePosition;
        @JsonProperty("incrementalPosition")
        String incrementalPosition;
        @JsonProperty("incrementalInitialMargin")
        String incrementalInitialMargin;

        MarketSpec toSpec()
        {
            final String where = "market " + (symbol == null ? "#" + id : symbol) + ": ";
            try
            {
                final BigDecimal lot = Decimals.parse("lotSize", lotSize);
                return MarketSpec.builder()
                    .id(id)
                    .symbol(symbol)
                    .tickSize(Decimals.parse("tickSize", tickSize))
                    .lotSize(lot)
                    .minSizeLots(Decimals.positiveUnits("minSize", minSize, lot))
                    .maxOrderSizeLots(Decimals.positiveUnits("maxOrderSize", maxOrderSize, lot))
                    .marketOrderBandPpm(Math.toIntExact(
                        Decimals.positiveUnits("marketOrderBand", marketOrderBand, Decimals.MICRO)))
                    .maxPositionLots(Decimals.positiveUnits("maxPosition", maxPosition, lot))
                    .margin(ppm("initialMargin", initialMargin), ppm("maintenanceMargin", maintenanceMargin))
                    .tiering(
                        baselinePosition == null ? -1 : Decimals.signedUnits("baselinePosition", baselinePosition, lot),
                        incrementalPosition == null ? 1 :
                            Decimals.positiveUnits("incrementalPosition", incrementalPosition, lot),
                        incrementalInitialMargin == null ? 0 : ppm("incrementalInitialMargin", incrementalInitialMargin))
                    .build();
            }
            catch (final IllegalArgumentException | ArithmeticException | NullPointerException ex)
            {
                throw new ConfigException(where + ex.getMessage());
            }
        }
    }
}
