package io.rollbook.sequencer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class MetricsRegistryTest
{
    @Test
    void rendersCountersAndGaugesInThePrometheusTextFormat()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final CounterArray byType = new CounterArray(4);
        final AtomicLong level = new AtomicLong(7);
        registry.counter("demo_commands_total", "Commands by type.")
            .sample("type", "place", () -> byType.get(1))
            .sample("type", "cancel", () -> byType.get(2));
        registry.gauge("demo_level", "A level.").sample(level::get);
        byType.increment(1);
        byType.increment(1);
        byType.increment(2);
        byType.increment(99);
        level.set(-3);

        assertEquals(
            "# HELP demo_commands_total Commands by type.\n" +
            "# TYPE demo_commands_total counter\n" +
            "demo_commands_total{type=\"place\"} 2\n" +
            "demo_commands_total{type=\"cancel\"} 1\n" +
            "# HELP demo_level A level.\n" +
            "# TYPE demo_level gauge\n" +
            "demo_level -3\n",
            registry.scrape());
        assertEquals(1, byType.get(0), "a code beyond the array counts in slot 0");
    }

    @Test
    void rendersSamplesWithTwoLabelsAndRefusesTheSameLabelTwice()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final MetricsRegistry.Family refused = registry.counter("demo_refused_total", "Refused, by protocol and reason.")
            .sample("protocol", "binary", "reason", "rate", () -> 3)
            .sample("protocol", "http", "reason", "rate", () -> 4);
        assertEquals(
            "# HELP demo_refused_total Refused, by protocol and reason.\n" +
            "# TYPE demo_refused_total counter\n" +
            "demo_refused_total{protocol=\"binary\",reason=\"rate\"} 3\n" +
            "demo_refused_total{protocol=\"http\",reason=\"rate\"} 4\n",
            registry.scrape());
        assertThrows(IllegalArgumentException.class,
            () -> refused.sample("protocol", "http", "reason", "rate", () -> 5), "same labels twice");
        assertThrows(IllegalArgumentException.class,
            () -> refused.sample("protocol", "http", "protocol", "ws", () -> 5), "one label name twice");
    }

    @Test
    void rendersAHistogramWithCumulativeBucketsInSeconds()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        final LatencyHistogram histogram = new LatencyHistogram();
        registry.histogram("demo_latency_seconds", "Latency.").histogram("stage", "a", histogram);
        histogram.record(100);
        histogram.record(128);
        histogram.record(129);
        histogram.record(1_000_000);
        histogram.record(100_000_000_000L);

        final String text = registry.scrape();
        assertTrue(text.startsWith("# HELP demo_latency_seconds Latency.\n# TYPE demo_latency_seconds histogram\n" +
            "demo_latency_seconds_bucket{stage=\"a\",le=\"0.000000128\"} 2\n" +
            "demo_latency_seconds_bucket{stage=\"a\",le=\"0.000000256\"} 3\n" +
            "demo_latency_seconds_bucket{stage=\"a\",le=\"0.000000512\"} 3\n"), text);
        assertTrue(text.contains("demo_latency_seconds_bucket{stage=\"a\",le=\"0.000524288\"} 3\n" +
            "demo_latency_seconds_bucket{stage=\"a\",le=\"0.001048576\"} 4\n"), text);
        assertTrue(text.endsWith(
            "demo_latency_seconds_bucket{stage=\"a\",le=\"17.179869184\"} 4\n" +
            "demo_latency_seconds_bucket{stage=\"a\",le=\"+Inf\"} 5\n" +
            "demo_latency_seconds_sum{stage=\"a\"} 100.001000357\n" +
            "demo_latency_seconds_count{stage=\"a\"} 5\n"), text);
        assertEquals(LatencyHistogram.FINITE_BUCKETS + 1 + 2 + 2, text.split("\n").length);
    }

    @Test
    void bucketsAreTheFirstUpperBoundNotBelowTheDuration()
    {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(128));
        assertEquals(1, LatencyHistogram.bucketOf(129));
        assertEquals(1, LatencyHistogram.bucketOf(256));
        assertEquals(2, LatencyHistogram.bucketOf(257));
        assertEquals(LatencyHistogram.FINITE_BUCKETS - 1, LatencyHistogram.bucketOf(1L << LatencyHistogram.MAX_SHIFT));
        assertEquals(LatencyHistogram.FINITE_BUCKETS, LatencyHistogram.bucketOf((1L << LatencyHistogram.MAX_SHIFT) + 1));
        assertEquals(LatencyHistogram.FINITE_BUCKETS, LatencyHistogram.bucketOf(Long.MAX_VALUE));

        final LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(-5);
        assertEquals(1, histogram.bucketCount(0), "a negative duration (clock skew) counts as 0");
        assertEquals(0, histogram.sumNs());
    }

    @Test
    void escapesLabelValuesAndHelpText()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        registry.gauge("demo", "back\\slash and\nnew line").sample("path", "a\"b\\c\nd", () -> 1);
        assertEquals("# HELP demo back\\\\slash and\\nnew line\n# TYPE demo gauge\ndemo{path=\"a\\\"b\\\\c\\nd\"} 1\n",
            registry.scrape());
    }

    @Test
    void refusesWhatPrometheusWouldReject()
    {
        final MetricsRegistry registry = new MetricsRegistry();
        assertThrows(IllegalArgumentException.class, () -> registry.counter("2bad", "x"));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("bad-name", "x"));
        registry.histogram("demo_seconds", "x");
        assertThrows(IllegalArgumentException.class, () -> registry.gauge("demo_seconds", "x"), "same name");
        assertThrows(IllegalArgumentException.class, () -> registry.counter("demo_seconds_count", "x"),
            "the histogram's own series");
        final MetricsRegistry.Family gauge = registry.gauge("demo_gauge", "x").sample("a", "1", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> gauge.sample("a", "1", () -> 2), "same labels twice");
        assertThrows(IllegalArgumentException.class, () -> gauge.sample("__a", "2", () -> 2), "reserved label name");
        assertThrows(IllegalArgumentException.class, () -> gauge.histogram("a", "2", new LatencyHistogram()));
        assertThrows(IllegalArgumentException.class,
            () -> registry.histogram("demo2_seconds", "x").histogram("le", "1", new LatencyHistogram()));
    }
}
