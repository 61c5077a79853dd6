package io.rollbook.matcher.margin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The margin golden scenarios: each {@code golden/margin/<name>.jsonl} holds JSON commands (with {@code #} comments
 * that explain the scenario and derive every figure from docs/MARGIN.md) and {@code <name>.expected.jsonl} the
 * events they must produce, byte for byte, after the fixed genesis below (whose own events are left out). They sit
 * in a directory of their own because they run on that genesis, with round figures, rather than on the default
 * configuration the order-book golden files use.
 *
 * <p>The expected files are written by hand. After a deliberate change of the JSON format, run with
 * {@code -Drollbook.golden.update=true} to rewrite them from the matcher's output, and review the diff.
 */
class MarginGoldenTest
{
    private static final Path GOLDEN = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .resolve("src/test/resources/golden/margin");
    private static final boolean REGENERATE = Boolean.getBoolean("rollbook.golden.update");

    /**
     * The genesis every margin scenario starts from, with round figures so the arithmetic can be checked by hand.
     *
     * <ul>
     *   <li>Fee tier 0: no fees. Tier 1: maker -0.0001 (a rebate), taker 0.0005. Tier 2: maker 0.0002, taker
     *   0.0004.</li>
     *   <li>BTC-USD (id 1): tick 1, lot 1, so one tick-lot is worth v = 1 USDC; I0 = 10%, M = 5%; tiering
     *   B = 10 lots, D = 5 lots, d = 2%; maximum position (and order) 40 lots; market-order band 10%.</li>
     *   <li>SOL-USD (id 2): tick 0.001, lot 0.001, so v = 0.000001 USDC (one micro-USDC), for rounding; I0 = 20%,
     *   M = 10%; no tiering; maximum position 1,000,000 lots (1000 SOL); band 10%.</li>
     * </ul>
     */
    static Genesis genesis()
    {
        return new Genesis(
            List.of(new FeeTierSpec(1, -100, 500), new FeeTierSpec(2, 200, 400)),
            List.of(
                MarketSpec.builder().id(1).symbol("BTC-USD").tickSize("1").lotSize("1")
                    .minSizeLots(1).maxOrderSizeLots(40).maxPositionLots(40).marketOrderBandPpm(100_000)
                    .margin(100_000, 50_000).tiering(10, 5, 20_000).build(),
                MarketSpec.builder().id(2).symbol("SOL-USD").tickSize("0.001").lotSize("0.001")
                    .minSizeLots(1).maxOrderSizeLots(1_000_000).maxPositionLots(1_000_000).marketOrderBandPpm(100_000)
                    .margin(200_000, 100_000).build()),
            List.of());
    }

    static Matcher.Context context()
    {
        return new Matcher.Context()
            .accountCapacity(64)
            .orderCapacity(1_000)
            .maxOpenOrdersPerAccount(100)
            .feeAccount(1)
            .insuranceFundAccount(2);
    }

    static Stream<String> scenarios() throws IOException
    {
        try (Stream<Path> files = Files.list(GOLDEN))
        {
            final List<String> names = new ArrayList<>();
            files.map(path -> path.getFileName().toString())
                .filter(name -> name.endsWith(".jsonl") && !name.endsWith(".expected.jsonl"))
                .sorted()
                .forEach(name -> names.add(name.substring(0, name.length() - ".jsonl".length())));
            assertTrue(names.size() >= 15, "expected the margin scenarios in " + GOLDEN.toAbsolutePath());
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(final String name) throws IOException
    {
        final String actual = run(Files.readAllLines(GOLDEN.resolve(name + ".jsonl"), StandardCharsets.UTF_8));
        final Path expectedFile = GOLDEN.resolve(name + ".expected.jsonl");
        if (REGENERATE)
        {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedFile))
        {
            fail(expectedFile + " is missing; the matcher's output was:\n" + actual);
        }
        final String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        if (!expected.equals(actual))
        {
            final String[] want = expected.split("\n", -1);
            final String[] got = actual.split("\n", -1);
            for (int i = 0; i < Math.max(want.length, got.length); i++)
            {
                final String w = i < want.length ? want[i] : "<end>";
                final String g = i < got.length ? got[i] : "<end>";
                assertEquals(w, g, name + ": first difference at event line " + (i + 1) +
                    "; the matcher's whole output was:\n" + actual);
            }
        }
    }

    /**
     * Runs the command lines (blank lines and {@code #} comments skipped) after the genesis.
     *
     * @return the events of the commands as JSON lines; the genesis's own events are left out
     */
    static String run(final List<String> lines)
    {
        final JsonSimulation simulation = new JsonSimulation(context(), genesis(), new StringBuilder());
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#"))
            {
                simulation.execute(line, i + 1, out);
            }
        }
        return out.toString();
    }
}
