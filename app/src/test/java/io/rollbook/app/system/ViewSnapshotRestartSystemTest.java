package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollbook.bench.load.DemoKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean shutdown leaves a view snapshot, and the next start reads the gateway's views from it (its log says so)
 * rather than from the journal's genesis: {@code rollbook run} in a child JVM takes orders over the trader API (rests,
 * trades, cancels), stops on SIGTERM, starts again on the same data directory, and answers the same order states,
 * open orders, accounts, book and trades as before the restart. After a crash the same holds from the last periodic
 * view snapshot, whose order view stripes were taken over the batches after the one it names, and the journal after
 * it.
 */
@Tag("system")
class ViewSnapshotRestartSystemTest
{
    private static final String MARKET = "BTC-USD";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Orders of account 2 placed while view snapshots are taken, every other one canceled: in every stripe. */
    private static final int FILLER_ORDERS = 400;

    @TempDir
    Path work;

    @Test
    void theRestartReadsTheViewsFromTheShutdownSnapshotAndAnswersAsBefore() throws Exception
    {
        final Path data = work.resolve("data");
        final DemoKeys keys = DemoKeys.load(null);
        final Map<String, String> before;
        try (RunProcess first = RunProcess.start(data))
        {
            final SignedRest rest = new SignedRest("http://127.0.0.1:" + first.port("http:"));
            trade(rest, keys);
            before = answers(rest, keys);
            assertEquals(0, first.terminate(), "exit code after SIGTERM; errors " + first.errors());
        }
        try (Stream<Path> files = Files.list(data.resolve("snapshots")))
        {
            assertEquals(1, files.filter(file -> file.getFileName().toString().startsWith("views-")).count(),
                "the shutdown's view snapshot");
        }

        try (RunProcess second = RunProcess.start(data))
        {
            final SignedRest rest = new SignedRest("http://127.0.0.1:" + second.port("http:"));
            final Map<String, String> after = answers(rest, keys);
            final String errors = second.errors();
            assertTrue(errors.contains("gateway views: view snapshot ") &&
                errors.contains("then 0 command(s) in 0 batch(es) from the journal"), errors);
            assertEquals(0, second.terminate(), "errors " + second.errors());
            for (final Map.Entry<String, String> answer : before.entrySet())
            {
                assertEquals(answer.getValue(), after.get(answer.getKey()), answer.getKey());
            }
        }
    }

    @Test
    void aRestartAfterACrashReadsTheViewsFromAPeriodicSnapshotAndTheJournalAfterIt() throws Exception
    {
        final Path data = work.resolve("data");
        final Path config = work.resolve("rollbook.json");
        writeConfig(config);
        final DemoKeys keys = DemoKeys.load(null);
        final Map<String, String> before;
        try (RunProcess first = RunProcess.start(data, "--config", config.toString()))
        {
            final SignedRest rest = new SignedRest("http://127.0.0.1:" + first.port("http:"));
            trade(rest, keys);
            int placed = 0;
            while (placed < FILLER_ORDERS || !hasViewSnapshot(data))
            {
                assertTrue(placed < 20 * FILLER_ORDERS, "no view snapshot written after " + placed + " orders; " +
                    "errors " + first.errors());
                order(rest, keys, 2, "buy", Integer.toString(40_000 + placed % 500), "0.001", "gtc", "f" + placed);
                if (placed % 2 == 1)
                {
                    rest.send("Rollbook-Account", Integer.toString(keys.account(2)), keys.accountKey(2), "DELETE",
                        "/v1/orders/f" + placed + "?market=" + MARKET, null);
                }
                placed++;
            }
            before = answers(rest, keys);
            for (int i = placed - FILLER_ORDERS; i < placed; i += 7)
            {
                before.put("order f" + i, account(rest, keys, 2, "/v1/orders/f" + i + "?market=" + MARKET)
                    .toString());
            }
            before.put("open orders 2", account(rest, keys, 2, "/v1/orders").toString());
            // Leaving the block kills the service (SIGKILL, RunProcess.close): no shutdown snapshot.
        }

        try (RunProcess second = RunProcess.start(data, "--config", config.toString()))
        {
            final SignedRest rest = new SignedRest("http://127.0.0.1:" + second.port("http:"));
            final Map<String, String> after = answers(rest, keys);
            for (final String key : before.keySet())
            {
                if (key.startsWith("order f"))
                {
                    after.put(key, account(rest, keys, 2, "/v1/orders/" + key.substring(6) + "?market=" + MARKET)
                        .toString());
                }
            }
            after.put("open orders 2", account(rest, keys, 2, "/v1/orders").toString());
            final String errors = second.errors();
            assertTrue(errors.contains("gateway views: view snapshot ") && !errors.contains("not used") &&
                !errors.contains("then 0 command(s)"), errors);
            for (final Map.Entry<String, String> answer : before.entrySet())
            {
                assertEquals(answer.getValue(), after.get(answer.getKey()), answer.getKey());
            }
        }
    }

