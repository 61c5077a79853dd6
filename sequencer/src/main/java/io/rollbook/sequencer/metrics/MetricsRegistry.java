package io.rollbook.sequencer.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The service's metrics and their rendering in the Prometheus text exposition format (version 0.0.4), for
 * {@code GET /metrics}. Each component registers its families once, at start: a family is a name, a help line, a
 * type and its samples, each sample a value read at scrape time ({@link Counter#get()}, a gauge computed from the
 * component's state, a {@link LatencyHistogram}). Recording never goes through the registry: the pipeline threads
 * write their own counters and histograms, and a scrape reads them racily.
 *
 * <p>Thread-safe: register from any thread, scrape from any thread (a scrape allocates; recording does not).
 * Names and label values are checked at registration, so a scrape cannot produce text Prometheus rejects.
 */
public final class MetricsRegistry
{
    /** The HTTP content type of {@link #scrape()}'s text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String[] SUFFIXES = {"_bucket", "_sum", "_count"};

    private final List<Family> families = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /**
     * @param name a metric name ending in {@code _total}, by convention
     */
    public Family counter(final String name, final String help)
    {
        return add(name, help, "counter");
    }

    public Family gauge(final String name, final String help)
    {
        return add(name, help, "gauge");
    }

    /**
     * @param name a metric name ending in its unit, {@code _seconds}; the samples are {@link LatencyHistogram}s
     */
    public Family histogram(final String name, final String help)
    {
        return add(name, help, "histogram");
    }

    /**
     * @return every family and sample, in registration order, in the Prometheus text format
     */
    public String scrape()
    {
        final StringBuilder out = new StringBuilder(8192);
        writeTo(out);
        return out.toString();
    }

    /**
     * Appends every family and sample in the Prometheus text format.
     */
    public synchronized void writeTo(final StringBuilder out)
    {
        for (final Family family : families)
        {
            family.writeTo(out);
        }
    }

    private synchronized Family add(final String name, final String help, final String type)
    {
        if (name == null || !METRIC_NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("not a Prometheus metric name: \"" + name + "\"");
        }
        Objects.requireNonNull(help, "help");
        for (final String reserved : reservedNames(name, type))
        {
            if (names.contains(reserved))
            {
                throw new IllegalArgumentException("metric " + name + " clashes with one already registered: " +
                    reserved);
            }
        }
        names.addAll(reservedNames(name, type));
        final Family family = new Family(name, help, type);
        families.add(family);
        return family;
    }

    private static List<String> reservedNames(final String name, final String type)
    {
        final List<String> reserved = new ArrayList<>();
        reserved.add(name);
        if ("histogram".equals(type))
        {
            for (final String suffix : SUFFIXES)
            {
                reserved.add(name + suffix);
            }
        }
        return reserved;
    }

    /**
     * One metric family: its samples share a name, a help line and a type, and differ by their labels (one, or two).
     */
    public final class Family
    {
        private final String name;
        private final String help;
        private final String type;
        private final List<Sample> samples = new ArrayList<>();
        private final Set<String> labelSets = new HashSet<>();

        private Family(final String name, final String help, final String type)
        {
            this.name = name;
            this.help = help;
            this.type = type;
        }

        /**
         * Adds the family's one unlabelled sample (a counter or gauge).
         */
        public Family sample(final LongSupplier value)
        {
            return addSample("", Objects.requireNonNull(value, "value"), null);
        }

        /**
         * Adds a sample with one label (a counter or gauge).
         */
        public Family sample(final String labelName, final String labelValue, final LongSupplier value)
        {
            return addSample(labels(labelName, labelValue), Objects.requireNonNull(value, "value"), null);
        }

        /**
         * Adds a sample with two labels (a counter or gauge).
         */
        public Family sample(
            final String labelName,
            final String labelValue,
            final String secondLabelName,
            final String secondLabelValue,
            final LongSupplier value)
        {
            if (labelName.equals(secondLabelName))
            {
                throw new IllegalArgumentException("metric " + name + ": label \"" + labelName + "\" given twice");
            }
            return addSample(labels(labelName, labelValue) + ',' + labels(secondLabelName, secondLabelValue),
                Objects.requireNonNull(value, "value"), null);
        }

        /**
         * Adds a histogram sample with one label.
         */
        public Family histogram(final String labelName, final String labelValue, final LatencyHistogram histogram)
        {
            if ("le".equals(labelName))
            {
                throw new IllegalArgumentException("metric " + name + ": \"le\" is the bucket label of a histogram");
            }
            return addSample(labels(labelName, labelValue), null, Objects.requireNonNull(histogram, "histogram"));
        }

        private Family addSample(final String labels, final LongSupplier value, final LatencyHistogram histogram)
        {
            synchronized (MetricsRegistry.this)
            {
                if ("histogram".equals(type) != (histogram != null))
                {
                    throw new IllegalArgumentException("metric " + name + " is a " + type + ": " +
                        (histogram != null ? "a histogram sample does not fit it" : "its samples are histograms"));
                }
                if (!labelSets.add(labels))
                {
                    throw new IllegalArgumentException("metric " + name + " already has a sample " +
                        (labels.isEmpty() ? "without labels" : labels));
                }
                samples.add(new Sample(labels, value, histogram));
            }
            return this;
        }

        private String labels(final String labelName, final String labelValue)
        {
            if (labelName == null || !LABEL_NAME.matcher(labelName).matches() || labelName.startsWith("__"))
            {
                throw new IllegalArgumentException("metric " + name + ": not a Prometheus label name: \"" +
                    labelName + "\"");
            }
            Objects.requireNonNull(labelValue, "labelValue");
            return labelName + "=\"" + escapeLabelValue(labelValue) + '"';
        }

        private void writeTo(final StringBuilder out)
        {
            out.append("# HELP ").append(name).append(' ');
            escapeHelp(help, out);
            out.append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            for (final Sample sample : samples)
            {
                if (sample.histogram != null)
                {
                    writeHistogram(sample, out);
                }
                else
                {
                    line(out, name, "", sample.labels, "").append(sample.value.getAsLong()).append('\n');
                }
            }
        }

        private void writeHistogram(final Sample sample, final StringBuilder out)
        {
            final LatencyHistogram histogram = sample.histogram;
            long cumulative = 0;
            for (int bucket = 0; bucket < LatencyHistogram.FINITE_BUCKETS; bucket++)
            {
                cumulative += histogram.bucketCount(bucket);
                line(out, name, "_bucket", sample.labels, "le=\"" + LatencyHistogram.upperBoundSeconds(bucket) + '"')
                    .append(cumulative).append('\n');
            }
            cumulative += histogram.bucketCount(LatencyHistogram.FINITE_BUCKETS);
            line(out, name, "_bucket", sample.labels, "le=\"+Inf\"").append(cumulative).append('\n');
            line(out, name, "_sum", sample.labels, "").append(LatencyHistogram.seconds(histogram.sumNs())).append('\n');
            line(out, name, "_count", sample.labels, "").append(cumulative).append('\n');
        }
    }

    private static StringBuilder line(
        final StringBuilder out, final String name, final String suffix, final String labels, final String extraLabel)
    {
        out.append(name).append(suffix);
        if (!labels.isEmpty() || !extraLabel.isEmpty())
        {
            out.append('{').append(labels);
            if (!labels.isEmpty() && !extraLabel.isEmpty())
            {
                out.append(',');
            }
            out.append(extraLabel).append('}');
        }
        return out.append(' ');
    }

    /**
     * Label values escape backslash, double quote and line feed (the text format's rules).
     */
    static String escapeLabelValue(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '\\' || c == '"')
            {
                out.append('\\').append(c);
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Help text escapes backslash and line feed.
     */
    private static void escapeHelp(final String help, final StringBuilder out)
    {
        for (int i = 0; i < help.length(); i++)
        {
            final char c = help.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else
            {
                out.append(c);
            }
        }
    }

    private static final class Sample
    {
        final String labels;
        final LongSupplier value;
        final LatencyHistogram histogram;

        Sample(final String labels, final LongSupplier value, final LatencyHistogram histogram)
        {
            this.labels = labels;
            this.value = value;
            this.histogram = histogram;
        }
    }
}
