package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.AmendOrderEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client order id that is no id (a negative number that packs no characters) is refused by the gateway with the
 * same sentence whether a new order, a cancel or an amendment carries it: the id and what an id may be.
 */
@Tag("system")
class InvalidClientOrderIdSystemTest
{
    private static final long NOT_AN_ID = -5;
    private static final String SENTENCE = "clientOrderId -5 is neither a number from 0 to 2^63-1 nor 1 to 8 packed " +
        "printable characters";

    @TempDir
    Path dataDirectory;

    @Test
    void placeCancelAndAmendNameTheIdAndWhatAnIdMayBe() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final Recorder events = new Recorder();
            try (RollbookClient client = service.session(10, events))
            {
                final long place = client.newLimitOrder(NOT_AN_ID, BTC, Side.BUY, 490_000, 5, TimeInForce.GTC);
                final long cancel = client.cancelByClientOrderId(NOT_AN_ID, BTC);
                final long amend = client.amend(AmendOrderEncoder.orderIdNullValue(), NOT_AN_ID, BTC, 490_000, 6);
                client.flush();
                client.await(() -> events.count("business") == 3, 5_000, "three business rejects");
                final String nothingElse = " status=NULL_VAL order=" + Long.MIN_VALUE + " ";
                assertEquals(List.of(
                    "business INVALID_VALUE ref=" + place + nothingElse + SENTENCE,
                    "business INVALID_VALUE ref=" + cancel + nothingElse + SENTENCE,
                    "business INVALID_VALUE ref=" + amend + nothingElse + SENTENCE), events.lines);
            }
        }
    }
}
