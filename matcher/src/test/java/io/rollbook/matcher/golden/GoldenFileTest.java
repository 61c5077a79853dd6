package io.rollbook.matcher.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.reference.ReferenceMatcher;
import io.rollbook.matcher.reference.RiskEngineScope;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.json.JsonCommands;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden files: {@code golden/NAME.jsonl} holds commands in the JSON command format (with {@code #} comment lines
 * that explain the scenario), {@code golden/NAME.expected.jsonl} the events they must produce, as
 * {@code rollbook simulate} prints them. Each file runs through {@link JsonSimulation} (the fast matcher), which
 * must print exactly the expected lines, and through the {@link ReferenceMatcher}, which must print exactly the
 * same lines less the {@code error} lines (those commands never reach a matcher) and the events only the risk
 * engine writes (positions, funding, liquidations), which it does not model.
 *
 * <p>Run with {@code -Drollbook.golden.update=true} to rewrite the expected files from the fast matcher's output
 * after a deliberate change of the format, then read the diff before committing it.
 *
 * <p>See {@code golden/README.md} for the configuration the files run on.
 */
class GoldenFileTest
{
    static final String UPDATE_PROPERTY = "rollbook.golden.update";
    private static final String EXPECTED_SUFFIX = ".expected.jsonl";
    private static final Pattern REASON = Pattern.compile("\"reason\":\"([A-Z_]+)\"");
    /**
     * Lines the reference does not print: error lines (the command never reaches a matcher) and the events only the
     * risk engine writes.
     */
    private static final List<String> RISK_ENGINE_EVENTS = List.of("\"type\":\"error\"", "\"type\":\"position\"",
        "\"type\":\"funding\"", "\"type\":\"liquidation\"", "\"type\":\"positionTransferred\"");

    /** Reasons the JSON format cannot provoke: they are covered by {@link BinaryCommandTest}. */
    static final Set<RejectReason> BINARY_ONLY_REJECTIONS = EnumSet.of(
        RejectReason.UNKNOWN_COMMAND,
        RejectReason.UNKNOWN_MARKET,
        RejectReason.INVALID_SIDE,
        RejectReason.INVALID_ORDER_TYPE,
        RejectReason.INVALID_TIME_IN_FORCE,
        RejectReason.INVALID_MARGIN_MODE,
        RejectReason.INVALID_SELF_TRADE_PREVENTION,
        RejectReason.INVALID_FLAGS,
        RejectReason.INVALID_CLIENT_ORDER_ID,
        RejectReason.SIZE_NOT_POSITIVE,
        RejectReason.PRICE_NOT_POSITIVE,
        RejectReason.AMOUNT_NOT_POSITIVE,
        RejectReason.INVALID_MASS_CANCEL_TRIGGER,
        RejectReason.NO_ORDER_ID_GIVEN,
        RejectReason.INVALID_MARKET_DEFINITION,
        RejectReason.MARKET_ALREADY_DEFINED,
        RejectReason.MARKET_CAPACITY_EXHAUSTED,
        RejectReason.MALFORMED_COMMAND);

    /** Cancel reasons only a gateway session can trigger: covered by {@link BinaryCommandTest}. */
    static final Set<CancelReason> BINARY_ONLY_CANCELS =
        EnumSet.of(CancelReason.CANCEL_ON_DISCONNECT, CancelReason.DEAD_MAN_TIMER);

    static Stream<String> goldenFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(GoldenConfig.directory()))
        {
            return files.map(path -> path.getFileName().toString())
                .filter(name -> name.endsWith(".jsonl") && !name.endsWith(EXPECTED_SUFFIX))
                .map(name -> name.substring(0, name.length() - ".jsonl".length()))
                .sorted()
                .toList()
                .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void matcherPrintsTheExpectedEvents(final String name) throws IOException
    {
        final Path directory = GoldenConfig.directory();
        final List<String> input = Files.readAllLines(directory.resolve(name + ".jsonl"), StandardCharsets.UTF_8);
        final Path expectedFile = directory.resolve(name + EXPECTED_SUFFIX);
        final String actual = simulate(input);

        if (Boolean.getBoolean(UPDATE_PROPERTY))
        {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expectedFile), "no " + expectedFile.getFileName() + "; write it by hand from " +
            "docs/MATCHING.md (or run once with -D" + UPDATE_PROPERTY + "=true and check every line)");
        final String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        assertSameLines(name + " (matcher)", expected, actual);
    }

    /**
     * The events are the same bytes whatever the JVM's default locale: in Turkish {@code "LIMIT".toLowerCase()} is
     * "l\u0131m\u0131t" (dotless i), and Arabic or Devanagari locales format numbers with their own digits. An
     * auditor's JVM must print what the operator's printed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("otherLocales")
    void everyGoldenFilePrintsTheSameInAnyDefaultLocale(final String languageTag) throws IOException
    {
        final Locale before = Locale.getDefault();
        try
        {
            Locale.setDefault(Locale.forLanguageTag(languageTag));
            for (final String name : goldenFiles().toList())
            {
                final Path directory = GoldenConfig.directory();
                final List<String> input =
                    Files.readAllLines(directory.resolve(name + ".jsonl"), StandardCharsets.UTF_8);
                final String expected =
                    Files.readString(directory.resolve(name + EXPECTED_SUFFIX), StandardCharsets.UTF_8);
                assertSameLines(name + " (default locale " + languageTag + ")", expected, simulate(input));
            }
        }
        finally
        {
            Locale.setDefault(before);
        }
    }

    static Stream<String> otherLocales()
    {
        return Stream.of("tr-TR", "az-AZ", "ar-EG", "hi-IN-u-nu-deva", "th-TH-u-nu-thai");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFiles")
    void referencePrintsTheExpectedEvents(final String name) throws IOException
    {
        final Path directory = GoldenConfig.directory();
        final List<String> input = Files.readAllLines(directory.resolve(name + ".jsonl"), StandardCharsets.UTF_8);
        final String expected = Files.readString(directory.resolve(name + EXPECTED_SUFFIX), StandardCharsets.UTF_8);
        final StringBuilder bookEvents = new StringBuilder();
        expected.lines()
            .filter(line -> RISK_ENGINE_EVENTS.stream().noneMatch(line::contains))
            .forEach(line -> bookEvents.append(line).append('\n'));

        assertSameLines(name + " (reference)", bookEvents.toString(), simulateOnReference(input));
    }

    /**
     * Every order-book reason JSON can provoke; the risk engine's reasons belong to its own golden files.
     */
    @Test
    void goldenFilesCoverEveryReasonJsonCanReach() throws IOException
    {
        final Set<String> seen = new TreeSet<>();
        for (final String name : goldenFiles().toList())
        {
            final String expected =
                Files.readString(GoldenConfig.directory().resolve(name + EXPECTED_SUFFIX), StandardCharsets.UTF_8);
            final Matcher reason = REASON.matcher(expected);
            while (reason.find())
            {
                seen.add(reason.group(1));
            }
        }

        final List<String> missing = new ArrayList<>();
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL && !BINARY_ONLY_REJECTIONS.contains(reason) &&
                !RiskEngineScope.REJECTIONS.contains(reason) && !seen.contains(reason.name()))
            {
                missing.add(reason.name());
            }
        }
        for (final CancelReason reason : CancelReason.values())
        {
            if (reason != CancelReason.NULL_VAL && !BINARY_ONLY_CANCELS.contains(reason) &&
                !RiskEngineScope.CANCELS.contains(reason) && !seen.contains(reason.name()))
            {
                missing.add(reason.name());
            }
        }
        assertEquals(List.of(), missing, "reasons no golden file shows");
    }

    /**
     * What {@code rollbook simulate} prints for these lines on the golden configuration.
     */
    static String simulate(final List<String> input)
    {
        final StringBuilder out = new StringBuilder();
        final JsonSimulation simulation = new JsonSimulation(GoldenConfig.context(), GoldenConfig.genesis(), out);
        int lineNumber = 0;
        for (final String line : input)
        {
            lineNumber++;
            final String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#"))
            {
                simulation.execute(trimmed, lineNumber, out);
            }
        }

        return out.toString();
    }

    private static String simulateOnReference(final List<String> input)
    {
        final List<MarketSpec> markets = GoldenConfig.markets();
        final ReferenceMatcher reference = new ReferenceMatcher(GoldenConfig.context());
        final JsonCommands commands = new JsonCommands(new MarketDirectory(markets));
        final JsonEvents events = new JsonEvents(new MarketDirectory(markets));
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(64 * 1024);
        final EventWriter writer = new EventWriter();
        final StringBuilder out = new StringBuilder();
        final long[] sequence = {0};
        GoldenConfig.genesis().forEachCommand((buffer, offset, length) ->
        {
            command.putBytes(0, buffer, offset, length);
            executeOnReference(reference, ++sequence[0], command, length, writer, eventBuffer, events, out);
        });
        for (final String line : input)
        {
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            final int length;
            try
            {
                length = commands.encode(trimmed, command, 0);
            }
            catch (final IllegalArgumentException refusedAtTheEdge)
            {
                continue;
            }
            executeOnReference(reference, ++sequence[0], command, length, writer, eventBuffer, events, out);
        }

        return out.toString();
    }

    private static void executeOnReference(
        final ReferenceMatcher reference,
        final long sequence,
        final ExpandableArrayBuffer command,
        final int length,
        final EventWriter writer,
        final ExpandableArrayBuffer eventBuffer,
        final JsonEvents events,
        final StringBuilder out)
    {
        writer.wrap(eventBuffer, 0);
        reference.execute(sequence, 0, command, 0, length, writer);
        int offset = 0;
        while (offset < writer.position())
        {
            offset += events.append(out, sequence, eventBuffer, offset);
            out.append('\n');
        }
    }

    private static void assertSameLines(final String what, final String expected, final String actual)
    {
        if (expected.equals(actual))
        {
            return;
        }
        final List<String> expectedLines = expected.lines().toList();
        final List<String> actualLines = actual.lines().toList();
        int line = 0;
        while (line < expectedLines.size() && line < actualLines.size() &&
            expectedLines.get(line).equals(actualLines.get(line)))
        {
            line++;
        }
        fail(what + ": first difference at output line " + (line + 1) + "\nexpected: " +
            (line < expectedLines.size() ? expectedLines.get(line) : "(end of output)") + "\nactual:   " +
            (line < actualLines.size() ? actualLines.get(line) : "(end of output)") + "\n\nwhole output:\n" + actual);
    }
}
