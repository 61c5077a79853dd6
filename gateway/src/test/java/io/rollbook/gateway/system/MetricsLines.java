package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.sequencer.metrics.MetricsRegistry;

/**
 * Waits for lines of a scrape: gauges and counters follow released events, so a test polls for the figures it
 * expects, with a deadline, rather than reading them once.
 */
final class MetricsLines
{
    private MetricsLines()
    {
    }

    /**
     * @param step     what the test was doing, for the failure's message
     * @param expected whole lines the scrape must hold, all at once
     */
    static void await(final MetricsRegistry metrics, final String step, final String... expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String text = metrics.scrape();
        for (final String line : expected)
        {
            while (!text.contains("\n" + line + "\n"))
            {
                assertTrue(System.nanoTime() < deadline, step + ": no line \"" + line + "\" in\n" + text);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                text = metrics.scrape();
            }
        }
    }
}
