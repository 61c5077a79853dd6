package io.rollbook.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.MarketDataRejectCode;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;
import io.rollbook.protocol.orderentry.OrderStatus;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.junit.jupiter.api.Test;

/**
 * The codes a client can be answered with are the ones the documents explain: docs/JSON.md's reject and cancel
 * reason tables hold exactly the schema's values, and docs/ORDER-ENTRY.md names every session, business and market
 * data code of the order-entry schema.
 */
class CodesDocTest
{
    private static final Path JSON_DOCUMENT = Path.of("..", "docs", "JSON.md");
    private static final Path ORDER_ENTRY_DOCUMENT = Path.of("..", "docs", "ORDER-ENTRY.md");
    private static final Pattern CODE_ROW = Pattern.compile("^\\| `([A-Z_]+)` \\|");

    @Test
    void theRejectReasonTableHoldsExactlyTheSchemasReasons() throws IOException
    {
        assertEquals(names(RejectReason.values()), tableRows(JSON_DOCUMENT, "## Reject reasons"));
    }

    @Test
    void theCancelReasonTableHoldsExactlyTheSchemasReasons() throws IOException
    {
        assertEquals(names(CancelReason.values()), tableRows(JSON_DOCUMENT, "## Cancel reasons"));
    }

    @Test
    void theOrderEntryPageNamesEveryCodeASessionCanBeAnswered() throws IOException
    {
        final String page = Files.readString(ORDER_ENTRY_DOCUMENT);
        final TreeSet<String> codes = new TreeSet<>();
        codes.addAll(names(NegotiationRejectCode.values()));
        codes.addAll(names(EstablishRejectCode.values()));
        codes.addAll(names(TerminationCode.values()));
        codes.addAll(names(BusinessRejectCode.values()));
        codes.addAll(names(OrderStatus.values()));
        codes.addAll(names(MarketDataRejectCode.values()));
        assertTrue(codes.size() > 25, "read the schema's codes: " + codes);
        codes.removeIf(code -> page.contains("`" + code + "`"));
        assertEquals(new TreeSet<String>(), codes, "codes " + ORDER_ENTRY_DOCUMENT + " does not name");
    }

    private static TreeSet<String> names(final Enum<?>[] values)
    {
        final TreeSet<String> names = new TreeSet<>();
        for (final Enum<?> value : values)
        {
            if (!value.name().equals("NULL_VAL"))
            {
                names.add(value.name());
            }
        }
        return names;
    }

    private static TreeSet<String> tableRows(final Path document, final String section) throws IOException
    {
        final TreeSet<String> rows = new TreeSet<>();
        boolean inSection = false;
        for (final String line : Files.readAllLines(document))
        {
            if (line.startsWith("## "))
            {
                inSection = line.equals(section);
            }
            final Matcher row = CODE_ROW.matcher(line);
            if (inSection && row.find())
            {
                assertTrue(rows.add(row.group(1)), document + " lists " + row.group(1) + " twice");
            }
        }
        assertTrue(rows.size() > 5, document + ": the table under " + section);
        return rows;
    }
}
