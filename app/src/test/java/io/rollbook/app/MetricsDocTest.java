package io.rollbook.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.rollbook.sequencer.metrics.MetricsRegistry;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import org.junit.jupiter.api.Test;

/**
 * docs/OPERATIONS.md lists exactly the metrics the service registers (every {@code rollbook_} name registered in
 * the sequencer's and the gateway's sources), and the label values of the pipeline's families as they are scraped:
 * a dashboard built from the page finds every series it names.
 */
class MetricsDocTest
{
    private static final Path DOCUMENT = Path.of("..", "docs", "OPERATIONS.md");
    private static final Path JSON_DOCUMENT = Path.of("..", "docs", "JSON.md");
    private static final List<Path> REGISTERING_SOURCES = List.of(
        Path.of("..", "sequencer", "src", "main", "java"), Path.of("..", "gateway", "src", "main", "java"));
    private static final Pattern REGISTERED = Pattern.compile("\"(rollbook_[a-z_]+)\"");
    private static final Pattern ROW = Pattern.compile("^\\| `(rollbook_[a-z_]+)` \\| ([a-z]+) \\|([^|]*)\\|");
    private static final Pattern SAMPLE = Pattern.compile("^(rollbook_[a-z_]+)\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    private static final Pattern REJECT_ROW = Pattern.compile("^\\| `([A-Z_]+)` \\|");

    @Test
    void everyRegisteredMetricIsDocumentedAndEveryDocumentedOneIsRegistered() throws IOException
    {
        final TreeSet<String> registered = new TreeSet<>();
        for (final Path sources : REGISTERING_SOURCES)
        {
            try (Stream<Path> files = Files.walk(sources))
            {
                for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".java"))::iterator)
                {
                    final Matcher name = REGISTERED.matcher(Files.readString(file));
                    while (name.find())
                    {
                        registered.add(name.group(1));
                    }
                }
            }
        }
        assertTrue(registered.size() > 20, "read the registrations: " + registered);
        assertEquals(registered, new TreeSet<>(documentedLabels().keySet()), DOCUMENT + ", Metrics");
    }

    @Test
    void thePipelinesLabelValuesAreDocumented() throws IOException
    {
        final MetricsRegistry registry = new MetricsRegistry();
        new PipelineMetrics().register(registry);
        final Map<String, String> documented = documentedLabels();
        final TreeSet<String> rejectReasons = rejectReasons();
        final TreeSet<String> undocumented = new TreeSet<>();
        int labels = 0;
        for (final String line : registry.scrape().split("\n"))
        {
            final Matcher sample = SAMPLE.matcher(line);
            if (!sample.find())
            {
                continue;
            }
            final String family = sample.group(1).replaceAll("_(bucket|sum|count)$", "");
            final Matcher label = LABEL.matcher(sample.group(2));
            while (label.find())
            {
                if (label.group(1).equals("le"))
                {
                    continue;
                }
                labels++;
                final String cell = documented.getOrDefault(family, "");
                // The reject reasons are JSON.md's to list; OPERATIONS.md refers to them there.
                final boolean known = family.equals("rollbook_rejects_total") ?
                    cell.contains("`" + label.group(1) + "`") && rejectReasons.contains(label.group(2)) :
                    cell.contains("`" + label.group(1) + "`") && cell.contains("`" + label.group(2) + "`");
                if (!known)
                {
                    undocumented.add(family + "{" + label.group(1) + "=\"" + label.group(2) + "\"}");
                }
            }
        }
        assertTrue(labels > 50, "scraped the pipeline's labels: " + labels);
        assertEquals(new TreeSet<String>(), undocumented, "series missing from " + DOCUMENT);
    }

    /**
     * @return the labels cell of each metric's row
     */
    private static Map<String, String> documentedLabels() throws IOException
    {
        final Map<String, String> rows = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(DOCUMENT))
        {
            final Matcher row = ROW.matcher(line);
            if (row.find())
            {
                assertEquals(null, rows.put(row.group(1), row.group(3)),
                    DOCUMENT + " lists " + row.group(1) + " twice");
            }
        }
        return rows;
    }

    private static TreeSet<String> rejectReasons() throws IOException
    {
        final TreeSet<String> reasons = new TreeSet<>();
        boolean inTable = false;
        final List<String> lines = new ArrayList<>(Files.readAllLines(JSON_DOCUMENT));
        for (final String line : lines)
        {
            if (line.startsWith("## "))
            {
                inTable = line.equals("## Reject reasons");
            }
            final Matcher row = REJECT_ROW.matcher(line);
            if (inTable && row.find())
            {
                reasons.add(row.group(1));
            }
        }
        return reasons;
    }
}
