package io.rollbook.gateway.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AccountConfiguredEncoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.FeeTierDefinedEncoder;
import io.rollbook.protocol.engine.FundingAppliedEncoder;
import io.rollbook.protocol.engine.LiquidationStartedEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MassCanceledEncoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OracleUpdatedEncoder;
import io.rollbook.protocol.engine.OrderAcceptedEncoder;
import io.rollbook.protocol.engine.OrderAmendedEncoder;
import io.rollbook.protocol.engine.OrderCanceledEncoder;
import io.rollbook.protocol.engine.OrderRestingEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.PositionChangedEncoder;
import io.rollbook.protocol.engine.PositionTransferredEncoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.TradeEncoder;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The table of who sees what of each engine event on the trader API (the answers to an account's commands; the
 * WebSocket private channels route with the same {@link EventRouting}): every event template of the engine schema,
 * what the two accounts it may name and a third account are shown, and on which private channel. An account sees
 * market-wide events whole, its own events whole, its own side of a trade or a position transfer, and nothing that
 * names another account (its settings, changed by the operator, included); an event that is neither an account's
 * nor the market's is the operator's only.
 */
class EventRoutingTest
{
    private static final int A = 10;
    private static final int B = 11;
    private static final int STRANGER = 12;
    private static final int BTC = 1;
    /** A template no engine event has (yet): a newer engine's. */
    private static final int UNKNOWN_TEMPLATE = 199;
    private static final Path ENGINE_SCHEMA =
        Path.of("..", "protocol", "src", "main", "resources", "sbe", "rollbook-engine.xml");
    private static final Pattern MESSAGE = Pattern.compile("<sbe:message name=\"(\\w+)\" id=\"(\\d+)\"");
    private static final Set<String> OTHER_SIDE_KEYS = Set.of("maker", "taker", "from", "to", "makerOrderId",
        "takerOrderId", "makerClientId", "takerClientId", "makerRemaining", "takerRemaining");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final EventRouting routing = new EventRouting();
    private final JsonEvents events = new JsonEvents(new MarketDirectory(List.of(MarketSpec.builder().id(BTC)
        .symbol("BTC-USD").tickSize("0.1").lotSize("0.001").minSizeLots(1).maxOrderSizeLots(100_000)
        .maxPositionLots(1_000_000).marketOrderBandPpm(50_000).build())));

    /**
     * One row: an event, its channel, and the event types that account A, account B and a third account see of it.
     */
    private record Row(String event, ToIntFunction<UnsafeBuffer> encode, int channel, List<String> seenByA,
        List<String> seenByB, List<String> seenByStranger)
    {
    }

    private List<Row> table()
    {
        final List<String> none = List.of();
        return List.of(
            new Row("accepted", this::accepted, EventRouting.ORDERS, List.of("accepted"), none, none),
            new Row("rejected", b -> rejected(b, A), EventRouting.ORDERS, List.of("rejected"), none, none),
            new Row("rejected, no account", b -> rejected(b, 0), EventRouting.ORDERS, none, none, none),
            new Row("trade", b -> trade(b, A, B), EventRouting.FILLS, List.of("fill"), List.of("fill"), none),
            new Row("trade with itself", b -> trade(b, A, A), EventRouting.FILLS, List.of("fill", "fill"), none,
                none),
            new Row("canceled", this::canceled, EventRouting.ORDERS, List.of("canceled"), none, none),
            new Row("resting", this::resting, EventRouting.ORDERS, List.of("resting"), none, none),
            new Row("amended", this::amended, EventRouting.ORDERS, List.of("amended"), none, none),
            new Row("massCanceled", this::massCanceled, EventRouting.ORDERS, List.of("massCanceled"), none, none),
            new Row("oracle", this::oracle, EventRouting.PUBLIC, List.of("oracle"), List.of("oracle"),
                List.of("oracle")),
            new Row("balance", this::balance, EventRouting.BALANCES, List.of("balance"), none, none),
            new Row("marketDefined", this::marketDefined, EventRouting.PUBLIC, List.of("marketDefined"),
                List.of("marketDefined"), List.of("marketDefined")),
            new Row("accountConfigured", this::accountConfigured, EventRouting.ACCOUNT, List.of("accountConfigured"),
                none, none),
            new Row("position", this::position, EventRouting.POSITIONS, List.of("position"), none, none),
            new Row("funding", this::funding, EventRouting.PUBLIC, List.of("funding"), List.of("funding"),
                List.of("funding")),
            new Row("liquidation", this::liquidation, EventRouting.POSITIONS, List.of("liquidation"), none, none),
            new Row("positionTransferred", b -> transferred(b, A, B), EventRouting.POSITIONS, List.of("transfer"),
                List.of("transfer"), none),
            new Row("feeTierDefined", this::feeTierDefined, EventRouting.PUBLIC, List.of("feeTierDefined"),
                List.of("feeTierDefined"), List.of("feeTierDefined")),
            new Row("unknown", this::unknown, EventRouting.NONE, none, none, none));
    }

