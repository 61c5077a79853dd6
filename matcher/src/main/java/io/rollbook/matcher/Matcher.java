package io.rollbook.matcher;

import java.util.Arrays;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.EngineEnums;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.WithdrawDecoder;
import org.agrona.DirectBuffer;

/**
 * The matcher: a deterministic state machine {@code (state, command) -> (state', events)} over markets, order
 * books and accounts.
 *
 * <p>It reads no clock (time is the {@code timestampNs} the sequencer stamped on the command), uses no randomness,
 * starts no thread, does no I/O and never iterates a hash map to produce output, so replaying the same commands
 * gives byte-identical events on any machine. {@code MatcherPurityTest} enforces this on the compiled classes.
 *
 * <p>Single-threaded: one thread owns an instance and everything it holds. In steady state {@link #execute}
 * allocates nothing.
 */
public final class Matcher
{
    private static final int NULL_MARKET = CommandRejectedEncoder.marketNullValue();
    private static final long NULL_ORDER_ID = CommandRejectedEncoder.orderIdNullValue();
    private static final long NULL_CLIENT_ORDER_ID = CommandRejectedEncoder.clientOrderIdNullValue();

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PlaceOrderDecoder placeOrder = new PlaceOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final AmendOrderDecoder amendOrder = new AmendOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final DepositDecoder deposit = new DepositDecoder();
    private final WithdrawDecoder withdraw = new WithdrawDecoder();
    private final OraclePriceDecoder oraclePrice = new OraclePriceDecoder();
    private final ConfigureAccountDecoder configureAccount = new ConfigureAccountDecoder();
    private final DefineMarketDecoder defineMarket = new DefineMarketDecoder();

    private final MarketTable markets;
    private final AccountTable accounts;
    private final LiveOrders liveOrders;
    private final OrderEntry orderEntry;

    private long lastSequence;
    private long lastTimestampNs;

    public Matcher(final Context context)
    {
        markets = new MarketTable(context.marketCapacity);
        accounts = new AccountTable(context.accountCapacity);
        liveOrders = new LiveOrders(accounts, context.orderCapacity);
        orderEntry = new OrderEntry(markets, accounts, liveOrders, context.maxOpenOrdersPerAccount);
    }

