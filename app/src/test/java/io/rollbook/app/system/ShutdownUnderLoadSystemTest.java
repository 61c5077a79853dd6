package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.app.RollbookMain;
import io.rollbook.app.journal.JournalDump;
import io.rollbook.bench.load.DemoKeys;
import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.journal.JournalCursor;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while binary sessions and REST clients send orders as fast as they are taken: {@code rollbook run} in a
 * child JVM ends every session with a Terminate that says why, answers every REST request it took (or refuses it
 * with a 503 that says why, or refuses the connection), drains and exits 0 within the documented bound, and every
 * order a client saw acknowledged is in the journal with the result the client was told. Restarted, the service
 * replays nothing, has the state it stopped with, and answers for the orders resting there as it did before.
 *
 * <p>Orders never cross (buys below the oracle price, sells above), so each one's result is its own: resting, or
 * rejected once its account holds its maximum of open orders.
 */
@Tag("system")
class ShutdownUnderLoadSystemTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STOPPED = Pattern.compile("^stopped: .*up to sequence (\\d+), " +
        "snapshot at sequence \\1, journal closed; state hash ([0-9a-f]{64}); exit 0$");
    private static final Pattern RECOVERY = Pattern.compile(
        "^recovery: (\\d+) command\\(s\\) replayed .*; last sequence (\\d+); state hash ([0-9a-f]{64})$");
    private static final int BTC = 1;
    private static final long ORACLE_TICKS = 500_000;
    /** Orders acknowledged by each sender before SIGTERM, so that the signal comes in full flow. */
    private static final int ACKS_BEFORE_SIGTERM = 300;
    /** The sequencer's drain bound (docs/OPERATIONS.md) plus the time to end sessions, snapshot and exit. */
    private static final long STOP_DEADLINE_NS = TimeUnit.SECONDS.toNanos(75);
    private static final int BINARY_SENDERS = 2;
    private static final int REST_SENDERS = 2;
    /** Orders a binary sender has unanswered at most, as a market maker pipelines them. */
    private static final int WINDOW = 64;

    @TempDir
    Path work;

    /** What a client was told about one order: the account, its client id, resting (with the order id) or not. */
    private record Ack(int account, long clientId, boolean resting, long orderId, String via)
    {
    }

    @Test
    void everyAcknowledgedOrderSurvivesSigtermUnderFullLoad() throws Exception
    {
        final Path data = work.resolve("data");
        final DemoKeys keys = DemoKeys.load(null);
        final Map<String, Ack> acks = new ConcurrentHashMap<>();
        final List<String> terminations = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean signalled = new AtomicBoolean();
        final List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        final String stoppedHash;
        final long stoppedSequence;
        try (RunProcess run = RunProcess.start(data))
        {
            final int binaryPort = run.port("binary:");
            final String baseUrl = "http://127.0.0.1:" + run.port("http:");
            fund(binaryPort, keys);

            final List<Thread> senders = new ArrayList<>();
            final List<AtomicInteger> counts = new ArrayList<>();
            for (int i = 0; i < BINARY_SENDERS + REST_SENDERS; i++)
            {
                final int index = i;
                final AtomicInteger count = new AtomicInteger();
                counts.add(count);
                final Runnable body = i < BINARY_SENDERS ?
                    () -> sendBinary(binaryPort, keys, index, acks, count, terminations) :
                    () -> sendRest(baseUrl, keys, index, acks, count, signalled, unanswered);
                final Thread sender = new Thread(() ->
                {
                    try
                    {
                        body.run();
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "sender-" + i);
                sender.start();
                senders.add(sender);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (counts.stream().anyMatch(count -> count.get() < ACKS_BEFORE_SIGTERM) && failure.get() == null)
            {
                assertTrue(System.nanoTime() < deadline, "acknowledgements before SIGTERM: " + counts);
                Thread.sleep(5);
            }
            assertEquals(null, failure.get(), "a sender failed before SIGTERM");
            signalled.set(true);
            final long signalNs = System.nanoTime();
            final int exitCode = run.terminate();
            final long stopNs = System.nanoTime() - signalNs;
            assertEquals(0, exitCode, "exit code after SIGTERM under load; errors " + run.errors());
            assertTrue(stopNs < STOP_DEADLINE_NS, "stopped " + TimeUnit.NANOSECONDS.toMillis(stopNs) + " ms after " +
                "SIGTERM");
            for (final Thread sender : senders)
            {
                sender.join(TimeUnit.SECONDS.toMillis(40));
                assertFalse(sender.isAlive(), sender.getName() + " still waits for an answer after the service ended");
            }
            if (failure.get() != null)
            {
                throw new AssertionError("a sender failed", failure.get());
            }
            synchronized (terminations)
            {
                assertEquals(BINARY_SENDERS, terminations.size(), "a Terminate for every session: " + terminations);
                for (final String termination : terminations)
                {
                    assertTrue(termination.startsWith(TerminationCode.SERVER_SHUTDOWN + ": ") &&
                        termination.length() > (TerminationCode.SERVER_SHUTDOWN + ": ").length(), termination);
                }
            }
            final Matcher stopped = STOPPED.matcher(run.awaitLine("stopped:"));
            assertTrue(stopped.matches(), run.lines().toString());
            stoppedSequence = Long.parseLong(stopped.group(1));
            stoppedHash = stopped.group(2);
        }
        final Map<String, long[]> journaled = journaledOrders(data);
        int resting = 0;
        for (final Ack ack : acks.values())
        {
            final long[] result = journaled.get(key(ack.account(), ack.clientId()));
            assertNotNull(result, ack + " was acknowledged and is not in the journal");
            assertEquals(ack.resting() ? ack.orderId() : -1, result[0], ack + " has another result in the journal");
            resting += ack.resting() ? 1 : 0;
        }
        for (final String request : unanswered)
        {
            assertFalse(journaled.containsKey(request.substring(0, request.indexOf(' '))), "order " + request +
                " was done, and its request, taken before the service stopped, was left without an answer");
        }
        assertTrue(resting > 0 && resting < acks.size(), "both results were acknowledged: " + resting + " resting of " +
            acks.size());

        try (RunProcess second = RunProcess.start(data))
        {
            final Matcher recovery = RECOVERY.matcher(second.awaitLine("recovery:"));
            assertTrue(recovery.matches(), second.lines().toString());
            assertEquals("0", recovery.group(1), "commands replayed after a shutdown under load");
            assertEquals(stoppedSequence, Long.parseLong(recovery.group(2)));
            assertEquals(stoppedHash, recovery.group(3));
            final SignedRest rest = new SignedRest("http://127.0.0.1:" + second.port("http:"));
            final Map<String, Long> open = new HashMap<>();
            for (int i = 0; i < BINARY_SENDERS + REST_SENDERS; i++)
            {
                final JsonNode orders = rest.send("Rollbook-Account", Integer.toString(keys.account(i)),
                    keys.accountKey(i), "GET", "/v1/orders", null).get("orders");
                for (final JsonNode order : orders)
                {
                    open.put(key(keys.account(i), order.get("clientId").asLong()), order.get("orderId").asLong());
                }
            }
            for (final Ack ack : acks.values())
            {
                if (ack.resting())
                {
                    assertEquals(ack.orderId(), open.get(key(ack.account(), ack.clientId())), ack + " after the restart");
                }
            }
            assertEquals(0, second.terminate(), "errors " + second.errors());
        }
        assertEquals(0, RollbookMain.commandLine().execute("audit", "--data", data.toString(), "--quiet"));
    }

    private static String key(final int account, final long clientId)
    {
        return account + "/" + clientId;
    }

    /**
     * @return for each order of the journal (account and client id): its order id if it rested, -1 if it was rejected
     */
    private static Map<String, long[]> journaledOrders(final Path data) throws IOException
    {
        final StringWriter text = new StringWriter();
        try (JournalCursor cursor = JournalCursor.open(data))
        {
            new JournalDump(cursor, text).dump(1, Long.MAX_VALUE);
        }
        final Map<String, long[]> orders = new HashMap<>();
        for (final String line : text.toString().split("\n"))
        {
            final String trimmed = line.trim();
            if (!trimmed.startsWith("{\"seq\""))
            {
                continue;
            }
            final JsonNode event = JSON.readTree(trimmed);
            final String type = event.get("type").asText();
            if (event.hasNonNull("clientId") && (type.equals("resting") || type.equals("rejected")))
            {
                orders.put(key(event.get("account").asInt(), event.get("clientId").asLong()),
                    new long[] {type.equals("resting") ? event.get("orderId").asLong() : -1});
            }
        }
        return orders;
    }

    /** Prices BTC-USD and funds the senders' accounts; waits for the operator's acks. */
    private static void fund(final int port, final DemoKeys keys)
    {
        final AtomicInteger operatorAcks = new AtomicInteger();
        try (RollbookClient operator = RollbookClient.connect("127.0.0.1", port, new ClientListener()
        {
            @Override
            public void onOperatorAck(final OperatorAckDecoder ack)
            {
                operatorAcks.incrementAndGet();
            }
        }))
        {
            operator.logon(new Logon(0, keys.operatorKey()));
            operator.operatorOraclePrice(BTC, ORACLE_TICKS);
            for (int i = 0; i < BINARY_SENDERS + REST_SENDERS; i++)
            {
                operator.operatorDeposit(keys.account(i), 100_000_000_000L);
            }
            operator.flush();
            operator.await(() -> operatorAcks.get() == 1 + BINARY_SENDERS + REST_SENDERS, 10_000, "the operator's acks");
        }
    }

    /** Tenths of a dollar 1,000 to 1,999 below the oracle price for buys, above it for sells. */
    private static long priceTicks(final long clientId)
    {
        final long offset = 10_000 + clientId % 10_000;
        return clientId % 2 == 0 ? ORACLE_TICKS - offset : ORACLE_TICKS + offset;
    }

    /**
     * Sends orders as fast as the connection takes them until the session ends; records every acknowledgement and
     * the Terminate.
     */
    private static void sendBinary(final int port, final DemoKeys keys, final int index, final Map<String, Ack> acks,
        final AtomicInteger count, final List<String> terminations)
    {
        final int account = keys.account(index);
        final AtomicInteger busy = new AtomicInteger();
        try (RollbookClient client = RollbookClient.connect("127.0.0.1", port, new ClientListener()
        {
            @Override
            public void onExecutionRested(final ExecutionRestedDecoder report)
            {
                acks.put(key(account, report.clientOrderId()),
                    new Ack(account, report.clientOrderId(), true, report.orderId(), "binary"));
                count.incrementAndGet();
            }

            @Override
            public void onExecutionRejected(final ExecutionRejectedDecoder report)
            {
                acks.put(key(account, report.clientOrderId()),
                    new Ack(account, report.clientOrderId(), false, -1, "binary"));
                count.incrementAndGet();
            }

            @Override
            public void onBusinessReject(final BusinessRejectDecoder reject)
            {
                busy.incrementAndGet();
            }

            @Override
            public void onTerminated(final TerminationCode code, final String text)
            {
                synchronized (terminations)
                {
                    terminations.add(code + ": " + text);
                }
            }
        }))
        {
            client.logon(new Logon(account, keys.accountKey(index)));
            long clientId = 1;
            while (client.isOpen())
            {
                if (clientId - 1 - count.get() - busy.get() < WINDOW &&
                    client.newLimitOrder(clientId, BTC, clientId % 2 == 0 ? Side.BUY : Side.SELL, priceTicks(clientId),
                        10, TimeInForce.GTC) >= 0)
                {
                    clientId++;
                }
                else
                {
                    client.poll(1);
                }
            }
        }
    }

    /**
     * Places orders one request after another until the service refuses the connection; records every answer that
     * acknowledges an order. Each answer is a 200 or 422 with the order's result, a 429 of the rate limit, or a 503
     * that says why; a request without an answer fails the sender, unless the service was being stopped.
     */
    private static void sendRest(final String baseUrl, final DemoKeys keys, final int index,
        final Map<String, Ack> acks, final AtomicInteger count, final AtomicBoolean signalled, final List<String> unanswered)
    {
        final int account = keys.account(index);
        final SignedRest rest = new SignedRest(baseUrl);
        for (long clientId = 1; ; clientId++)
        {
            final Map<String, Object> body = Map.of("market", "BTC-USD", "side", clientId % 2 == 0 ? "buy" : "sell",
                "type", "limit", "price", priceTicks(clientId) / 10 + "." + priceTicks(clientId) % 10, "size", "0.001",
                "clientId", clientId);
            final HttpResponse<String> response;
            try
            {
                response = rest.request("Rollbook-Account", Integer.toString(account), keys.accountKey(index), "POST",
                    "/v1/orders", body);
            }
            catch (final IOException ex)
            {
                if (signalled.get())
                {
                    unanswered.add(key(account, clientId) + " (" + ex + ")");
                    return;
                }
                throw new AssertionError("POST /v1/orders without an answer before SIGTERM", ex);
            }
            catch (final Exception ex)
            {
                throw new AssertionError(ex);
            }
            final int status = response.statusCode();
            if (status == 200)
            {
                final JsonNode answer = readTree(response.body());
                assertEquals("open", answer.get("status").asText(), response.body());
                acks.put(key(account, clientId), new Ack(account, clientId, true, answer.get("orderId").asLong(),
                    "rest"));
                count.incrementAndGet();
            }
            else if (status == 422 && response.body().contains("\"seq\""))
            {
                acks.put(key(account, clientId), new Ack(account, clientId, false, -1, "rest"));
                count.incrementAndGet();
            }
            else
            {
                assertTrue(status == 429 || status == 422 || (status == 503 && signalled.get() && response.body().contains("\"code\"")),
                    "POST /v1/orders answered " + status + ": " + response.body());
            }
        }
    }

    private static JsonNode readTree(final String body)
    {
        try
        {
            return JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(body, ex);
        }
    }
}
