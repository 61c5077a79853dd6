package io.rollbook.app.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.bench.load.DemoKeys;
import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RejectReason;

/**
 * {@code rollbook run --demo}: a live market on the service's own binary gateway, through the same doors a real
 * price adapter and real market makers use (DEMO ONLY: it signs with the public demo keys).
 *
 * <ul>
 * <li>The operator session (the demo operator key) sets every market's oracle price, deposits 1,000,000 USDC to
 * each bot's account, then moves the prices every second along a seeded random walk ({@link OracleWalk}).</li>
 * <li>Four market makers ({@link DemoBot}, demo accounts {@value #FIRST_BOT_ACCOUNT} to
 * {@value #LAST_BOT_ACCOUNT}, cancel-on-disconnect on) each take a turn every 150 to 450 ms: quote, cancel or
 * cross.</li>
 * </ul>
 *
 * <p>Paced, never spinning: one thread drives all five connections and parks between turns (at most
 * {@value #MAX_PARK_MS} ms, so every connection is polled well within its keep-alive). A few dozen commands a
 * second: the book is alive, the machine idle. The thread owns every connection; {@link #close} from another thread
 * stops it, ends the sessions (the gateway cancels the bots' quotes) and waits for it.
 */
public final class DemoMarket implements AutoCloseable
{
    public static final int FIRST_BOT_ACCOUNT = 105;
    public static final int LAST_BOT_ACCOUNT = 108;
    private static final long DEPOSIT_MICROS = 1_000_000L * 1_000_000L;
    private static final long ORACLE_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_TURN_NS = TimeUnit.MILLISECONDS.toNanos(150);
    private static final long MAX_TURN_NS = TimeUnit.MILLISECONDS.toNanos(450);
    private static final long MAX_PARK_MS = 10;
    private static final long KEEP_ALIVE_MS = 2_000;
    private static final long SETUP_TIMEOUT_MS = 10_000;

    private final OracleWalk oracle;
    private final SplittableRandom random;
    private final RollbookClient operator;
    private final List<DemoBot> bots;
    private final PrintStream log;
    private final Thread thread;
    private volatile boolean running = true;

    private DemoMarket(
        final OracleWalk oracle,
        final SplittableRandom random,
        final RollbookClient operator,
        final List<DemoBot> bots,
        final PrintStream log)
    {
        this.oracle = oracle;
        this.random = random;
        this.operator = operator;
        this.bots = bots;
        this.log = log;
        this.thread = new Thread(this::run, "rollbook-demo");
        this.thread.setDaemon(true);
    }

    /**
     * Connects the operator and the bots, sets the first oracle prices and funds the bots, then starts the demo
     * thread.
     *
     * @param host    the binary gateway's address
     * @param port    its port
     * @param markets the markets to make alive
     * @param seed    the seed of the price walk and of the bots' choices
     * @param log     where the demo reports trouble
     * @throws io.rollbook.client.ClientException if a session cannot be established (the configuration lacks the
     *                                            demo keys) or the operator's setup is not acknowledged
     */
    public static DemoMarket start(
        final String host, final int port, final List<MarketSpec> markets, final long seed, final PrintStream log)
    {
        if (markets.isEmpty())
        {
            throw new IllegalArgumentException("the demo needs at least one market");
        }
        final DemoKeys keys = DemoKeys.load(null);
        final OracleWalk oracle = new OracleWalk(markets);
        final AtomicLong acks = new AtomicLong();
        final StringBuilder rejected = new StringBuilder();
        final RollbookClient operator = RollbookClient.connect(host, port, new ClientListener()
        {
            @Override
            public void onOperatorAck(final OperatorAckDecoder ack)
            {
                acks.incrementAndGet();
                if (ack.reason() != RejectReason.NULL_VAL && rejected.length() < 200)
                {
                    rejected.append(' ').append(ack.reason());
                }
            }
        });
        final List<DemoBot> bots = new ArrayList<>();
        try
        {
            operator.logon(new Logon(0, keys.operatorKey()).keepAliveMs(KEEP_ALIVE_MS));
            for (int i = 0; i < oracle.marketCount(); i++)
            {
                operator.operatorOraclePrice(oracle.market(i).id(), oracle.priceTicks(i));
            }
            for (int account = FIRST_BOT_ACCOUNT; account <= LAST_BOT_ACCOUNT; account++)
            {
                operator.operatorDeposit(account, DEPOSIT_MICROS);
            }
            operator.flush();
            final long expected = oracle.marketCount() + LAST_BOT_ACCOUNT - FIRST_BOT_ACCOUNT + 1;
            operator.await(() -> acks.get() == expected, SETUP_TIMEOUT_MS, "the operator's acks");
            if (rejected.length() > 0)
            {
                throw new IllegalStateException("the demo operator's setup was rejected:" + rejected);
            }

            final long firstClientOrderId = (System.currentTimeMillis() / 1000) << 28;
            for (int account = FIRST_BOT_ACCOUNT; account <= LAST_BOT_ACCOUNT; account++)
            {
                final int index = account - FIRST_BOT_ACCOUNT;
                final DemoBot bot = new DemoBot(account, oracle, firstClientOrderId + ((long)index << 24),
                    seed * 31 + account);
                bot.client(RollbookClient.connect(host, port, bot));
                bots.add(bot);
                bot.client().logon(new Logon(account, keys.accountKey(keyIndex(keys, account)))
                    .cancelOnDisconnect(true).keepAliveMs(KEEP_ALIVE_MS));
            }
        }
        catch (final RuntimeException ex)
        {
            operator.close();
            for (final DemoBot bot : bots)
            {
                bot.client().close();
            }
            throw ex;
        }
        final DemoMarket demo = new DemoMarket(oracle, new SplittableRandom(seed), operator, bots, log);
        demo.thread.start();
        return demo;
    }

