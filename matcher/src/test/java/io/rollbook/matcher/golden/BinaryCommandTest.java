package io.rollbook.matcher.golden;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.reference.BookEvents;
import io.rollbook.matcher.reference.ReferenceMatcher;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.ConfigureAccountEncoder;
import io.rollbook.protocol.engine.DefineFeeTierEncoder;
import io.rollbook.protocol.engine.DefineMarketEncoder;
import io.rollbook.protocol.engine.DepositEncoder;
import io.rollbook.protocol.engine.MassCancelEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OraclePriceEncoder;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import io.rollbook.protocol.engine.WithdrawEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden cases for what the JSON format cannot express: raw enum bytes that name no value, null and malformed ids,
 * zero and negative numbers, unknown market ids, market and fee tier definitions, account configuration with
 * fields left unchanged, the notional limits, mass cancel triggers of gateway sessions, and commands that are not
 * well-formed SBE. Each command runs through the fast matcher and the reference; both
 * must print the expected events (as JSON), which were written
 * from docs/MATCHING.md and docs/JSON.md.
 *
 * <p>Every test starts from the golden configuration with its two fee tiers and three markets defined (sequence 1
 * to 5).
 */
class BinaryCommandTest
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int BODY = HEADER;
    private static final int PLACE_LENGTH = HEADER + PlaceOrderEncoder.BLOCK_LENGTH;
    private static final long NULL_ID = Long.MIN_VALUE;
    private static final int NULL_MARKET = Integer.MIN_VALUE;
    private static final String NO_SUCH_MARKET = "\"message\":\"no such market\",\"detail\":0";

    private final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer fastEvents = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer referenceEvents = new ExpandableArrayBuffer(4096);
    private final EventWriter fastWriter = new EventWriter();
    private final EventWriter referenceWriter = new EventWriter();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final BookEvents render = new BookEvents(GoldenConfig.markets());
    private Matcher fast;
    private ReferenceMatcher reference;
    private long sequence;

    @BeforeEach
    void defineMarkets()
    {
        fast = new Matcher(GoldenConfig.context());
        reference = new ReferenceMatcher(GoldenConfig.context());
        GoldenConfig.genesis().forEachCommand((buffer, offset, length) ->
        {
            command.putBytes(0, buffer, offset, length);
            execute(length);
        });
    }

    @Test
    void malformedAndUnknownCommands()
    {
        header.wrap(command, 0).blockLength(0).templateId(42).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(1);
        expect(HEADER, "{\"seq\":6,\"type\":\"rejected\",\"command\":\"unknown\",\"reason\":\"UNKNOWN_COMMAND\"," +
            "\"message\":\"unknown command template 42\",\"detail\":42}");

        expect(5, "{\"seq\":7,\"type\":\"rejected\",\"command\":\"unknown\",\"reason\":\"MALFORMED_COMMAND\"," +
            "\"message\":\"malformed command\",\"detail\":5}");

        final int placeLength = place(1, 1, 0, 0, 0, 500_000, 1_000, 0, 7);
        header.wrap(command, 0).schemaId(MessageHeaderEncoder.SCHEMA_ID + 1);
        expect(placeLength, "{\"seq\":8,\"type\":\"rejected\",\"command\":\"place\",\"reason\":\"MALFORMED_COMMAND\"," +
            "\"message\":\"malformed command\",\"detail\":" + placeLength + "}");

        place(1, 1, 0, 0, 0, 500_000, 1_000, 0, 7);
        header.wrap(command, 0).blockLength(PlaceOrderEncoder.BLOCK_LENGTH - 8);
        expect(placeLength - 8, "{\"seq\":9,\"type\":\"rejected\",\"command\":\"place\",\"reason\":" +
            "\"MALFORMED_COMMAND\",\"message\":\"malformed command\",\"detail\":" + (placeLength - 8) + "}");

        place(1, 1, 0, 0, 0, 500_000, 1_000, 0, 7);
        expect(placeLength - 1, "{\"seq\":10,\"type\":\"rejected\",\"command\":\"place\",\"reason\":" +
            "\"MALFORMED_COMMAND\",\"message\":\"malformed command\",\"detail\":" + (placeLength - 1) + "}");
    }

    @Test
    void invalidEnumValuesAndFlags()
    {
        expect(place(1, 1, 2, 0, 0, 500_000, 1_000, 0, 7), rejectedPlace(6, "INVALID_SIDE",
            "side must be buy or sell, got raw value 2", 2));
        expect(place(1, 1, 0, 2, 0, 500_000, 1_000, 0, 7), rejectedPlace(7, "INVALID_ORDER_TYPE",
            "order type must be limit or market, got raw value 2", 2));
        expect(place(1, 1, 0, 0, 3, 500_000, 1_000, 0, 7), rejectedPlace(8, "INVALID_TIME_IN_FORCE",
            "time in force must be gtc, ioc or fok, got raw value 3", 3));
        final int badMargin = place(1, 1, 0, 0, 0, 500_000, 1_000, 0, 7);
        command.putByte(BODY + PlaceOrderEncoder.marginModeEncodingOffset(), (byte)2);
        expect(badMargin, rejectedPlace(9, "INVALID_MARGIN_MODE",
            "margin mode must be cross or isolated, got raw value 2", 2));
        final int badStp = place(1, 1, 0, 0, 0, 500_000, 1_000, 0, 7);
        command.putByte(BODY + PlaceOrderEncoder.selfTradePreventionEncodingOffset(), (byte)4);
        expect(badStp, rejectedPlace(10, "INVALID_SELF_TRADE_PREVENTION",
            "self-trade prevention must be expireTaker, expireMaker or expireBoth, got raw value 4", 4));
        expect(place(1, 1, 0, 0, 0, 500_000, 1_000, 0x84, 7), rejectedPlace(11, "INVALID_FLAGS",
            "unknown order flags 132", 132));

        expect(configureAccount(1, 0), "{\"seq\":12,\"type\":\"rejected\",\"command\":\"configureAccount\"," +
            "\"reason\":\"INVALID_SELF_TRADE_PREVENTION\",\"message\":\"self-trade prevention must be expireTaker, " +
            "expireMaker or expireBoth, got raw value 0\",\"detail\":0,\"account\":1}");
        expect(configureAccount(1, 9), "{\"seq\":13,\"type\":\"rejected\",\"command\":\"configureAccount\"," +
            "\"reason\":\"INVALID_SELF_TRADE_PREVENTION\",\"message\":\"self-trade prevention must be expireTaker, " +
            "expireMaker or expireBoth, got raw value 9\",\"detail\":9,\"account\":1}");

        expect(massCancel(1, NULL_MARKET, 2, 0), "{\"seq\":14,\"type\":\"rejected\",\"command\":\"cancelAll\"," +
            "\"reason\":\"INVALID_SIDE\",\"message\":\"side must be buy or sell, got raw value 2\",\"detail\":2," +
            "\"account\":1}");
        expect(massCancel(1, 1, 255, 3), "{\"seq\":15,\"type\":\"rejected\",\"command\":\"cancelAll\"," +
            "\"reason\":\"INVALID_MASS_CANCEL_TRIGGER\",\"message\":\"unknown mass cancel trigger, raw value 3\"," +
            "\"detail\":3,\"account\":1," +
            "\"market\":\"BTC-USD\"}");
    }

    @Test
    void checksRunInTheDocumentedOrder()
    {
        expect(place(0, 7, 2, 0, 0, 500_000, 1_000, 0, 7), "{\"seq\":6,\"type\":\"rejected\",\"command\":\"place\"," +
            "\"reason\":\"UNKNOWN_MARKET\"," + NO_SUCH_MARKET + ",\"market\":7,\"clientId\":7}");
        expect(place(0, 1, 2, 0, 0, 500_000, 1_000, 0, 7), "{\"seq\":7,\"type\":\"rejected\",\"command\":\"place\"," +
            "\"reason\":\"ACCOUNT_OUT_OF_RANGE\",\"message\":\"account ids run from 1 to 999\",\"detail\":999," +
            "\"account\":0,\"market\":\"BTC-USD\",\"clientId\":7}");
        expect(place(1, 1, 2, 5, 0, 0, 0, 0, 7), rejectedPlace(8, "INVALID_SIDE",
            "side must be buy or sell, got raw value 2", 2));
        expect(place(1, 1, 0, 0, 0, 0, 5, 0, NULL_ID), "{\"seq\":9,\"type\":\"rejected\",\"command\":\"place\"," +
            "\"reason\":\"INVALID_CLIENT_ORDER_ID\",\"message\":\"client order id must be a number or 1 to 8 " +
            "printable characters\",\"detail\":0,\"account\":1,\"market\":\"BTC-USD\"}");
        expect(place(1, 1, 0, 0, 0, 0, 5, 0, 7), rejectedPlace(10, "SIZE_BELOW_MINIMUM",
            "size is below the market's minimum of 0.001", 10));
        expect(place(1, 1, 0, 0, 0, 0, 0, 0, 7), rejectedPlace(11, "SIZE_NOT_POSITIVE",
            "size must be greater than zero", 0));
        expect(place(1, 1, 0, 0, 0, 0, -5, 0, 7), rejectedPlace(12, "SIZE_NOT_POSITIVE",
            "size must be greater than zero", -5));
        expect(place(1, 1, 0, 0, 0, 0, 1_000, 0, 7), rejectedPlace(13, "PRICE_NOT_POSITIVE",
            "price must be greater than zero", 0));
        expect(place(1, 1, 0, 1, 1, -1, 1_000, 0, 7), rejectedPlace(14, "PRICE_NOT_POSITIVE",
            "price must be greater than zero", -1));
        expect(place(1, 1, 0, 0, 0, Long.MAX_VALUE, 1_000, 0, 7), rejectedPlace(15, "PRICE_ABOVE_MAXIMUM",
            "price 922337203685477580.7 x size is above the engine's limit of 10 billion USDC, counted with the " +
                "open orders on its side", Long.MAX_VALUE));
    }

    @Test
    void clientOrderIdsMustBeNumbersOrPackedStrings()
    {
        expect(place(1, 1, 0, 0, 0, 500_000, 1_000, 0, Long.MIN_VALUE + 1), "{\"seq\":6,\"type\":\"rejected\"," +
            "\"command\":\"place\",\"reason\":\"INVALID_CLIENT_ORDER_ID\",\"message\":\"client order id must be a " +
            "number or 1 to 8 printable characters\",\"detail\":0,\"account\":1,\"market\":\"BTC-USD\",\"clientId\":-9223372036854775807}");
    }

    @Test
    void unknownMarketsAndNonPositiveValues()
    {
        expect(oracle(9, 100), "{\"seq\":6,\"type\":\"rejected\",\"command\":\"oracle\",\"reason\":" +
            "\"UNKNOWN_MARKET\"," + NO_SUCH_MARKET + ",\"market\":9}");
        expect(oracle(1, 0), "{\"seq\":7,\"type\":\"rejected\",\"command\":\"oracle\",\"reason\":" +
            "\"PRICE_NOT_POSITIVE\",\"message\":\"price must be greater than zero\",\"detail\":0,\"market\":\"BTC-USD\"}");
        expect(massCancel(1, 5, 255, 0), "{\"seq\":8,\"type\":\"rejected\",\"command\":\"cancelAll\",\"reason\":" +
            "\"UNKNOWN_MARKET\"," + NO_SUCH_MARKET + ",\"account\":1,\"market\":5}");
        expect(deposit(1, 0), "{\"seq\":9,\"type\":\"rejected\",\"command\":\"deposit\",\"reason\":" +
            "\"AMOUNT_NOT_POSITIVE\",\"message\":\"amount must be greater than zero\",\"detail\":0,\"account\":1}");
        expect(withdraw(1, -7), "{\"seq\":10,\"type\":\"rejected\",\"command\":\"withdraw\",\"reason\":" +
            "\"AMOUNT_NOT_POSITIVE\",\"message\":\"amount must be greater than zero\",\"detail\":-7,\"account\":1}");

        expect(cancel(1, NULL_ID, NULL_ID, NULL_MARKET), "{\"seq\":11,\"type\":\"rejected\",\"command\":\"cancel\"," +
            "\"reason\":\"NO_ORDER_ID_GIVEN\",\"message\":\"name the order by orderId or clientId\",\"detail\":0,\"account\":1}");
        expect(amend(1, NULL_ID, NULL_ID, 1, 500_000, 1_000), "{\"seq\":12,\"type\":\"rejected\",\"command\":" +
            "\"amend\",\"reason\":\"NO_ORDER_ID_GIVEN\",\"message\":\"name the order by orderId or clientId\",\"detail\":0," +
            "\"account\":1,\"market\":\"BTC-USD\"}");

        execute(deposit(1, 1_000_000_000));
        expect(oracle(1, 500_000), "{\"seq\":14,\"type\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        expect(place(1, 1, 1, 0, 0, 500_000, 1_000, 0, 7), "{\"seq\":15,\"type\":\"accepted\",\"orderId\":1," +
            "\"clientId\":7,\"account\":1,\"market\":\"BTC-USD\",\"side\":\"sell\",\"orderType\":\"limit\"," +
            "\"price\":\"50000\",\"size\":\"0.1\",\"tif\":\"gtc\",\"postOnly\":false,\"reduceOnly\":false," +
            "\"margin\":\"cross\",\"stp\":\"expireTaker\"}",
            "{\"seq\":15,\"type\":\"resting\",\"orderId\":1,\"clientId\":7,\"account\":1,\"market\":\"BTC-USD\"," +
                "\"side\":\"sell\",\"price\":\"50000\",\"size\":\"0.1\"}");
        expect(amend(1, 1, NULL_ID, NULL_MARKET, -3, 1_000), "{\"seq\":16,\"type\":\"rejected\",\"command\":" +
            "\"amend\",\"reason\":\"PRICE_NOT_POSITIVE\",\"message\":\"price must be greater than zero\",\"detail\":-3," +
            "\"account\":1,\"market\":\"BTC-USD\",\"orderId\":1,\"clientId\":7}");
        expect(amend(1, 1, NULL_ID, NULL_MARKET, 500_000, 0), "{\"seq\":17,\"type\":\"rejected\",\"command\":" +
            "\"amend\",\"reason\":\"SIZE_NOT_POSITIVE\",\"message\":\"size must be greater than zero\",\"detail\":0," +
            "\"account\":1,\"market\":\"BTC-USD\",\"orderId\":1,\"clientId\":7}");
    }

    @Test
    void marketDefinitions()
    {
        expect(defineMarket(0, "NEW-USD", 1, 0), "{\"seq\":6,\"type\":\"rejected\",\"command\":\"defineMarket\"," +
            "\"reason\":\"INVALID_MARKET_DEFINITION\",\"message\":\"invalid market definition\",\"detail\":7,\"market\":0}");
        expect(defineMarket(8, "NEW-USD", 1, 0), "{\"seq\":7,\"type\":\"rejected\",\"command\":\"defineMarket\"," +
            "\"reason\":\"MARKET_CAPACITY_EXHAUSTED\",\"message\":\"market ids run up to 7\",\"detail\":7,\"market\":8}");
        expect(defineMarket(1, "NEW-USD", 1, 0), "{\"seq\":8,\"type\":\"rejected\",\"command\":\"defineMarket\"," +
            "\"reason\":\"MARKET_ALREADY_DEFINED\",\"message\":\"a market with this id already exists\",\"detail\":0," +
            "\"market\":\"BTC-USD\"}");
        expect(defineMarket(4, "NEW-USD", 0, 0), invalidDefinition(9, 4));
        expect(defineMarket(4, "NEW-USD", 1, -7), invalidDefinition(10, 4));
        expect(defineMarket(4, "new-usd", 1, 0), invalidDefinition(11, 4));
        expect(defineMarket(4, "BTC-USD", 1, 0), invalidDefinition(12, 4));
        expect(defineMarket(4, "NEW-USD", 1, 0), "{\"seq\":13,\"type\":\"marketDefined\",\"id\":4,\"market\":" +
            "\"NEW-USD\",\"tickSize\":\"1\",\"lotSize\":\"0.01\",\"minSize\":\"0.01\",\"maxOrderSize\":\"10\"," +
            "\"marketOrderBand\":\"0.1\",\"maxPosition\":\"50\",\"initialMargin\":\"0.1\",\"maintenanceMargin\":" +
            "\"0.05\",\"baselinePosition\":\"1\",\"incrementalPosition\":\"0.5\",\"incrementalInitialMargin\":" +
            "\"0.01\"}");
    }

    @Test
    void massCancelsTriggeredByGatewaySessions()
    {
        execute(deposit(1, 1_000_000_000));
        execute(oracle(1, 500_000));
        execute(oracle(2, 300_000));
        place(1, 1, 0, 0, 0, 490_000, 1_000, 0, 1);
        execute(PLACE_LENGTH);
        place(1, 2, 1, 0, 0, 310_000, 1_000, 0, 2);
        execute(PLACE_LENGTH);

        expect(massCancel(1, 1, 255, 1), "{\"seq\":11,\"type\":\"canceled\",\"orderId\":1,\"clientId\":1," +
            "\"account\":1,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"49000\",\"size\":\"0.1\",\"reason\":" +
            "\"CANCEL_ON_DISCONNECT\",\"wasResting\":true}",
            "{\"seq\":11,\"type\":\"massCanceled\",\"account\":1,\"market\":\"BTC-USD\",\"count\":1,\"trigger\":" +
                "\"disconnect\"}");
        expect(massCancel(1, NULL_MARKET, 1, 2), "{\"seq\":12,\"type\":\"canceled\",\"orderId\":2,\"clientId\":2," +
            "\"account\":1,\"market\":\"ETH-USD\",\"side\":\"sell\",\"price\":\"3100\",\"size\":\"1\",\"reason\":" +
            "\"DEAD_MAN_TIMER\",\"wasResting\":true}",
            "{\"seq\":12,\"type\":\"massCanceled\",\"account\":1,\"side\":\"sell\",\"count\":1,\"trigger\":" +
                "\"deadManTimer\"}");
    }

    @Test
    void feeTiersAndAccountConfiguration()
    {
        expect(defineFeeTier(256, 0, 0), invalidFeeTier(6, 256));
        expect(defineFeeTier(3, 0, -1), invalidFeeTier(7, 3));
        expect(defineFeeTier(3, -600, 500), invalidFeeTier(8, 3));
        expect(defineFeeTier(3, 100_001, 500), invalidFeeTier(9, 3));
        expect(defineFeeTier(3, -500, 500), "{\"seq\":10,\"type\":\"feeTierDefined\",\"tier\":3,\"makerFee\":" +
            "\"-0.0005\",\"takerFee\":\"0.0005\"}");

        expect(configureAccount(11, 255, 7), "{\"seq\":11,\"type\":\"rejected\",\"command\":\"configureAccount\"," +
            "\"reason\":\"UNKNOWN_FEE_TIER\",\"message\":\"fee tier 7 is not defined\",\"detail\":7,\"account\":11}");
        expect(configureAccount(11, 255, 3), "{\"seq\":12,\"type\":\"accountConfigured\",\"account\":11," +
            "\"feeTier\":3,\"stp\":\"expireTaker\"}");
        expect(configureAccount(11, 2, ConfigureAccountEncoder.feeTierNullValue()), "{\"seq\":13,\"type\":" +
            "\"accountConfigured\",\"account\":11,\"feeTier\":3,\"stp\":\"expireMaker\"}");
        expect(configureAccount(11, 255, ConfigureAccountEncoder.feeTierNullValue()), "{\"seq\":14,\"type\":" +
            "\"accountConfigured\",\"account\":11,\"feeTier\":3,\"stp\":\"expireMaker\"}");
    }

    @Test
    void notionalLimits()
    {
        expect(oracle(1, 588_235_295), "{\"seq\":6,\"type\":\"rejected\",\"command\":\"oracle\",\"reason\":" +
            "\"PRICE_ABOVE_MAXIMUM\",\"message\":\"the market's maximum position would be worth more than the " +
            "engine's limit of 10 billion USDC; the highest oracle price allowed is 58823529.4\",\"detail\":588235294," +
            "\"market\":\"BTC-USD\"}");
        expect(oracle(1, 588_235_294), "{\"seq\":7,\"type\":\"oracle\",\"market\":\"BTC-USD\",\"price\":" +
            "\"58823529.4\"}");

        new DefineMarketEncoder().wrapAndApplyHeader(command, 0, header)
            .tickSizeMantissa(1).tickSizeExponent((byte)0).lotSizeMantissa(1).lotSizeExponent((byte)0)
            .minSizeLots(1).maxOrderSizeLots(1_000).maxPositionLots(1_000).market(4).marketOrderBandPpm(500_000)
            .symbol("EDGE").baselinePositionLots(1_000).incrementalPositionLots(1).initialMarginPpm(100_000)
            .maintenanceMarginPpm(50_000).incrementalInitialMarginPpm(0);
        expect(HEADER + DefineMarketEncoder.BLOCK_LENGTH, "{\"seq\":8,\"type\":\"marketDefined\",\"id\":4,\"market\":" +
            "\"EDGE\",\"tickSize\":\"1\",\"lotSize\":\"1\",\"minSize\":\"1\",\"maxOrderSize\":\"1000\"," +
            "\"marketOrderBand\":\"0.5\",\"maxPosition\":\"1000\",\"initialMargin\":\"0.1\",\"maintenanceMargin\":" +
            "\"0.05\",\"baselinePosition\":\"1000\",\"incrementalPosition\":\"1\",\"incrementalInitialMargin\":" +
            "\"0\"}");
        execute(oracle(4, 10_000_000));
        expect(place(11, 4, 0, 1, 1, 0, 1_000, 0, 7), "{\"seq\":10,\"type\":\"rejected\",\"command\":\"place\"," +
            "\"reason\":\"PRICE_ABOVE_MAXIMUM\",\"message\":\"price 15000000 x size is above the engine's limit " +
            "of 10 billion USDC, counted with the open orders on its side\",\"detail\":15000000,\"account\":11," +
            "\"market\":\"EDGE\",\"clientId\":7}");
    }

    private static String invalidFeeTier(final long seq, final int tier)
    {
        return "{\"seq\":" + seq + ",\"type\":\"rejected\",\"command\":\"defineFeeTier\",\"reason\":" +
            "\"INVALID_FEE_TIER\",\"message\":\"fee tier " + tier + " is out of range: the tier must be 0 to 255, " +
            "the taker rate 0 to 0.1 and the maker rate from minus the taker rate to 0.1\",\"detail\":" + tier + "}";
    }

    private static String rejectedPlace(final long seq, final String reason, final String message, final long detail)
    {
        return "{\"seq\":" + seq + ",\"type\":\"rejected\",\"command\":\"place\",\"reason\":\"" + reason +
            "\",\"message\":\"" + message + "\",\"detail\":" + detail + ",\"account\":1,\"market\":\"BTC-USD\",\"clientId\":7}";
    }

    private static String invalidDefinition(final long seq, final int market)
    {
        return "{\"seq\":" + seq + ",\"type\":\"rejected\",\"command\":\"defineMarket\",\"reason\":" +
            "\"INVALID_MARKET_DEFINITION\",\"message\":\"invalid market definition\",\"detail\":0,\"market\":" + market + "}";
    }

    private void expect(final int length, final String... expectedEvents)
    {
        final StringBuilder expected = new StringBuilder();
        for (final String event : expectedEvents)
        {
            expected.append("  ").append(event).append('\n');
        }
        final long seq = sequence + 1;
        execute(length);
        assertEquals(expected.toString(), render.render(seq, fastEvents, fastWriter.position()), "matcher");
        assertEquals(expected.toString(), render.render(seq, referenceEvents, referenceWriter.position()), "reference");
    }

    private void execute(final int length)
    {
        sequence++;
        fastWriter.wrap(fastEvents, 0);
        fast.execute(sequence, 0, command, 0, length, fastWriter);
        referenceWriter.wrap(referenceEvents, 0);
        reference.execute(sequence, 0, command, 0, length, referenceWriter);
    }

    private int place(
        final int account,
        final int market,
        final int side,
        final int orderType,
        final int timeInForce,
        final long priceTicks,
        final long sizeLots,
        final int flags,
        final long clientOrderId)
    {
        new PlaceOrderEncoder().wrapAndApplyHeader(command, 0, header)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .account(account)
            .market(market);
        command.putByte(BODY + PlaceOrderEncoder.sideEncodingOffset(), (byte)side);
        command.putByte(BODY + PlaceOrderEncoder.orderTypeEncodingOffset(), (byte)orderType);
        command.putByte(BODY + PlaceOrderEncoder.timeInForceEncodingOffset(), (byte)timeInForce);
        command.putByte(BODY + PlaceOrderEncoder.flagsEncodingOffset(), (byte)flags);
        command.putByte(BODY + PlaceOrderEncoder.marginModeEncodingOffset(), (byte)0);
        command.putByte(BODY + PlaceOrderEncoder.selfTradePreventionEncodingOffset(), (byte)0);
        return PLACE_LENGTH;
    }

    private int cancel(final int account, final long orderId, final long clientOrderId, final int market)
    {
        new CancelOrderEncoder().wrapAndApplyHeader(command, 0, header)
            .orderId(orderId).clientOrderId(clientOrderId).account(account).market(market);
        return HEADER + CancelOrderEncoder.BLOCK_LENGTH;
    }

    private int amend(
        final int account, final long orderId, final long clientOrderId, final int market, final long priceTicks,
        final long sizeLots)
    {
        new AmendOrderEncoder().wrapAndApplyHeader(command, 0, header)
            .orderId(orderId).clientOrderId(clientOrderId).account(account).market(market)
            .priceTicks(priceTicks).sizeLots(sizeLots);
        return HEADER + AmendOrderEncoder.BLOCK_LENGTH;
    }

    private int massCancel(final int account, final int market, final int side, final int trigger)
    {
        new MassCancelEncoder().wrapAndApplyHeader(command, 0, header).account(account).market(market);
        command.putByte(BODY + MassCancelEncoder.sideEncodingOffset(), (byte)side);
        command.putByte(BODY + MassCancelEncoder.triggerEncodingOffset(), (byte)trigger);
        return HEADER + MassCancelEncoder.BLOCK_LENGTH;
    }

    private int deposit(final int account, final long amountMicros)
    {
        new DepositEncoder().wrapAndApplyHeader(command, 0, header).account(account).amountMicros(amountMicros);
        return HEADER + DepositEncoder.BLOCK_LENGTH;
    }

    private int withdraw(final int account, final long amountMicros)
    {
        new WithdrawEncoder().wrapAndApplyHeader(command, 0, header).account(account).amountMicros(amountMicros);
        return HEADER + WithdrawEncoder.BLOCK_LENGTH;
    }

    private int defineFeeTier(final int tier, final int makerPpm, final int takerPpm)
    {
        new DefineFeeTierEncoder().wrapAndApplyHeader(command, 0, header)
            .tier(tier).makerFeePpm(makerPpm).takerFeePpm(takerPpm);
        return HEADER + DefineFeeTierEncoder.BLOCK_LENGTH;
    }

    private int oracle(final int market, final long priceTicks)
    {
        new OraclePriceEncoder().wrapAndApplyHeader(command, 0, header).market(market).priceTicks(priceTicks);
        return HEADER + OraclePriceEncoder.BLOCK_LENGTH;
    }

    private int configureAccount(final int account, final int mode)
    {
        return configureAccount(account, mode, ConfigureAccountEncoder.feeTierNullValue());
    }

    private int configureAccount(final int account, final int mode, final int feeTier)
    {
        new ConfigureAccountEncoder().wrapAndApplyHeader(command, 0, header).account(account).feeTier(feeTier);
        command.putByte(BODY + ConfigureAccountEncoder.selfTradePreventionEncodingOffset(), (byte)mode);
        return HEADER + ConfigureAccountEncoder.BLOCK_LENGTH;
    }

    /**
     * A market with tick 1 and lot 0.01 (one tick-lot is 10,000 micro-USDC), sizes 0.01 to 10, positions up to 50,
     * band 10%, margin 10% (maintenance 5%) plus 1% per 0.5 beyond 1; the tick mantissa and exponent are as given.
     */
    private int defineMarket(final int market, final String symbol, final long tickMantissa, final int tickExponent)
    {
        new DefineMarketEncoder().wrapAndApplyHeader(command, 0, header)
            .tickSizeMantissa(tickMantissa)
            .lotSizeMantissa(1)
            .minSizeLots(1)
            .maxOrderSizeLots(1_000)
            .market(market)
            .marketOrderBandPpm(100_000)
            .tickSizeExponent((byte)tickExponent)
            .lotSizeExponent((byte)-2)
            .symbol(symbol)
            .baselinePositionLots(100)
            .incrementalPositionLots(50)
            .maxPositionLots(5_000)
            .initialMarginPpm(100_000)
            .maintenanceMarginPpm(50_000)
            .incrementalInitialMarginPpm(10_000);
        return HEADER + DefineMarketEncoder.BLOCK_LENGTH;
    }
}