    /**
     * The embedded configuration with a view snapshot falling due every four batches, so that one is always being
     * taken.
     */
    private static void writeConfig(final Path file) throws IOException
    {
        final ObjectNode config;
        try (InputStream in = ViewSnapshotRestartSystemTest.class.getResourceAsStream("/rollbook-default.json"))
        {
            config = (ObjectNode)JSON.readTree(in);
        }
        ((ObjectNode)config.get("sequencer")).put("viewSnapshotEveryBatches", 4);
        Files.writeString(file, JSON.writeValueAsString(config), StandardCharsets.UTF_8);
    }

    private static boolean hasViewSnapshot(final Path data) throws IOException
    {
        final Path snapshots = data.resolve("snapshots");
        if (!Files.isDirectory(snapshots))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(snapshots))
        {
            return files.anyMatch(file -> file.getFileName().toString().matches("views-[0-9]+\\.snap"));
        }
    }

    /**
     * Account 0 rests five sells and a buy, account 1 buys through two of the sells, account 0 cancels one.
     */
    private static void trade(final SignedRest rest, final DemoKeys keys) throws Exception
    {
        rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST", "/v1/operator/oracle",
            Map.of("market", MARKET, "price", "50000"));
        for (int i = 0; i < 3; i++)
        {
            rest.send("Rollbook-Operator", keys.operatorName(), keys.operatorKey(), "POST", "/v1/operator/deposits",
                Map.of("account", keys.account(i), "amount", "1000000"));
        }
        for (int i = 0; i < 5; i++)
        {
            order(rest, keys, 0, "sell", Integer.toString(50_000 + 10 * i), "0.01", "gtc", "s" + i);
        }
        order(rest, keys, 0, "buy", "49000", "0.02", "gtc", "b0");
        order(rest, keys, 1, "buy", "50010", "0.02", "ioc", "t0");
        rest.send("Rollbook-Account", Integer.toString(keys.account(0)), keys.accountKey(0), "DELETE",
            "/v1/orders/s4?market=" + MARKET, null);
    }

    private static void order(final SignedRest rest, final DemoKeys keys, final int index, final String side,
        final String price, final String size, final String tif, final String clientId) throws Exception
    {
        rest.send("Rollbook-Account", Integer.toString(keys.account(index)), keys.accountKey(index), "POST",
            "/v1/orders", Map.of("market", MARKET, "side", side, "type", "limit", "price", price, "size", size,
                "tif", tif, "clientId", clientId));
    }

    /**
     * @return what the trader API answers, by request
     */
    private static Map<String, String> answers(final SignedRest rest, final DemoKeys keys) throws Exception
    {
        final Map<String, String> answers = new LinkedHashMap<>();
        for (final String clientId : new String[] {"s0", "s1", "s2", "s4", "b0"})
        {
            answers.put("order " + clientId, account(rest, keys, 0, "/v1/orders/" + clientId + "?market=" + MARKET)
                .toString());
        }
        answers.put("order t0", account(rest, keys, 1, "/v1/orders/t0?market=" + MARKET).toString());
        answers.put("open orders", account(rest, keys, 0, "/v1/orders").toString());
        for (int i = 0; i < 2; i++)
        {
            answers.put("account " + i, account(rest, keys, i, "/v1/account").toString());
        }
        answers.put("book", rest.get("/v1/markets/" + MARKET + "/book?depth=10").body());
        answers.put("trades", rest.get("/v1/markets/" + MARKET + "/trades").body());
        assertTrue(answers.get("order s0").contains("filled") && answers.get("order s4").contains("canceled") &&
            answers.get("book").contains("50020"), answers.toString());
        return answers;
    }

    private static JsonNode account(final SignedRest rest, final DemoKeys keys, final int index, final String path)
        throws Exception
    {
        return rest.send("Rollbook-Account", Integer.toString(keys.account(index)), keys.accountKey(index), "GET",
            path, null);
    }
}