    private static int keyIndex(final DemoKeys keys, final int account)
    {
        for (int i = 0; i < keys.accountCount(); i++)
        {
            if (keys.account(i) == account)
            {
                return i;
            }
        }
        throw new IllegalStateException("the demo keys hold no key for account " + account);
    }

    /**
     * @return one line for the operator: what the demo does
     */
    public String describe()
    {
        final StringBuilder symbols = new StringBuilder();
        for (int i = 0; i < oracle.marketCount(); i++)
        {
            symbols.append(i == 0 ? "" : ", ").append(oracle.market(i).symbol());
        }
        return "oracle price walk every second and " + bots.size() + " market makers (accounts " + FIRST_BOT_ACCOUNT +
            "-" + LAST_BOT_ACCOUNT + ") on " + symbols + ", over the binary gateway (DEMO ONLY)";
    }

    private void run()
    {
        long nextOracleNs = System.nanoTime() + ORACLE_PERIOD_NS;
        final long[] nextTurnNs = new long[bots.size()];
        for (int i = 0; i < nextTurnNs.length; i++)
        {
            nextTurnNs[i] = System.nanoTime() + turn();
        }
        try
        {
            while (running)
            {
                final long now = System.nanoTime();
                if (now - nextOracleNs >= 0)
                {
                    oracle.step(random);
                    for (int i = 0; i < oracle.marketCount(); i++)
                    {
                        operator.operatorOraclePrice(oracle.market(i).id(), oracle.priceTicks(i));
                    }
                    nextOracleNs += ORACLE_PERIOD_NS;
                }
                long nextDueNs = nextOracleNs;
                for (int i = 0; i < bots.size(); i++)
                {
                    if (now - nextTurnNs[i] >= 0)
                    {
                        bots.get(i).act();
                        nextTurnNs[i] = now + turn();
                    }
                    nextDueNs = Math.min(nextDueNs, nextTurnNs[i]);
                }
                poll(operator);
                for (final DemoBot bot : bots)
                {
                    poll(bot.client());
                }
                final long parkNs = Math.min(nextDueNs - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MS));
                if (parkNs > 0)
                {
                    LockSupport.parkNanos(parkNs);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            if (running)
            {
                log.println("demo: stopped: " + ex.getMessage());
            }
        }
        finally
        {
            operator.close();
            for (final DemoBot bot : bots)
            {
                bot.client().close();
            }
        }
    }

    private static void poll(final RollbookClient client)
    {
        client.poll();
        if (!client.isOpen())
        {
            throw new IllegalStateException("a demo connection ended: " + client.disconnectReason());
        }
    }

    private long turn()
    {
        return random.nextLong(MIN_TURN_NS, MAX_TURN_NS);
    }

    /**
     * Stops the demo thread, which ends its sessions (the gateway cancels the bots' quotes), and waits for it.
     */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
