package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.app.RollbookMain;
import io.rollbook.bench.load.DemoKeys;
import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM is a clean shutdown: {@code rollbook run} in a child JVM takes commands over the binary gateway, gets
 * SIGTERM, ends the sessions, drains, journals, snapshots and exits 0 with a {@code stopped:} line; started again on
 * the same data directory it replays nothing and recovers the very state it stopped with (same state hash), and the
 * audit passes on the journal.
 */
@Tag("system")
class GracefulShutdownSystemTest
{
    private static final Pattern STOPPED = Pattern.compile("^stopped: .*up to sequence (\\d+), " +
        "snapshot at sequence \\1, journal closed; state hash ([0-9a-f]{64}); exit 0$");
    private static final Pattern RECOVERY = Pattern.compile(
        "^recovery: (\\d+) command\\(s\\) replayed .*; last sequence (\\d+); state hash ([0-9a-f]{64})$");
    private static final int BTC = 1;

    @TempDir
    Path work;

    @Test
    void sigtermDrainsJournalsAndSnapshotsSoARestartReplaysNothing() throws Exception
    {
        final Path data = work.resolve("data");
        final String stoppedHash;
        final long stoppedSequence;
        try (RunProcess first = RunProcess.start(data))
        {
            assertEquals("0", recovery(first).group(1));
            trade(first.port("binary:"));
            assertEquals(0, first.terminate(), "exit code after SIGTERM; errors " + first.errors());
            final Matcher stopped = stopped(first);
            stoppedSequence = Long.parseLong(stopped.group(1));
            stoppedHash = stopped.group(2);
            assertTrue(stoppedSequence > 10, "the genesis commands and the trades were sequenced: " + stoppedSequence);
        }

        try (RunProcess second = RunProcess.start(data))
        {
            final Matcher recovery = recovery(second);
            assertEquals("0", recovery.group(1), "commands replayed after a clean shutdown");
            assertEquals(stoppedSequence, Long.parseLong(recovery.group(2)));
            assertEquals(stoppedHash, recovery.group(3), "the state recovered is the state the first run stopped with");
            assertEquals(0, second.terminate(), "errors " + second.errors());
            final Matcher stopped = stopped(second);
            assertEquals(stoppedSequence, Long.parseLong(stopped.group(1)));
            assertEquals(stoppedHash, stopped.group(2));
        }

        assertEquals(0, RollbookMain.commandLine().execute("audit", "--data", data.toString(), "--quiet"),
            "the audit of the journal both runs wrote");
    }

    private static Matcher recovery(final RunProcess run) throws InterruptedException
    {
        final String line = run.awaitLine("recovery:");
        final Matcher recovery = RECOVERY.matcher(line);
        assertTrue(recovery.matches(), line);
        return recovery;
    }

    private static Matcher stopped(final RunProcess run) throws InterruptedException
    {
        final List<String> lines = run.lines();
        final String line = run.awaitLine("stopped:");
        final Matcher stopped = STOPPED.matcher(line);
        assertTrue(stopped.matches(), line + "\n" + lines);
        assertEquals(line, lines.get(lines.size() - 1), "the stopped line is the last");
        return stopped;
    }

    /**
     * The operator prices BTC-USD and funds two demo accounts; one rests five sell orders, the other buys through
     * two of them. Waits for every answer, so everything was released (hence journaled) before SIGTERM.
     */
    private static void trade(final int port)
    {
        final DemoKeys keys = DemoKeys.load(null);
        final AtomicInteger acks = new AtomicInteger();
        try (RollbookClient operator = RollbookClient.connect("127.0.0.1", port, new ClientListener()
        {
            @Override
            public void onOperatorAck(final OperatorAckDecoder ack)
            {
                acks.incrementAndGet();
            }
        }))
        {
            operator.logon(new Logon(0, keys.operatorKey()));
            operator.operatorOraclePrice(BTC, 500_000);
            operator.operatorDeposit(keys.account(0), 100_000_000_000L);
            operator.operatorDeposit(keys.account(1), 100_000_000_000L);
            operator.flush();
            operator.await(() -> acks.get() == 3, 10_000, "the operator's acks");
        }
        final AtomicInteger rested = new AtomicInteger();
        final AtomicInteger makerFills = new AtomicInteger();
        final AtomicInteger takerFills = new AtomicInteger();
        try (RollbookClient maker = RollbookClient.connect("127.0.0.1", port, new ClientListener()
        {
            @Override
            public void onExecutionRested(final ExecutionRestedDecoder report)
            {
                rested.incrementAndGet();
            }

            @Override
            public void onExecutionTrade(final ExecutionTradeDecoder report)
            {
                makerFills.incrementAndGet();
            }
        });
            RollbookClient taker = RollbookClient.connect("127.0.0.1", port, new ClientListener()
            {
                @Override
                public void onExecutionTrade(final ExecutionTradeDecoder report)
                {
                    takerFills.incrementAndGet();
                }
            }))
        {
            maker.logon(new Logon(keys.account(0), keys.accountKey(0)));
            taker.logon(new Logon(keys.account(1), keys.accountKey(1)));
            for (int i = 0; i < 5; i++)
            {
                maker.newLimitOrder(1_000 + i, BTC, Side.SELL, 500_000 + 10 * i, 100, TimeInForce.GTC);
            }
            maker.flush();
            maker.await(() -> rested.get() == 5, 10_000, "five resting sells");
            taker.newLimitOrder(2_000, BTC, Side.BUY, 500_010, 200, TimeInForce.IOC);
            taker.flush();
            taker.await(() -> takerFills.get() == 2, 10_000, "the taker's two fills");
            maker.await(() -> makerFills.get() == 2, 10_000, "the maker's two fills");
        }
    }
}