    /**
     * Applies one sequenced command and appends its events to {@code events}.
     *
     * @param sequence    the command's sequence number: exactly one more than the previous command's
     * @param timestampNs the time the sequencer stamped on it
     * @param buffer      holds the command: an engine SBE message, header first
     * @param offset      where the header starts
     * @param length      the command's length in bytes, header included
     * @param events      where the events go
     * @throws IllegalStateException if the sequence number does not follow the last one: the caller is broken
     *                               and continuing would make a state nobody can replay
     */
    public void execute(
        final long sequence,
        final long timestampNs,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final EventWriter events)
    {
        if (sequence != lastSequence + 1)
        {
            throw new IllegalStateException("sequence " + sequence + " does not follow " + lastSequence);
        }
        lastSequence = sequence;
        lastTimestampNs = timestampNs;

        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            events.rejected(0, RejectReason.MALFORMED_COMMAND, 0, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID,
                length);
            return;
        }
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID ||
            blockLength > length - MessageHeaderDecoder.ENCODED_LENGTH)
        {
            events.rejected(templateId, RejectReason.MALFORMED_COMMAND, 0, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, length);
            return;
        }

        switch (templateId)
        {
            case PlaceOrderDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, PlaceOrderDecoder.BLOCK_LENGTH, length, events))
                {
                    orderEntry.place(placeOrder.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case CancelOrderDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, CancelOrderDecoder.BLOCK_LENGTH, length, events))
                {
                    orderEntry.cancel(cancelOrder.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case AmendOrderDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, AmendOrderDecoder.BLOCK_LENGTH, length, events))
                {
                    orderEntry.amend(amendOrder.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case MassCancelDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, MassCancelDecoder.BLOCK_LENGTH, length, events))
                {
                    orderEntry.massCancel(massCancel.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case DepositDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, DepositDecoder.BLOCK_LENGTH, length, events))
                {
                    onDeposit(deposit.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case WithdrawDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, WithdrawDecoder.BLOCK_LENGTH, length, events))
                {
                    onWithdraw(withdraw.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case OraclePriceDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, OraclePriceDecoder.BLOCK_LENGTH, length, events))
                {
                    onOraclePrice(oraclePrice.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case ConfigureAccountDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, ConfigureAccountDecoder.BLOCK_LENGTH, length, events))
                {
                    onConfigureAccount(configureAccount.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case DefineMarketDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, DefineMarketDecoder.BLOCK_LENGTH, length, events))
                {
                    onDefineMarket(defineMarket.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            default:
                events.rejected(templateId, RejectReason.UNKNOWN_COMMAND, 0, NULL_MARKET, NULL_ORDER_ID,
                    NULL_CLIENT_ORDER_ID, templateId);
        }
    }

    /**
     * @return the sequence number of the last command executed, 0 before the first
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the timestamp of the last command executed
     */
    public long lastTimestampNs()
    {
        return lastTimestampNs;
    }

    /**
     * @return the last order id assigned
     */
    public long lastOrderId()
    {
        return orderEntry.lastOrderId();
    }

    /**
     * @return the last trade id assigned
     */
    public long lastTradeId()
    {
        return orderEntry.lastTradeId();
    }

    /**
     * @return how many orders are live (resting) across all books
     */
    public int liveOrderCount()
    {
        return liveOrders.count();
    }

    /**
     * Read-only access for views that run on the matcher thread (tests, snapshots): the market, or null.
     */
    public Market market(final int marketId)
    {
        return markets.get(marketId);
    }

    /**
     * Read-only access for views that run on the matcher thread: the account, or null if never named.
     */
    public Account account(final int accountId)
    {
        return accounts.inRange(accountId) ? accounts.get(accountId) : null;
    }

    private static boolean fits(
        final int templateId,
        final int blockLength,
        final int requiredBlockLength,
        final int length,
        final EventWriter events)
    {
        if (blockLength < requiredBlockLength)
        {
            events.rejected(templateId, RejectReason.MALFORMED_COMMAND, 0, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, length);
            return false;
        }

        return true;
    }

    private void onDeposit(final DepositDecoder command, final EventWriter events)
    {
        final int accountId = command.account();
        final long amount = command.amountMicros();
        if (rejectAmount(DepositDecoder.TEMPLATE_ID, accountId, amount, events))
        {
            return;
        }
        final Account account = accounts.getOrCreate(accountId);
        final long collateral = account.collateralMicros();
        if (collateral > Long.MAX_VALUE - amount)
        {
            events.rejected(DepositDecoder.TEMPLATE_ID, RejectReason.AMOUNT_TOO_LARGE, accountId, NULL_MARKET,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, Long.MAX_VALUE - collateral);
            return;
        }

        account.addCollateral(amount);
        events.balanceChanged(accountId, amount, account.collateralMicros());
    }

    private void onWithdraw(final WithdrawDecoder command, final EventWriter events)
    {
        final int accountId = command.account();
        final long amount = command.amountMicros();
        if (rejectAmount(WithdrawDecoder.TEMPLATE_ID, accountId, amount, events))
        {
            return;
        }
        final Account account = accounts.get(accountId);
        final long free = account == null ? 0 : account.collateralMicros();
        if (amount > free)
        {
            events.rejected(WithdrawDecoder.TEMPLATE_ID, RejectReason.WITHDRAWAL_EXCEEDS_FREE_COLLATERAL, accountId,
                NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, free);
            return;
        }

        account.addCollateral(-amount);
        events.balanceChanged(accountId, -amount, account.collateralMicros());
    }

    private boolean rejectAmount(final int templateId, final int accountId, final long amount, final EventWriter events)
    {
        if (!accounts.inRange(accountId))
        {
            events.rejected(templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, accounts.capacity() - 1);
            return true;
        }
        if (amount <= 0)
        {
            events.rejected(templateId, RejectReason.AMOUNT_NOT_POSITIVE, accountId, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, amount);
            return true;
        }

        return false;
    }

    private void onOraclePrice(final OraclePriceDecoder command, final EventWriter events)
    {
        final int marketId = command.market();
        final long priceTicks = command.priceTicks();
        final Market market = markets.get(marketId);
        if (market == null)
        {
            events.rejected(OraclePriceDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_MARKET, 0, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        if (priceTicks <= 0)
        {
            events.rejected(OraclePriceDecoder.TEMPLATE_ID, RejectReason.PRICE_NOT_POSITIVE, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, priceTicks);
            return;
        }

        market.oraclePriceTicks(priceTicks);
        events.oracleUpdated(marketId, priceTicks);
    }

    private void onConfigureAccount(final ConfigureAccountDecoder command, final EventWriter events)
    {
        final int accountId = command.account();
        if (!accounts.inRange(accountId))
        {
            events.rejected(ConfigureAccountDecoder.TEMPLATE_ID, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId,
                NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, accounts.capacity() - 1);
            return;
        }
        final SelfTradePrevention mode = EngineEnums.selfTradePrevention(command.selfTradePreventionRaw());
        if (mode == null || mode == SelfTradePrevention.ACCOUNT_DEFAULT)
        {
            events.rejected(ConfigureAccountDecoder.TEMPLATE_ID, RejectReason.INVALID_SELF_TRADE_PREVENTION,
                accountId, NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, command.selfTradePreventionRaw());
            return;
        }

        accounts.getOrCreate(accountId).defaultSelfTradePrevention(mode);
        events.accountConfigured(accountId, mode);
    }

    private void onDefineMarket(final DefineMarketDecoder command, final EventWriter events)
    {
        final int marketId = command.market();
        final long tickMantissa = command.tickSizeMantissa();
        final byte tickExponent = command.tickSizeExponent();
        final long lotMantissa = command.lotSizeMantissa();
        final byte lotExponent = command.lotSizeExponent();
        final long minSizeLots = command.minSizeLots();
        final long maxOrderSizeLots = command.maxOrderSizeLots();
        final int bandPpm = command.marketOrderBandPpm();

        if (!markets.inRange(marketId))
        {
            events.rejected(DefineMarketDecoder.TEMPLATE_ID,
                marketId <= 0 ? RejectReason.INVALID_MARKET_DEFINITION : RejectReason.MARKET_CAPACITY_EXHAUSTED,
                0, marketId, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, markets.capacity() - 1);
            return;
        }
        if (markets.get(marketId) != null)
        {
            events.rejected(DefineMarketDecoder.TEMPLATE_ID, RejectReason.MARKET_ALREADY_DEFINED, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        final long tickLotValue = Decimals.tickLotValueMicros(tickMantissa, tickExponent, lotMantissa, lotExponent);
        final byte[] symbol = new byte[Market.SYMBOL_LENGTH];
        command.getSymbol(symbol, 0);
        if (tickLotValue <= 0 || minSizeLots <= 0 || maxOrderSizeLots < minSizeLots || bandPpm <= 0 ||
            bandPpm >= 1_000_000 || !validSymbol(symbol) || symbolTaken(symbol))
        {
            events.rejected(DefineMarketDecoder.TEMPLATE_ID, RejectReason.INVALID_MARKET_DEFINITION, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, 0);
            return;
        }

        markets.add(new Market(marketId, symbol, tickMantissa, tickExponent, lotMantissa, lotExponent, tickLotValue,
            minSizeLots, maxOrderSizeLots, bandPpm));
        events.marketDefined(marketId, tickMantissa, tickExponent, lotMantissa, lotExponent, minSizeLots,
            maxOrderSizeLots, bandPpm, command.buffer(), command.offset() + DefineMarketDecoder.symbolEncodingOffset());
    }

    /**
     * Commands, events and market data name markets by symbol at the edge, so a symbol may belong to one market.
     */
    private boolean symbolTaken(final byte[] symbol)
    {
        for (int marketId = 1; marketId < markets.capacity(); marketId++)
        {
            final Market market = markets.get(marketId);
            if (market != null && Arrays.equals(market.symbol(), symbol))
            {
                return true;
            }
        }

        return false;
    }

    /**
     * A symbol is 1 to 16 characters of A-Z, 0-9, '_', '/', '-', starting with a letter or digit, NUL padded.
     */
    private static boolean validSymbol(final byte[] symbol)
    {
        int length = 0;
        while (length < symbol.length && symbol[length] != 0)
        {
            final byte c = symbol[length];
            final boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (length == 0 || (c != '_' && c != '/' && c != '-')))
            {
                return false;
            }
            length++;
        }
        for (int i = length; i < symbol.length; i++)
        {
            if (symbol[i] != 0)
            {
                return false;
            }
        }

        return length > 0;
    }

    /**
     * Capacities of a matcher. They bound memory, and they are part of the state machine's definition: a replay
     * must use the same values to get the same events.
     */
    public static final class Context
    {
        private int marketCapacity = 256;
        private int accountCapacity = 1 << 20;
        private int orderCapacity = 1_000_000;
        private int maxOpenOrdersPerAccount = 1_000;

        /**
         * @param marketCapacity one more than the highest market id
         */
        public Context marketCapacity(final int marketCapacity)
        {
            this.marketCapacity = marketCapacity;
            return this;
        }

        public int marketCapacity()
        {
            return marketCapacity;
        }

        /**
         * @param accountCapacity one more than the highest account id
         */
        public Context accountCapacity(final int accountCapacity)
        {
            this.accountCapacity = accountCapacity;
            return this;
        }

        public int accountCapacity()
        {
            return accountCapacity;
        }

        /**
         * @param orderCapacity how many orders may rest across all books
         */
        public Context orderCapacity(final int orderCapacity)
        {
            this.orderCapacity = orderCapacity;
            return this;
        }

        public int orderCapacity()
        {
            return orderCapacity;
        }

        public Context maxOpenOrdersPerAccount(final int maxOpenOrdersPerAccount)
        {
            this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
            return this;
        }

        public int maxOpenOrdersPerAccount()
        {
            return maxOpenOrdersPerAccount;
        }
    }
}
