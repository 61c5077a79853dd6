package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static io.rollbook.gateway.system.TestService.ETH;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateways' gauges follow connections, logons and subscriptions, binary and WebSocket, as they come and go, and
 * the service's registry holds the sequencer's metrics beside them.
 */
@Tag("system")
class GatewayMetricsSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void gaugesFollowConnectionsSessionsAndSubscriptions() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final MetricsRegistry registry = new MetricsRegistry();
            service.service().registerMetrics(registry);
            awaitLine(registry, "rollbook_gateway_connections{protocol=\"binary\"} 0");
            service.fundAndPrice(1_000_000_000L, 500_000, 30_000, 10);
            awaitLine(registry, "rollbook_commands_total{type=\"deposit\"} 1");
            awaitLine(registry, "rollbook_commands_total{type=\"oracle\"} 2");

            try (RollbookClient trader = service.session(10, new ClientListener()
            {
            });
                RollbookClient reader = service.connect(new ClientListener()
                {
                }))
            {
                reader.subscribe(BTC);
                reader.subscribe(ETH);
                reader.flush();
                awaitLine(registry, "rollbook_gateway_connections{protocol=\"binary\"} 2");
                awaitLine(registry, "rollbook_gateway_sessions{protocol=\"binary\"} 1");
                awaitLine(registry, "rollbook_gateway_market_data_subscriptions{protocol=\"binary\"} 2");
                trader.close();
                awaitLine(registry, "rollbook_gateway_sessions{protocol=\"binary\"} 0");
                awaitLine(registry, "rollbook_gateway_connections{protocol=\"binary\"} 1");
            }
            awaitLine(registry, "rollbook_gateway_market_data_subscriptions{protocol=\"binary\"} 0");
            awaitLine(registry, "rollbook_gateway_connections{protocol=\"binary\"} 0");

            try (WsClient ws = new WsClient(service.httpPort()))
            {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
                ws.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"ETH-USD\"}");
                awaitLine(registry, "rollbook_gateway_connections{protocol=\"websocket\"} 1");
                awaitLine(registry, "rollbook_gateway_market_data_subscriptions{protocol=\"websocket\"} 2");
                ws.send("{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
                awaitLine(registry, "rollbook_gateway_market_data_subscriptions{protocol=\"websocket\"} 1");
            }
            awaitLine(registry, "rollbook_gateway_connections{protocol=\"websocket\"} 0");
            awaitLine(registry, "rollbook_gateway_market_data_subscriptions{protocol=\"websocket\"} 0");
            final String text = registry.scrape();
            assertTrue(text.contains("\nrollbook_gateway_unexpected_errors_total{protocol=\"binary\"} 0\n"), text);
            assertTrue(text.contains("\nrollbook_gateway_unexpected_errors_total{protocol=\"http\"} 0\n"), text);
            for (final String protocol : new String[] {"binary", "http"})
            {
                assertTrue(text.contains("\nrollbook_gateway_tracked_addresses{protocol=\"" + protocol + "\"} "),
                    text);
                for (final String reason : new String[] {"limit", "address", "rate", "table_full"})
                {
                    assertTrue(text.contains("\nrollbook_gateway_refused_connections_total{protocol=\"" + protocol +
                        "\",reason=\"" + reason + "\"} 0\n"), text);
                }
            }
        }
    }

    private static void awaitLine(final MetricsRegistry registry, final String line)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = registry.scrape();
        while (!text.contains("\n" + line + "\n"))
        {
            assertTrue(System.nanoTime() < deadline, "no line \"" + line + "\" in\n" + text);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            text = registry.scrape();
        }
    }
}
