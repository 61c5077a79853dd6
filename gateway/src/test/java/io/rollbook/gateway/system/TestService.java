package io.rollbook.gateway.system;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.GatewayService;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.binary.BinaryGateway;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.sequencer.Sequencer;

/**
 * A real service on loopback for system tests: a sequencer on a temporary data directory, the gateway on an
 * ephemeral port, generated Ed25519 keys for a few accounts and an operator, and helpers to connect, fund and
 * price through the operator session like a real operator would.
 */
final class TestService implements AutoCloseable
{
    static final int BTC = 1;
    static final int ETH = 2;
    static final int ACCOUNTS = 8;
    static final int FIRST_ACCOUNT = 10;
    static final List<MarketSpec> MARKETS = List.of(
        MarketSpec.builder().id(BTC).symbol("BTC-USD").tickSize("0.1").lotSize("0.001").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build(),
        MarketSpec.builder().id(ETH).symbol("ETH-USD").tickSize("0.01").lotSize("0.01").minSizeLots(1)
            .maxOrderSizeLots(100_000).maxPositionLots(100_000_000).marketOrderBandPpm(50_000).build());

    /** Generated once: a service restarted on the same data directory knows the same keys. */
    static final KeyPair[] ACCOUNT_KEYS = new KeyPair[ACCOUNTS];
    static final KeyPair OPERATOR_KEY = Ed25519Keys.generate();

    static
    {
        for (int i = 0; i < ACCOUNTS; i++)
        {
            ACCOUNT_KEYS[i] = Ed25519Keys.generate();
        }
    }

    final Path dataDirectory;
    private final KeyStore keys = accountKeys().operator("test-operator", OPERATOR_KEY.getPublic()).build();
    private final Consumer<BinaryGateway.Context> settings;
    private Consumer<HttpGateway.Context> httpSettings = context -> { };
    private Consumer<Sequencer.Context> sequencerSettings = context -> { };
    private GatewayService service;

    /**
     * @return a builder holding every account's key and no operator's; each service builds a store of its own,
     *         since an operator may replace a running service's keys
     */
    static KeyStore.Builder accountKeys()
    {
        final KeyStore.Builder builder = KeyStore.builder();
        for (int i = 0; i < ACCOUNTS; i++)
        {
            builder.account(FIRST_ACCOUNT + i, ACCOUNT_KEYS[i].getPublic());
        }
        return builder;
    }

    TestService(final Path dataDirectory, final Consumer<BinaryGateway.Context> settings)
    {
        this.dataDirectory = dataDirectory;
        this.settings = settings;
    }

    /**
     * Settings of the HTTP gateway (which every test service runs, on an ephemeral port); before {@link #start}.
     */
    TestService http(final Consumer<HttpGateway.Context> httpSettings)
    {
        this.httpSettings = httpSettings;
        return this;
    }

    /**
     * Settings of the sequencer (a release listener of its own comes before the gateways'); before {@link #start}.
     */
    TestService sequencer(final Consumer<Sequencer.Context> sequencerSettings)
    {
        this.sequencerSettings = sequencerSettings;
        return this;
    }

    TestService(final Path dataDirectory)
    {
        this(dataDirectory, context -> { });
    }

    TestService start() throws InterruptedException
    {
        final Sequencer.Context sequencer = new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(new Matcher.Context().marketCapacity(8).accountCapacity(64).feeAccount(1)
                .insuranceFundAccount(2).orderCapacity(1 << 16).maxOpenOrdersPerAccount(1000))
            .markets(MARKETS)
            .ringSize(4096)
            .snapshotEveryBatches(0);
        sequencerSettings.accept(sequencer);
        final BinaryGateway.Context gateway = new BinaryGateway.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .marketCapacity(8)
            .accountCapacity(64)
            .outboxCapacityBytes(1 << 20);
        settings.accept(gateway);
        final HttpGateway.Context http = new HttpGateway.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .markets(MARKETS)
            .accountCapacity(64)
            .outboxCapacityBytes(1 << 20);
        httpSettings.accept(http);
        service = GatewayService.launch(sequencer, gateway, http, keys, GatewayServer.Transport.AUTO, 1, 10_000);
        return this;
    }

    GatewayService service()
    {
        return service;
    }

    int httpPort()
    {
        return service.httpAddress().getPort();
    }

    int port()
    {
        return service.binaryAddress().getPort();
    }

    RollbookClient connect(final ClientListener listener)
    {
        return RollbookClient.connect("127.0.0.1", port(), listener, 5_000);
    }

    Logon logon(final int account)
    {
        return new Logon(account, ACCOUNT_KEYS[account - FIRST_ACCOUNT].getPrivate()).keepAliveMs(1_000);
    }

    RollbookClient session(final int account, final ClientListener listener)
    {
        final RollbookClient client = connect(listener);
        client.logon(logon(account));
        return client;
    }

    /**
     * Deposits to each account and sets oracle prices through an operator session, waiting for every ack.
     */
    void fundAndPrice(final long micros, final long btcOracleTicks, final long ethOracleTicks, final int... accounts)
    {
        final List<Long> acks = new ArrayList<>();
        final ClientListener listener = new ClientListener()
        {
            @Override
            public void onOperatorAck(final OperatorAckDecoder ack)
            {
                if (ack.reason() != io.rollbook.protocol.orderentry.RejectReason.NULL_VAL)
                {
                    throw new AssertionError("operator command rejected: " + ack.reason());
                }
                acks.add(ack.refSeqNo());
            }
        };
        try (RollbookClient operator = connect(listener))
        {
            operator.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, OPERATOR_KEY.getPrivate()));
            int sent = 0;
            operator.operatorOraclePrice(BTC, btcOracleTicks);
            operator.operatorOraclePrice(ETH, ethOracleTicks);
            sent += 2;
            for (final int account : accounts)
            {
                operator.operatorDeposit(account, micros);
                sent++;
            }
            operator.flush();
            final int expected = sent;
            operator.await(() -> acks.size() == expected, 10_000, "operator acks");
        }
    }

    @Override
    public void close()
    {
        if (service != null)
        {
            service.close();
            service = null;
        }
    }
}