    @Test
    void eachAccountSeesTheMarketsEventsItsOwnAndItsOwnSideOnly() throws IOException
    {
        for (final Row row : table())
        {
            final int length = row.encode().applyAsInt(buffer);
            headerDecoder.wrap(buffer, 0);
            assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + headerDecoder.blockLength(), row.event());
            assertEquals(row.channel(), route(), row.event() + ": the channel");
            assertEquals(row.seenByA(), types(seenBy(A), A, row), row.event() + " seen by A");
            assertEquals(row.seenByB(), types(seenBy(B), B, row), row.event() + " seen by B");
            assertEquals(row.seenByStranger(), types(seenBy(STRANGER), STRANGER, row),
                row.event() + " seen by another account");
        }
    }

    @Test
    void aFeeTiersDefinitionAloneTravelsOnTheAccountChannelOfEveryAccount()
    {
        for (final Row row : table())
        {
            row.encode().applyAsInt(buffer);
            route();
            assertEquals(row.event().equals("feeTierDefined"), routing.everyAccount, row.event());
        }
    }

    @Test
    void theTableCoversEveryEventOfTheEngineSchema() throws IOException
    {
        final Set<Integer> schemaEvents = new TreeSet<>();
        final Matcher message = MESSAGE.matcher(Files.readString(ENGINE_SCHEMA));
        while (message.find())
        {
            final int templateId = Integer.parseInt(message.group(2));
            if (templateId >= 100)
            {
                schemaEvents.add(templateId);
            }
        }
        final Set<Integer> tabled = new TreeSet<>();
        for (final Row row : table())
        {
            row.encode().applyAsInt(buffer);
            tabled.add(headerDecoder.wrap(buffer, 0).templateId());
        }
        tabled.remove(UNKNOWN_TEMPLATE);
        assertEquals(schemaEvents, tabled, "the engine's events and the table's");
    }

    @Test
    void aTransferIsEachAccountsOwnSide() throws IOException
    {
        transferred(buffer, A, B);
        route();
        assertEquals("[{\"seq\":7,\"type\":\"transfer\",\"market\":\"BTC-USD\",\"account\":10,\"side\":\"sell\"," +
            "\"price\":\"47005.1\",\"size\":\"0.5\",\"liquidated\":true,\"autoDeleveraged\":true}]", seenBy(A));
        assertEquals("[{\"seq\":7,\"type\":\"transfer\",\"market\":\"BTC-USD\",\"account\":11,\"side\":\"buy\"," +
            "\"price\":\"47005.1\",\"size\":\"0.5\",\"liquidated\":false,\"autoDeleveraged\":true}]", seenBy(B));
    }

    private int route()
    {
        headerDecoder.wrap(buffer, 0);
        return routing.route(headerDecoder.templateId(), buffer, MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(), headerDecoder.version());
    }

    /**
     * @return the JSON array an answer to the account's command would hold of the event
     */
    private String seenBy(final int account)
    {
        route();
        final StringBuilder out = new StringBuilder("[");
        routing.appendSeenBy(account, events, out, 7, buffer, 0, true);
        return out.append(']').toString();
    }

    /**
     * @return the types of the events in a JSON array, after checking that none names another account
     */
    private static List<String> types(final String array, final int account, final Row row) throws IOException
    {
        final List<String> types = new ArrayList<>();
        for (final JsonNode event : JSON.readTree(array))
        {
            types.add(event.get("type").asText());
            if (event.has("account"))
            {
                assertEquals(account, event.get("account").asInt(), row.event() + ": " + event);
            }
            for (final String key : OTHER_SIDE_KEYS)
            {
                assertFalse(event.has(key), row.event() + " names the other side: " + event);
            }
        }
        return types;
    }

    private int length(final int encodedLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
    }

    private int accepted(final UnsafeBuffer b)
    {
        return length(new OrderAcceptedEncoder().wrapAndApplyHeader(b, 0, header).orderId(1).clientOrderId(1)
            .priceTicks(500_000).sizeLots(100).account(A).market(BTC).side(Side.BUY).orderType(OrderType.LIMIT)
            .timeInForce(TimeInForce.GTC).marginMode(MarginMode.CROSS)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_TAKER).encodedLength());
    }

    private int rejected(final UnsafeBuffer b, final int account)
    {
        return length(new CommandRejectedEncoder().wrapAndApplyHeader(b, 0, header).orderId(1).clientOrderId(1)
            .detail(5).account(account).market(BTC).commandTemplateId(PlaceOrderDecoder.TEMPLATE_ID)
            .reason(RejectReason.INSUFFICIENT_MARGIN).encodedLength());
    }

    private int trade(final UnsafeBuffer b, final int maker, final int taker)
    {
        return length(new TradeEncoder().wrapAndApplyHeader(b, 0, header).tradeId(3).priceTicks(500_000)
            .sizeLots(100).makerOrderId(1).takerOrderId(2).makerClientOrderId(11).takerClientOrderId(12)
            .makerRemainingLots(0).takerRemainingLots(50).makerAccount(maker).takerAccount(taker).market(BTC)
            .makerSide(Side.SELL).makerFeeMicros(1_000).takerFeeMicros(2_500).encodedLength());
    }

    private int canceled(final UnsafeBuffer b)
    {
        return length(new OrderCanceledEncoder().wrapAndApplyHeader(b, 0, header).orderId(1).clientOrderId(1)
            .priceTicks(500_000).canceledLots(100).account(A).market(BTC).side(Side.BUY).reason(CancelReason.USER)
            .wasResting(BooleanType.TRUE).encodedLength());
    }

    private int resting(final UnsafeBuffer b)
    {
        return length(new OrderRestingEncoder().wrapAndApplyHeader(b, 0, header).orderId(1).clientOrderId(1)
            .priceTicks(500_000).remainingLots(100).account(A).market(BTC).side(Side.BUY).encodedLength());
    }

    private int amended(final UnsafeBuffer b)
    {
        return length(new OrderAmendedEncoder().wrapAndApplyHeader(b, 0, header).orderId(1).clientOrderId(1)
            .oldPriceTicks(500_000).oldRemainingLots(100).priceTicks(500_100).sizeLots(200).remainingLots(200)
            .account(A).market(BTC).side(Side.BUY).priorityKept(BooleanType.FALSE).encodedLength());
    }

    private int massCanceled(final UnsafeBuffer b)
    {
        return length(new MassCanceledEncoder().wrapAndApplyHeader(b, 0, header).account(A).market(BTC).count(2)
            .side(Side.BUY).trigger(MassCancelTrigger.USER).encodedLength());
    }

    private int oracle(final UnsafeBuffer b)
    {
        return length(new OracleUpdatedEncoder().wrapAndApplyHeader(b, 0, header).priceTicks(500_000).market(BTC)
            .encodedLength());
    }

    private int balance(final UnsafeBuffer b)
    {
        return length(new BalanceChangedEncoder().wrapAndApplyHeader(b, 0, header).deltaMicros(5)
            .collateralMicros(5).account(A).cause(BalanceCause.DEPOSIT).encodedLength());
    }

    private int marketDefined(final UnsafeBuffer b)
    {
        return length(new MarketDefinedEncoder().wrapAndApplyHeader(b, 0, header).tickSizeMantissa(1)
            .tickSizeExponent((byte)-1).lotSizeMantissa(1).lotSizeExponent((byte)-3).minSizeLots(1)
            .maxOrderSizeLots(100_000).market(BTC).marketOrderBandPpm(50_000).symbol("BTC-USD")
            .baselinePositionLots(1_000).incrementalPositionLots(100).maxPositionLots(1_000_000)
            .initialMarginPpm(50_000).maintenanceMarginPpm(30_000).incrementalInitialMarginPpm(10_000)
            .encodedLength());
    }

    private int accountConfigured(final UnsafeBuffer b)
    {
        return length(new AccountConfiguredEncoder().wrapAndApplyHeader(b, 0, header).account(A).feeTier((short)1)
            .selfTradePrevention(SelfTradePrevention.EXPIRE_MAKER).encodedLength());
    }

    private int position(final UnsafeBuffer b)
    {
        return length(new PositionChangedEncoder().wrapAndApplyHeader(b, 0, header).sizeLots(100)
            .entryValueMicros(5_000_000_000L).account(A).market(BTC).marginMode(MarginMode.CROSS).encodedLength());
    }

    private int funding(final UnsafeBuffer b)
    {
        return length(new FundingAppliedEncoder().wrapAndApplyHeader(b, 0, header).ratePpb(100_000)
            .fundingIndex(5).oraclePriceTicks(500_000).market(BTC).encodedLength());
    }

    private int liquidation(final UnsafeBuffer b)
    {
        return length(new LiquidationStartedEncoder().wrapAndApplyHeader(b, 0, header).equityMicros(995)
            .maintenanceMicros(1_440).account(A).market(LiquidationStartedEncoder.marketNullValue())
            .encodedLength());
    }

    private int transferred(final UnsafeBuffer b, final int from, final int to)
    {
        return length(new PositionTransferredEncoder().wrapAndApplyHeader(b, 0, header).priceTicks(470_051)
            .sizeLots(500).fromAccount(from).toAccount(to).market(BTC).fromSide(Side.BUY)
            .autoDeleveraged(BooleanType.TRUE).encodedLength());
    }

    private int feeTierDefined(final UnsafeBuffer b)
    {
        return length(new FeeTierDefinedEncoder().wrapAndApplyHeader(b, 0, header).tier((short)1)
            .makerFeePpm(-100).takerFeePpm(300).encodedLength());
    }

    /**
     * An event of a template this gateway does not know (a newer engine): an empty block.
     */
    private int unknown(final UnsafeBuffer b)
    {
        header.wrap(b, 0).blockLength(0).templateId(UNKNOWN_TEMPLATE).schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(MessageHeaderEncoder.SCHEMA_VERSION);
        return MessageHeaderEncoder.ENCODED_LENGTH;
    }
}
