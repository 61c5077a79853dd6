package io.rollbook.matcher.margin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orders in isolated mode, whose bucket is topped up from cross collateral when they are accepted.
 */
class IsolatedOrderTest
{
    private static final List<String> BOOK = List.of(
        "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"100\"}",
        "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"1000\"}",
        "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"1000\"}",
        "{\"cmd\":\"place\",\"account\":11,\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"100\",\"size\":\"10\"," +
            "\"clientId\":\"s1\"}");

    /**
     * A fill-or-kill order that opens an isolated position is checked as it will trade: with the bucket already
     * topped up to its initial requirement. Checked against an empty bucket, no fill would ever be valid.
     */
    @Test
    void fillOrKillOpeningAnIsolatedPositionFills()
    {
        final String[] events = run("{\"cmd\":\"place\",\"account\":10,\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"100\",\"size\":\"2\",\"clientId\":\"b1\",\"tif\":\"fok\",\"margin\":\"isolated\"}");
        assertTrue(contains(events, "\"type\":\"accepted\"") && contains(events, "\"type\":\"trade\"") &&
            contains(events, "\"takerRemaining\":\"0\""), String.join("\n", events));
    }

    /**
     * The answer to a place is its first event, accepted (docs/MATCHING.md); the bucket's top-up comes after it.
     */
    @Test
    void acceptedComesBeforeTheTopUp()
    {
        final String[] events = run("{\"cmd\":\"place\",\"account\":10,\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"90\",\"size\":\"2\",\"clientId\":\"b1\",\"margin\":\"isolated\"}");
        assertEquals(3, events.length, String.join("\n", events));
        assertTrue(events[0].contains("\"type\":\"accepted\""), events[0]);
        // IMR = 2 lots * 100 * 10% = 20; resting at 90, below the oracle, costs nothing more.
        assertTrue(events[1].contains("\"type\":\"position\"") && events[1].contains("\"isolatedMargin\":\"20\"") &&
            events[1].contains("\"collateral\":\"980\""), events[1]);
        assertTrue(events[2].contains("\"type\":\"resting\""), events[2]);
    }

    /**
     * An amend that raises an isolated order's worst case tops the bucket up after its amended event.
     */
    @Test
    void amendedComesBeforeTheTopUp()
    {
        final String[] events = run(
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"90\",\"size\":\"2\"," +
                "\"clientId\":\"b1\",\"margin\":\"isolated\"}",
            "{\"cmd\":\"amend\",\"account\":10,\"market\":\"BTC-USD\",\"clientId\":\"b1\",\"price\":\"90\",\"size\":\"3\"}");
        final String[] amend = lastCommand(events);
        assertEquals(3, amend.length, String.join("\n", events));
        assertTrue(amend[0].contains("\"type\":\"amended\""), amend[0]);
        // 3 lots: IMR 30, of which 20 are in the bucket already.
        assertTrue(amend[1].contains("\"type\":\"position\"") && amend[1].contains("\"isolatedMargin\":\"30\"") &&
            amend[1].contains("\"collateral\":\"970\""), amend[1]);
        assertTrue(amend[2].contains("\"type\":\"resting\""), amend[2]);
    }

    private static String[] run(final String... commands)
    {
        final List<String> lines = new ArrayList<>(BOOK);
        lines.addAll(List.of(commands));
        final String out = MarginGoldenTest.run(lines);
        final String[] all = out.split("\n");
        // The events of the commands given here: those after the book's set-up (seq 5 to 8).
        final List<String> mine = new ArrayList<>();
        for (final String line : all)
        {
            final long seq = Long.parseLong(line.substring("{\"seq\":".length(), line.indexOf(',')));
            if (seq > 8)
            {
                mine.add(line);
            }
        }
        return mine.toArray(new String[0]);
    }

    private static String[] lastCommand(final String[] events)
    {
        final String last = events[events.length - 1];
        final String prefix = last.substring(0, last.indexOf(','));
        return Arrays.stream(events).filter(line -> line.startsWith(prefix + ",")).toArray(String[]::new);
    }

    private static boolean contains(final String[] events, final String text)
    {
        for (final String event : events)
        {
            if (event.contains(text))
            {
                return true;
            }
        }
        return false;
    }
}
