package io.rollbook.matcher.margin;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.matcher.Matcher;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maxMakersPerTaker}: an incoming order meets at most that many resting orders in one command (filled, or
 * canceled by self-trade prevention, reduce-only or margin); if the next one still crosses, its remainder is
 * canceled ({@code MATCH_LIMIT}), whatever its time in force, since it may not rest across the book. A fill-or-kill
 * is judged by the same count. On the margin genesis, with a limit of 3 and five one-lot asks at 101 to 105.
 */
class MakersLimitTest
{
    private static final int LIMIT = 3;
    private static final List<String> BOOK = List.of(
        "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"100\"}",
        "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"10000\"}",
        "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"10000\"}",
        "{\"cmd\":\"deposit\",\"account\":12,\"amount\":\"10000\"}",
        ask(11, "101", "a1"), ask(11, "102", "a2"), ask(11, "103", "a3"), ask(11, "104", "a4"), ask(11, "105", "a5"));

    @Test
    void aTakerStopsAtTheLimitAndItsRemainderIsCanceledThoughItIsGoodTillCanceled()
    {
        final List<String> events = last(run(LIMIT, bid(10, "110", "5", "b1", "")));

        assertEquals(3, count(events, "\"type\":\"trade\""), String.join("\n", events));
        final String fate = events.get(events.size() - 1);
        assertTrue(fate.contains("\"type\":\"canceled\"") && fate.contains("\"reason\":\"MATCH_LIMIT\"") &&
            fate.contains("\"size\":\"2\"") && fate.contains("\"wasResting\":false"), fate);
        assertEquals(0, count(events, "\"type\":\"resting\""));
    }

    @Test
    void theMakersBeyondTheLimitStayInTheBookForTheNextTaker()
    {
        final List<String> events = last(run(LIMIT, bid(10, "110", "5", "b1", ""), bid(12, "110", "2", "c1", "")));

        assertEquals(2, count(events, "\"type\":\"trade\""), String.join("\n", events));
        assertTrue(events.stream().anyMatch(e -> e.contains("\"type\":\"trade\"") && e.contains("\"price\":\"104\"")));
        assertTrue(events.stream().anyMatch(e -> e.contains("\"type\":\"trade\"") && e.contains("\"price\":\"105\"")));
    }

    @Test
    void reachingTheLimitWhereTheBookNoLongerCrossesIsNoStop()
    {
        final List<String> events = last(run(LIMIT, bid(10, "103", "4", "b1", "")));

        assertEquals(3, count(events, "\"type\":\"trade\""), String.join("\n", events));
        assertTrue(events.get(events.size() - 1).contains("\"type\":\"resting\""), String.join("\n", events));
        assertEquals(0, count(events, "MATCH_LIMIT"));
    }

    @Test
    void noLimitSweepsEveryCrossingMaker()
    {
        final List<String> events = last(run(0, bid(10, "110", "5", "b1", "")));

        assertEquals(5, count(events, "\"type\":\"trade\""), String.join("\n", events));
        assertEquals(0, count(events, "MATCH_LIMIT"));
    }

    @Test
    void aFillOrKillThatNeedsMoreMakersThanTheLimitIsKilledAndOneThatNeedsFewerFills()
    {
        final List<String> killed = last(run(LIMIT, bid(10, "110", "4", "b1", ",\"tif\":\"fok\"")));
        assertEquals(1, killed.size(), String.join("\n", killed));
        assertTrue(killed.get(0).contains("\"reason\":\"FOK_NOT_FILLABLE\""), killed.get(0));
        assertEquals(0, count(killed, "\"type\":\"trade\""));

        final List<String> filled = last(run(LIMIT, bid(10, "110", "3", "b1", ",\"tif\":\"fok\"")));
        assertEquals(3, count(filled, "\"type\":\"trade\""), String.join("\n", filled));
        assertEquals(0, count(filled, "\"type\":\"canceled\""));
    }

    /**
     * Own orders canceled by self-trade prevention count: the limit bounds the work of a command, whatever it does to
     * each maker.
     */
    @Test
    void makersCanceledBySelfTradePreventionCount()
    {
        final List<String> events = last(run(LIMIT, ask(10, "100", "o1"), ask(10, "100", "o2"),
            bid(10, "110", "3", "b1", ",\"stp\":\"expireMaker\"")));

        assertEquals(2, count(events, "\"reason\":\"SELF_TRADE_PREVENTION\""), String.join("\n", events));
        assertEquals(1, count(events, "\"type\":\"trade\""));
        assertTrue(events.get(events.size() - 1).contains("\"reason\":\"MATCH_LIMIT\""), String.join("\n", events));
    }

    @Test
    void anAmendThatCrossesIsHeldToTheLimit()
    {
        final List<String> events = last(run(LIMIT, bid(10, "99", "5", "b1", ""),
            "{\"cmd\":\"amend\",\"account\":10,\"market\":\"BTC-USD\",\"clientId\":\"b1\",\"price\":\"110\",\"size\":\"5\"}"));

        assertTrue(events.get(0).contains("\"type\":\"amended\""), events.get(0));
        assertEquals(3, count(events, "\"type\":\"trade\""), String.join("\n", events));
        assertTrue(events.get(events.size() - 1).contains("\"reason\":\"MATCH_LIMIT\""), String.join("\n", events));
    }

