package io.rollbook.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.sequencer.Sequencer;

/**
 * The service configuration: one JSON file, with the embedded {@code rollbook-default.json} as the default.
 * Unknown keys and bad values are errors that name the key, so a typo never silently falls back to a default.
 */
public final class RollbookConfig
{
    public static final String DEFAULT_RESOURCE = "/rollbook-default.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private final MatcherSection matcher;
    private final SequencerSection sequencer;
    private final JournalSection journal;
    private final List<MarketSpec> markets;

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
        try
        {
            sequencerContext(Path.of(".")).validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(ex.getMessage().replace("sequencer: ", "sequencer."));
        }
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
        try
        {
            return new RollbookConfig(MAPPER.readValue(Files.readAllBytes(file), Document.class));
        }
        catch (final JsonProcessingException ex)
        {
            throw new ConfigException(file + ": " + ex.getOriginalMessage() + location(ex));
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read: " + ex.getMessage());
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

    public MarketDirectory marketDirectory()
    {
        return new MarketDirectory(markets);
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
            .maxOpenOrdersPerAccount(matcher.maxOpenOrdersPerAccount);
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
     * @param dataDirectory where the journal and snapshots live
     * @return a sequencer context with every configured setting: matcher capacities, markets, sequencer and journal
     */
    public Sequencer.Context sequencerContext(final Path dataDirectory)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(matcherContext())
            .markets(markets)
            .ringSize(sequencer.ringSize)
            .maxCommandLength(sequencer.maxCommandLength)
            .batchMaxCommands(sequencer.batchMaxCommands)
            .batchMaxAgeUs(sequencer.batchMaxAgeUs)
            .batchMaxBytes(sequencer.batchMaxBytes)
            .batchesInFlight(sequencer.batchesInFlight)
            .snapshotEveryBatches(sequencer.snapshotEveryBatches)
            .snapshotsKept(sequencer.snapshotsKept)
            .matcherIdleStrategy(sequencer.matcherIdleStrategy)
            .journalIdleStrategy(sequencer.journalIdleStrategy)
            .syncPolicy(journal.syncPolicy());
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
        @JsonProperty("sequencer")
        SequencerSection sequencer;
        @JsonProperty("journal")
        JournalSection journal;
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
        @JsonProperty("snapshotsKept")
        int snapshotsKept = 3;
        @JsonProperty("matcherIdleStrategy")
        String matcherIdleStrategy = "backoff";
        @JsonProperty("journalIdleStrategy")
        String journalIdleStrategy = "backoff";
    }

    private static final class JournalSection
    {
        @JsonProperty("dataDir")
        String dataDir = "./data";
        @JsonProperty("sync")
        String sync = "none";

        void validate()
        {
            if (dataDir == null || dataDir.isBlank())
            {
                throw new ConfigException("journal.dataDir must name a directory");
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
                    .build();
            }
            catch (final IllegalArgumentException | ArithmeticException | NullPointerException ex)
            {
                throw new ConfigException(where + ex.getMessage());
            }
        }
    }
}
