package io.rollbook.journal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;

import io.rollbook.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * File names and the audit's report are the same text whatever the JVM's default locale: {@code %d} and
 * {@code %.3f} take the locale's digits and separators (Arabic-Indic in ar-EG, Devanagari with {@code nu-deva}, a
 * decimal comma in tr-TR), which would name a snapshot file in Arabic-Indic digits and print an auditor's
 * summary that no script written for another locale reads.
 */
class DefaultLocaleTest
{
    @TempDir
    Path empty;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ar-EG", "hi-IN-u-nu-deva", "tr-TR", "fa-IR"})
    void snapshotNamesAndTheAuditReportUseAsciiDigits(final String languageTag)
    {
        final Locale before = Locale.getDefault();
        try
        {
            Locale.setDefault(Locale.forLanguageTag(languageTag));

            assertEquals("snapshot-00000000000000000005.snap", SnapshotStore.fileName(5));
            final AuditReport report = new JournalAudit(empty).run();
            for (final String line : report.lines())
            {
                assertTrue(line.chars().allMatch(c -> c < 128), "not ASCII: " + line);
            }
            assertTrue(report.lines().stream().anyMatch(line ->
                line.matches("  elapsed +[0-9]+\\.[0-9]{3} s, [0-9,]+ commands/s")), String.join("\n", report.lines()));
        }
        finally
        {
            Locale.setDefault(before);
        }
    }
}