    /**
     * A liquidation must close what it can: its order is not held to the limit. The scenario of the margin golden
     * file {@code liquidation-book}, with the bids split into five orders of 2 at 95: at an oracle of 94 account 10's
     * 10 lots are sold to all five of them.
     */
    @Test
    void aLiquidationOrderIsNotHeldToTheLimit()
    {
        final List<String> commands = new ArrayList<>(List.of(
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"100\"}",
            "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"100\"}",
            "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"1000\"}",
            "{\"cmd\":\"deposit\",\"account\":12,\"amount\":\"1000\"}",
            "{\"cmd\":\"place\",\"account\":11,\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"100\"," +
                "\"size\":\"10\",\"clientId\":\"s1\"}",
            bid(10, "100", "10", "b1", "")));
        for (int i = 0; i < 5; i++)
        {
            commands.add(bid(12, "95", "2", "bid" + i, ""));
        }
        commands.add("{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"94\"}");

        final List<String> events = last(execute(LIMIT, commands));

        assertEquals(1, count(events, "\"type\":\"liquidation\""), String.join("\n", events));
        assertEquals(5, count(events, "\"type\":\"trade\""), String.join("\n", events));
        assertEquals(0, count(events, "MATCH_LIMIT"));
    }

    @Test
    void aSnapshotKeepsTheLimit()
    {
        final Matcher matcher = simulation(LIMIT).matcher();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
        final int length = matcher.writeSnapshot(buffer, 0);

        assertEquals(LIMIT, Matcher.readSnapshot(buffer, 0, length).context().maxMakersPerTaker());
    }

    /**
     * A snapshot of version 1 has no makers limit in its context (magic, version, then six context fields): it is of
     * a matcher without one, and reads as that matcher, state and all.
     */
    @Test
    void aSnapshotOfVersionOneIsAMatcherWithoutTheLimit()
    {
        final JsonSimulation simulation = simulation(0);
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < BOOK.size(); i++)
        {
            simulation.execute(BOOK.get(i), i + 1, out);
        }
        final Matcher matcher = simulation.matcher();
        final ExpandableArrayBuffer current = new ExpandableArrayBuffer(1 << 16);
        final int length = matcher.writeSnapshot(current, 0);
        final int limitOffset = Long.BYTES + Integer.BYTES + 6 * Integer.BYTES;
        final ExpandableArrayBuffer first = new ExpandableArrayBuffer(1 << 16);
        first.putBytes(0, current, 0, limitOffset);
        first.putBytes(limitOffset, current, limitOffset + Integer.BYTES, length - limitOffset - Integer.BYTES);
        first.putInt(Long.BYTES, 1, ByteOrder.LITTLE_ENDIAN);

        final Matcher loaded = Matcher.readSnapshot(first, 0, length - Integer.BYTES);
        assertEquals(0, loaded.context().maxMakersPerTaker());
        assertArrayEquals(matcher.stateHash(), loaded.stateHash());
    }

    private static JsonSimulation simulation(final int maxMakersPerTaker)
    {
        return new JsonSimulation(MarginGoldenTest.context().maxMakersPerTaker(maxMakersPerTaker),
            MarginGoldenTest.genesis(), new StringBuilder());
    }

    private static String ask(final int account, final String price, final String clientId)
    {
        return "{\"cmd\":\"place\",\"account\":" + account + ",\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"" +
            price + "\",\"size\":\"1\",\"clientId\":\"" + clientId + "\"}";
    }

    private static String bid(
        final int account, final String price, final String size, final String clientId, final String more)
    {
        return "{\"cmd\":\"place\",\"account\":" + account + ",\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"" +
            price + "\",\"size\":\"" + size + "\",\"clientId\":\"" + clientId + "\"" + more + "}";
    }

    /**
     * @return the event lines of every command, the book's set-up included
     */
    private static List<String> run(final int maxMakersPerTaker, final String... commands)
    {
        final List<String> lines = new ArrayList<>(BOOK);
        lines.addAll(List.of(commands));
        return execute(maxMakersPerTaker, lines);
    }

    /**
     * @return the event lines of every command
     */
    private static List<String> execute(final int maxMakersPerTaker, final List<String> lines)
    {
        final JsonSimulation simulation = simulation(maxMakersPerTaker);
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++)
        {
            assertTrue(simulation.execute(lines.get(i), i + 1, out), lines.get(i) + "\n" + out);
        }
        return List.of(out.toString().split("\n"));
    }

    /**
     * @return the events of the last command
     */
    private static List<String> last(final List<String> events)
    {
        final String line = events.get(events.size() - 1);
        final String prefix = line.substring(0, line.indexOf(',') + 1);
        return events.stream().filter(event -> event.startsWith(prefix)).toList();
    }

    private static int count(final List<String> events, final String text)
    {
        return (int)events.stream().filter(event -> event.contains(text)).count();
    }
}
