package io.rollbook.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rollbook.journal.SyncPolicy;
import io.rollbook.sequencer.Sequencer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequencerConfigTest
{
    @TempDir
    Path directory;

    private String withSections(final String sequencer, final String journal) throws IOException
    {
        final String defaults;
        try (var in = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
        {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final int sequencerStart = defaults.indexOf("\"sequencer\"");
        final int marketsStart = defaults.indexOf("\"markets\"");
        return defaults.substring(0, sequencerStart) + "\"sequencer\": " + sequencer + ",\n  \"journal\": " + journal +
            ",\n  " + defaults.substring(marketsStart);
    }

    private RollbookConfig load(final String text) throws IOException
    {
        final Path file = directory.resolve("config.json");
        Files.writeString(file, text);
        return RollbookConfig.load(file);
    }

    @Test
    void theDefaultsAreTheSequencersDefaults()
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final Sequencer.Context context = config.sequencerContext(directory);
        assertEquals(65536, context.ringSize());
        assertEquals(2048, context.batchMaxCommands());
        assertEquals(500, context.batchMaxAgeUs());
        assertEquals(100_000, context.snapshotEveryBatches());
        assertEquals(10_000_000, context.snapshotEveryCommands());
        assertFalse(context.snapshotFollower());
        assertEquals(SyncPolicy.NONE, context.syncPolicy());
        assertEquals(Path.of("./data"), config.dataDirectory());
        assertEquals(3, context.genesis().markets().size());
    }

    @Test
    void settingsAreTakenAndBadOnesAreNamed() throws IOException
    {
        final RollbookConfig config = load(withSections(
            "{\"ringSize\": 1024, \"batchMaxCommands\": 100, \"matcherIdleStrategy\": \"sleeping:20\", " +
                "\"snapshotEveryCommands\": 250000, \"snapshotFollower\": true}",
            "{\"dataDir\": \"/var/rollbook\", \"sync\": \"batch\"}"));
        final Sequencer.Context context = config.sequencerContext(config.dataDirectory());
        assertEquals(1024, context.ringSize());
        assertEquals(100, context.batchMaxCommands());
        assertEquals(250_000, context.snapshotEveryCommands());
        assertTrue(context.snapshotFollower());
        assertEquals(SyncPolicy.BATCH, context.syncPolicy());
        assertEquals(Path.of("/var/rollbook"), config.dataDirectory());

        assertMessage("ringSize must be a power of two", withSections("{\"ringSize\": 1000}", "{}"));
        assertMessage("batchMaxAgeUs must be from 1", withSections("{\"batchMaxAgeUs\": 0}", "{}"));
        assertMessage("snapshotEveryCommands must be from 0", withSections("{\"snapshotEveryCommands\": -1}", "{}"));
        assertMessage("sequencer.journalIdleStrategy: unknown idle strategy \"spin\"",
            withSections("{\"journalIdleStrategy\": \"spin\"}", "{}"));
        assertMessage("sequencer.matcherIdleStrategy: idle strategy \"blocking:0\": park time must be 1 to",
            withSections("{\"matcherIdleStrategy\": \"blocking:0\"}", "{}"));
        assertMessage("journal.sync must be \"none\" or \"batch\"", withSections("{}", "{\"sync\": \"always\"}"));
        assertMessage("batchSize", withSections("{\"batchSize\": 5}", "{}"));
    }

    /**
     * The message names the key as written in the file, for every kind of bad value, and a fraction is not taken
     * for a count by dropping its decimals.
     */
    @Test
    void aValueOfTheWrongTypeOrRangeIsNamedByItsKey() throws IOException
    {
        assertMessage("sequencer.ringSize must be a whole number", withSections("{\"ringSize\": 1024.5}", "{}"));
        assertMessage("sequencer.batchMaxCommands must be a whole number",
            withSections("{\"batchMaxCommands\": \"many\"}", "{}"));
        assertMessage("sequencer.ringSize must be a whole number from -2147483648 to 2147483647, got 99999999999999",
            withSections("{\"ringSize\": 99999999999999}", "{}"));
        assertMessage("unknown key \"sequencer.ringSiz\" (the keys there: batchMaxAgeUs, ",
            withSections("{\"ringSiz\": 1024}", "{}"));
        assertMessage("journal.sync must be a string, got an array", withSections("{}", "{\"sync\": [1]}"));
        final String defaults = withSections("{}", "{}");
        assertMessage("markets[1].id must be a whole number",
            defaults.replace("\"id\": 2,", "\"id\": \"two\","));
        final Path absent = directory.resolve("absent.json");
        assertEquals(absent + ": cannot read: no such file or directory",
            assertThrows(ConfigException.class, () -> RollbookConfig.load(absent)).getMessage());
    }

    private void assertMessage(final String expected, final String text)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> load(text));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void commitmentsAreOnUnlessTurnedOffAndABadIdleStrategyIsNamed() throws IOException
    {
        assertTrue(RollbookConfig.defaults().sequencerContext(directory).commitments());
        final String defaults = withSections("{}", "{}");
        final int markets = defaults.indexOf("\"markets\"");
        final RollbookConfig off = load(defaults.substring(0, markets) +
            "\"commitments\": {\"enabled\": false},\n  " + defaults.substring(markets));
        assertEquals(false, off.sequencerContext(directory).commitments());
        final ConfigException bad = assertThrows(ConfigException.class, () -> load(defaults.substring(0, markets) +
            "\"commitments\": {\"idleStrategy\": \"napping\"},\n  " + defaults.substring(markets)));
        assertTrue(bad.getMessage().contains("commitments.idleStrategy: unknown idle strategy \"napping\""),
            bad.getMessage());
    }
}
