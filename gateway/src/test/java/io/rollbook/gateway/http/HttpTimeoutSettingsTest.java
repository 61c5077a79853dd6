package io.rollbook.gateway.http;

import java.util.List;

import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The read and idle timeouts' defaults and ranges in {@link HttpGateway.Context}: the ends of each range pass, one
 * beyond either end is refused with the setting's name and range.
 */
final class HttpTimeoutSettingsTest
{
    private static final List<MarketSpec> MARKETS = List.of(MarketSpec.builder().id(1).symbol("BTC-USD")
        .tickSize("0.1").lotSize("0.001").minSizeLots(1).maxOrderSizeLots(100_000).maxPositionLots(100_000_000)
        .marketOrderBandPpm(50_000).build());

    private static HttpGateway.Context context()
    {
        return new HttpGateway.Context().markets(MARKETS);
    }

    @Test
    void theDefaultsAreTenSecondsToReadARequestAndAMinuteIdle()
    {
        final HttpGateway.Context context = context().validate();
        assertEquals(10_000, context.requestReadTimeoutMs());
        assertEquals(60_000, context.idleTimeoutMs());
    }

    @Test
    void theEndsOfEachRangePass()
    {
        for (final long value : new long[] {100, 3_600_000})
        {
            final HttpGateway.Context context = context().requestReadTimeoutMs(value).idleTimeoutMs(value);
            assertSame(context, context.validate());
            assertEquals(value, context.requestReadTimeoutMs());
            assertEquals(value, context.idleTimeoutMs());
        }
    }

    @Test
    void aReadTimeoutOutsideItsRangeIsRefusedByName()
    {
        for (final long value : new long[] {99, 3_600_001, 0, -1})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> context().requestReadTimeoutMs(value).validate());
            assertEquals("http: requestReadTimeoutMs must be from 100 to 3600000, got " + value, refused.getMessage());
        }
    }

    @Test
    void anIdleTimeoutOutsideItsRangeIsRefusedByName()
    {
        for (final long value : new long[] {99, 3_600_001, 0, Long.MIN_VALUE})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> context().idleTimeoutMs(value).validate());
            assertEquals("http: idleTimeoutMs must be from 100 to 3600000, got " + value, refused.getMessage());
        }
    }
}
