package io.rollbook.app.journal;

import java.util.ArrayList;
import java.util.List;

import io.rollbook.journal.audit.AuditReport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An audit report for a person: the report's own lines, with the command at fault written out in the JSON
 * command format under the first difference.
 */
public final class AuditPrinter
{
    private AuditPrinter()
    {
    }

    public static List<String> lines(final AuditReport report)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : report.lines())
        {
            out.add(line);
            if (report.failure() != null && report.failure().command() != null && line.startsWith("  FIRST DIFFERENCE"))
            {
                out.add("    command: " + command(report));
            }
        }
        return out;
    }

    private static String command(final AuditReport report)
    {
        final byte[] bytes = report.failure().command();
        final StringBuilder out = new StringBuilder(256);
        try
        {
            new CommandJson(report.markets()).append(out, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final RuntimeException ex)
        {
            out.setLength(0);
            out.append('(').append(bytes.length).append(" bytes that do not decode: ").append(ex.getMessage())
                .append(')');
        }
        return out.toString();
    }
}
