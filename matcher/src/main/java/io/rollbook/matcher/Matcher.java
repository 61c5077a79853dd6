package io.rollbook.matcher;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.matcher.risk.Clearing;
import io.rollbook.matcher.risk.FeeSchedule;
import io.rollbook.matcher.risk.FixedMath;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.EngineEnums;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.ConfigureAccountDecoder;
import io.rollbook.protocol.engine.DefineFeeTierDecoder;
import io.rollbook.protocol.engine.DefineMarketDecoder;
import io.rollbook.protocol.engine.DepositDecoder;
import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.IsolatedMarginTransferDecoder;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OraclePriceDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.WithdrawDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

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
    /**
     * One trillion USDC: neither one balance nor all deposits less all withdrawals together may be taken beyond it by
     * a deposit. Money only moves between accounts, so the exchange-wide bound is what keeps every balance, the fee
     * account's and the insurance fund's included, and every sum of them inside a long.
     */
    private static final long MAX_BALANCE_MICROS = 1_000_000_000_000_000_000L;
    /** 5% per tick: a larger funding rate is an operator error. */
    private static final long MAX_FUNDING_RATE_PPB = 50_000_000L;
    /** Keeps the difference of two funding indexes inside a long. */
    private static final long MAX_FUNDING_INDEX = 4_000_000_000_000_000_000L;
    /**
     * A market's maximum position above which {@link #MAX_FUNDING_INDEX} alone no longer bounds a settlement: the
     * most one position can owe, maxPosition x 2 x MAX_FUNDING_INDEX / 1e9 micro-USDC, is the balance bound here.
     */
    private static final long MAX_POSITION_AT_FULL_FUNDING_RANGE =
        MAX_BALANCE_MICROS / (2 * (MAX_FUNDING_INDEX / Margin.NANOS_PER_MICRO));

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
    private final FundingTickDecoder fundingTick = new FundingTickDecoder();
    private final IsolatedMarginTransferDecoder isolatedMarginTransfer = new IsolatedMarginTransferDecoder();
    private final DefineFeeTierDecoder defineFeeTier = new DefineFeeTierDecoder();

    private final MarketTable markets;
    private final AccountTable accounts;
    private final Margin margin;
    private final Clearing clearing;
    private final LiveOrders liveOrders;
    private final OrderEntry orderEntry;
    private final Liquidations liquidations;
    private final Context context;
    private final SnapshotEncoder snapshotEncoder = new SnapshotEncoder();
    private long depositedMicros;
    private long withdrawnMicros;

    private long lastSequence;
    private long lastTimestampNs;

    public Matcher(final Context context)
    {
        context.validate();
        this.context = context.copy();
        markets = new MarketTable(context.marketCapacity);
        accounts = new AccountTable(context.accountCapacity);
        final FeeSchedule fees = new FeeSchedule();
        margin = new Margin(markets, fees);
        clearing = new Clearing(markets, accounts, margin, fees, context.feeAccount,
            context.insuranceFundAccount);
        liveOrders = new LiveOrders(accounts, clearing, context.orderCapacity);
        orderEntry = new OrderEntry(markets, accounts, liveOrders, clearing, context.maxOpenOrdersPerAccount,
            context.maxMakersPerTaker);
        liquidations = new Liquidations(markets, accounts, clearing, orderEntry);
        accounts.getOrCreate(context.feeAccount);
        accounts.getOrCreate(context.insuranceFundAccount);
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
        clearing.beginCommand(sequence);
        dispatch(buffer, offset, length, events);
        if (clearing.touchedCount() > 0)
        {
            settleTouched(events);
        }
    }

    private void dispatch(final DirectBuffer buffer, final int offset, final int length, final EventWriter events)
    {
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

            case FundingTickDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, FundingTickDecoder.BLOCK_LENGTH, length, events))
                {
                    onFundingTick(fundingTick.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case IsolatedMarginTransferDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, IsolatedMarginTransferDecoder.BLOCK_LENGTH, length, events))
                {
                    onIsolatedMarginTransfer(
                        isolatedMarginTransfer.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            case DefineFeeTierDecoder.TEMPLATE_ID:
                if (fits(templateId, blockLength, DefineFeeTierDecoder.BLOCK_LENGTH, length, events))
                {
                    onDefineFeeTier(defineFeeTier.wrap(buffer, bodyOffset, blockLength, version), events);
                }
                break;

            default:
                events.rejected(templateId, RejectReason.UNKNOWN_COMMAND, 0, NULL_MARKET, NULL_ORDER_ID,
                    NULL_CLIENT_ORDER_ID, templateId);
        }
    }

    /**
     * After a command changed positions or orders: trims reduce-only orders to their positions, liquidates
     * margin scopes that fell below maintenance (following any cascade), then, if a liquidation took place, trims
     * again what its deleveraging shrank after its slot's first trim (a slot enters the list once per command),
     * returns emptied isolated buckets to cross collateral and closes slots nothing keeps alive.
     */
    private void settleTouched(final EventWriter events)
    {
        boolean liquidated = false;
        for (int i = 0; i < clearing.touchedCount(); i++)
        {
            final Position position = clearing.touchedAt(i);
            if (position.isOpen())
            {
                orderEntry.trimReduceOnly(position, events);
                liquidated |= liquidations.checkAndLiquidate(position, events);
            }
        }
        for (int i = 0; i < clearing.touchedCount(); i++)
        {
            final Position position = clearing.touchedAt(i);
            if (position.isOpen())
            {
                if (liquidated)
                {
                    orderEntry.trimReduceOnly(position, events);
                }
                returnEmptyBucket(position, events);
                clearing.releaseIfEmpty(position);
            }
        }
    }

    /**
     * An isolated bucket with neither position nor orders hands its collateral back to cross; a deficit (a closed
     * position that lost more than its bucket) is the insurance fund's, never the cross side's.
     */
    private void returnEmptyBucket(final Position position, final EventWriter events)
    {
        final long left = position.isolatedMarginMicros();
        if (!position.isIsolated() || position.sizeLots() != 0 || position.openOrderCount() != 0 || left == 0)
        {
            return;
        }
        position.addIsolatedMargin(-left);
        if (left > 0)
        {
            position.account().addCollateral(left);
            clearing.refile(position.account());
        }
        else
        {
            final Account insurance = accounts.get(context.insuranceFundAccount);
            insurance.addCollateral(left);
            events.balanceChanged(insurance.id(), left, insurance.collateralMicros(), BalanceCause.INSURANCE_COVER);
        }
        events.positionChanged(position);
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
     * Writes the complete state, canonically: equal states give equal bytes. The buffer is checked (an expandable
     * one grown) once, to the exact length, before anything is written.
     *
     * @return the number of bytes written
     */
    public int writeSnapshot(final MutableDirectBuffer buffer, final int offset)
    {
        return snapshotEncoder.write(this, buffer, offset);
    }

    /**
     * @return the exact length {@link #writeSnapshot} would write now, from counts the state keeps (no order is read)
     */
    public long snapshotLength()
    {
        return SnapshotEncoder.length(this);
    }

    /**
     * @return a matcher in exactly the state a snapshot holds, ready for the command after its last sequence
     * @throws IllegalArgumentException if the bytes are not a complete snapshot of this version
     */
    public static Matcher readSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        return SnapshotCodec.read(buffer, offset, length);
    }

    /**
     * @return SHA-256 of the snapshot bytes: equal for equal states, on any machine
     */
    public byte[] stateHash()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
        final int length = writeSnapshot(buffer, 0);
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(buffer.byteArray(), 0, length);
            return digest.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
    }

    void restoreCounters(
        final long lastSequence,
        final long lastTimestampNs,
        final long lastOrderId,
        final long lastTradeId,
        final long depositedMicros,
        final long withdrawnMicros,
        final long fundingResidueNanos)
    {
        this.lastSequence = lastSequence;
        this.lastTimestampNs = lastTimestampNs;
        orderEntry.lastOrderId(lastOrderId);
        orderEntry.lastTradeId(lastTradeId);
        this.depositedMicros = depositedMicros;
        this.withdrawnMicros = withdrawnMicros;
        clearing.fundingResidueNanos(fundingResidueNanos);
    }

    MarketTable markets()
    {
        return markets;
    }

    AccountTable accounts()
    {
        return accounts;
    }

    LiveOrders liveOrders()
    {
        return liveOrders;
    }

    Clearing clearing()
    {
        return clearing;
    }

    /**
     * @return a copy of the definition this matcher was built with
     */
    public Context context()
    {
        return context.copy();
    }

    /**
     * @return the total of all accepted deposits, modulo 2^64: it wraps past 9.2 trillion USDC in a long life, while
     * {@code depositedMicros() - withdrawnMicros()}, bounded by the deposit limit, stays exact
     */
    public long depositedMicros()
    {
        return depositedMicros;
    }

    /**
     * @return the total of all accepted withdrawals, modulo 2^64 like {@link #depositedMicros()}
     */
    public long withdrawnMicros()
    {
        return withdrawnMicros;
    }

    /**
     * @return funding rounding not yet paid to the insurance fund, in 1e-9 micro-USDC
     */
    public long fundingResidueNanos()
    {
        return clearing.fundingResidueNanos();
    }

    /**
     * Read-only access for views that run on the matcher thread (tests, snapshots): the market, or null.
     */
    public Market market(final int marketId)
    {
        return markets.get(marketId);
    }

    /**
     * Read-only access for views that run on the matcher thread (tests comparing other views with the matcher's
     * figures): the margin arithmetic over this matcher's markets and fee tiers.
     */
    public Margin margin()
    {
        return margin;
    }

    /**
     * Read-only access for views that run on the matcher thread: the account, or null if never named.
     */
    public Account account(final int accountId)
    {
        return accounts.inRange(accountId) ? accounts.get(accountId) : null;
    }

    /**
     * Read-only access for views that run on the matcher thread: {@link #account} is null for every id at or above
     * this one (the accounts in use, where the capacity bounds the ids that may ever be).
     */
    public int accountLimit()
    {
        return accounts.limit();
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
        final Account existing = accounts.get(accountId);
        // The totals may wrap after a long life of deposits and withdrawals; their difference, bounded, stays exact.
        final long held = depositedMicros - withdrawnMicros;
        final long room = Math.min(MAX_BALANCE_MICROS - Math.max(0, held),
            MAX_BALANCE_MICROS - (existing == null ? 0 : Math.max(0, existing.collateralMicros())));
        if (amount > room)
        {
            events.rejected(DepositDecoder.TEMPLATE_ID, RejectReason.AMOUNT_TOO_LARGE, accountId, NULL_MARKET,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, room);
            return;
        }

        final Account account = accounts.getOrCreate(accountId);
        account.addCollateral(amount);
        depositedMicros += amount;
        events.balanceChanged(accountId, amount, account.collateralMicros(), BalanceCause.DEPOSIT);
        clearing.refile(account);
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
        final long free = account == null ? 0 : Math.max(0, margin.crossFreeCollateral(account));
        if (amount > free)
        {
            events.rejected(WithdrawDecoder.TEMPLATE_ID, RejectReason.WITHDRAWAL_EXCEEDS_FREE_COLLATERAL, accountId,
                NULL_MARKET, NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, free);
            return;
        }

        account.addCollateral(-amount);
        withdrawnMicros += amount;
        events.balanceChanged(accountId, -amount, account.collateralMicros(), BalanceCause.WITHDRAWAL);
        clearing.refile(account);
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
        // A maximum position must stay within the engine's notional limit at the oracle price.
        if (Margin.notionalOrMinusOne(market, priceTicks, market.maxPositionLots()) < 0)
        {
            events.rejected(OraclePriceDecoder.TEMPLATE_ID, RejectReason.PRICE_ABOVE_MAXIMUM, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID,
                Margin.MAX_NOTIONAL_MICROS / market.maxPositionLots() / market.tickLotValueMicros());
            return;
        }

        market.oraclePriceTicks(priceTicks);
        events.oracleUpdated(marketId, priceTicks);
        liquidations.onMarketMoved(market, events);
    }

    private void onFundingTick(final FundingTickDecoder command, final EventWriter events)
    {
        final int marketId = command.market();
        final long ratePpb = command.ratePpb();
        final Market market = markets.get(marketId);
        if (market == null)
        {
            events.rejected(FundingTickDecoder.TEMPLATE_ID, RejectReason.UNKNOWN_MARKET, 0, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        if (ratePpb > MAX_FUNDING_RATE_PPB || ratePpb < -MAX_FUNDING_RATE_PPB)
        {
            events.rejected(FundingTickDecoder.TEMPLATE_ID, RejectReason.FUNDING_RATE_OUT_OF_RANGE, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, MAX_FUNDING_RATE_PPB);
            return;
        }
        final long oracleTicks = market.oraclePriceTicks();
        if (oracleTicks == 0)
        {
            events.rejected(FundingTickDecoder.TEMPLATE_ID, RejectReason.NO_ORACLE_PRICE, 0, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        // Exact: one lot's payment for the tick in 1e-9 micro-USDC, P * v * rate(ppb).
        final long valuePerLot = Margin.notional(market, oracleTicks, 1);
        final long increment = ratePpb * valuePerLot;
        final long index = market.fundingIndex() + increment;
        final long limit = fundingIndexLimit(market);
        if (Math.multiplyHigh(ratePpb, valuePerLot) != (increment >> 63) ||
            Math.abs(index) > limit || Math.abs(increment) > limit)
        {
            events.rejected(FundingTickDecoder.TEMPLATE_ID, RejectReason.FUNDING_INDEX_OVERFLOW, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, market.fundingIndex());
            return;
        }

        market.fundingIndex(index);
        events.fundingApplied(marketId, ratePpb, index, oracleTicks);
        liquidations.onMarketMoved(market, events);
    }

    /**
     * @return how far the market's funding index may go either way: within it, what a position owes since it last
     * settled, size x (index difference) / 1e9, stays within the balance bound, so a settlement can never overflow,
     * however large a position the market allows (below {@link #MAX_POSITION_AT_FULL_FUNDING_RANGE} lots the limit
     * is {@link #MAX_FUNDING_INDEX})
     */
    private static long fundingIndexLimit(final Market market)
    {
        final long maxPosition = market.maxPositionLots();
        return maxPosition <= MAX_POSITION_AT_FULL_FUNDING_RANGE ? MAX_FUNDING_INDEX :
            MAX_BALANCE_MICROS / (2 * maxPosition) * Margin.NANOS_PER_MICRO;
    }

    private void onIsolatedMarginTransfer(final IsolatedMarginTransferDecoder command, final EventWriter events)
    {
        final int templateId = IsolatedMarginTransferDecoder.TEMPLATE_ID;
        final int accountId = command.account();
        final int marketId = command.market();
        final long amount = command.amountMicros();
        if (!accounts.inRange(accountId))
        {
            events.rejected(templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, accounts.capacity() - 1);
            return;
        }
        final Market market = markets.get(marketId);
        if (market == null)
        {
            events.rejected(templateId, RejectReason.UNKNOWN_MARKET, accountId, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        if (amount == 0 || amount == Long.MIN_VALUE)
        {
            events.rejected(templateId, RejectReason.AMOUNT_NOT_POSITIVE, accountId, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, amount);
            return;
        }
        final Account account = accounts.get(accountId);
        final Position slot = account == null ? null : account.position(marketId);
        if (slot == null || !slot.isIsolated())
        {
            events.rejected(templateId, RejectReason.NO_ISOLATED_POSITION, accountId, marketId, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        if (amount > 0)
        {
            final long free = Math.max(0, margin.crossFreeCollateral(account));
            if (amount > free)
            {
                events.rejected(templateId, RejectReason.INSUFFICIENT_MARGIN, accountId, marketId, NULL_ORDER_ID,
                    NULL_CLIENT_ORDER_ID, amount - free);
                return;
            }
        }
        else
        {
            // Hyperliquid's rule: what stays must cover max(initial requirement, 10% of notional), rounded up like
            // every requirement.
            final long floor = Math.max(margin.worstCaseInitial(slot),
                FixedMath.ceilDiv(Margin.notional(market, market.oraclePriceTicks(), slot.sizeLots()), 10));
            final long removable = Math.max(0, margin.isolatedEquity(slot) - floor);
            if (-amount > removable)
            {
                events.rejected(templateId, RejectReason.ISOLATED_MARGIN_BELOW_MINIMUM, accountId, marketId,
                    NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, removable);
                return;
            }
        }

        account.addCollateral(-amount);
        slot.addIsolatedMargin(amount);
        clearing.positionChanged(slot, events);
        clearing.refile(slot);
        clearing.refile(account);
    }

    private void onConfigureAccount(final ConfigureAccountDecoder command, final EventWriter events)
    {
        final int templateId = ConfigureAccountDecoder.TEMPLATE_ID;
        final int accountId = command.account();
        if (!accounts.inRange(accountId))
        {
            events.rejected(templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, accounts.capacity() - 1);
            return;
        }
        final short stpRaw = command.selfTradePreventionRaw();
        final SelfTradePrevention mode = stpRaw == SelfTradePrevention.NULL_VAL.value() ?
            SelfTradePrevention.NULL_VAL : EngineEnums.selfTradePrevention(stpRaw);
        if (mode == null || mode == SelfTradePrevention.ACCOUNT_DEFAULT)
        {
            events.rejected(templateId, RejectReason.INVALID_SELF_TRADE_PREVENTION, accountId, NULL_MARKET,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, stpRaw);
            return;
        }
        final int feeTier = command.feeTier();
        final boolean tierGiven = feeTier != ConfigureAccountDecoder.feeTierNullValue();
        if (tierGiven && !clearing.fees().isDefined(feeTier))
        {
            events.rejected(templateId, RejectReason.UNKNOWN_FEE_TIER, accountId, NULL_MARKET, NULL_ORDER_ID,
                NULL_CLIENT_ORDER_ID, feeTier);
            return;
        }

        final Account account = accounts.getOrCreate(accountId);
        if (mode != SelfTradePrevention.NULL_VAL)
        {
            account.defaultSelfTradePrevention(mode);
        }
        if (tierGiven)
        {
            account.feeTier(feeTier);
        }
        events.accountConfigured(accountId, account.feeTier(), account.defaultSelfTradePrevention());
    }

    private void onDefineFeeTier(final DefineFeeTierDecoder command, final EventWriter events)
    {
        final int tier = command.tier();
        final int maker = command.makerFeePpm();
        final int taker = command.takerFeePpm();
        if (tier < 0 || tier >= FeeSchedule.TIER_COUNT || taker < 0 || taker > FeeSchedule.MAX_RATE_PPM ||
            maker > FeeSchedule.MAX_RATE_PPM || maker < -taker)
        {
            events.rejected(DefineFeeTierDecoder.TEMPLATE_ID, RejectReason.INVALID_FEE_TIER, 0, NULL_MARKET,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, tier);
            return;
        }

        clearing.fees().define(tier, maker, taker);
        events.feeTierDefined(tier, maker, taker);
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
        final long baseline = command.baselinePositionLots();
        final long increment = command.incrementalPositionLots();
        final long maxPosition = command.maxPositionLots();
        final int initialPpm = command.initialMarginPpm();
        final int maintenancePpm = command.maintenanceMarginPpm();
        final int incrementalPpm = command.incrementalInitialMarginPpm();

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
        final boolean validRisk = maintenancePpm > 0 && maintenancePpm < initialPpm && initialPpm <= Margin.PPM &&
            incrementalPpm >= 0 && incrementalPpm <= Margin.PPM && baseline >= 0 && increment > 0 &&
            maxPosition >= minSizeLots && maxOrderSizeLots <= maxPosition;
        if (tickLotValue <= 0 || minSizeLots <= 0 || maxOrderSizeLots < minSizeLots || bandPpm <= 0 ||
            bandPpm >= 1_000_000 || !validSymbol(symbol) || symbolTaken(symbol) || !validRisk ||
            maxPosition > Margin.MAX_NOTIONAL_MICROS / tickLotValue)
        {
            events.rejected(DefineMarketDecoder.TEMPLATE_ID, RejectReason.INVALID_MARKET_DEFINITION, 0, marketId,
                NULL_ORDER_ID, NULL_CLIENT_ORDER_ID, 0);
            return;
        }

        markets.add(new Market(marketId, symbol, tickMantissa, tickExponent, lotMantissa, lotExponent, tickLotValue,
            minSizeLots, maxOrderSizeLots, bandPpm, baseline, increment, maxPosition, initialPpm, maintenancePpm,
            incrementalPpm));
        events.marketDefined(marketId, tickMantissa, tickExponent, lotMantissa, lotExponent, minSizeLots,
            maxOrderSizeLots, bandPpm, baseline, increment, maxPosition, initialPpm, maintenancePpm, incrementalPpm,
            command.buffer(), command.offset() + DefineMarketDecoder.symbolEncodingOffset());
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
     * The definition of a matcher beyond its commands: capacities and the ids of the system accounts. They are part
     * of the state machine's definition: a replay must use the same values to get the same events, so the journal
     * records them.
     */
    public static final class Context
    {
        private int marketCapacity = 256;
        private int accountCapacity = 1 << 20;
        private int orderCapacity = 1_000_000;
        private int maxOpenOrdersPerAccount = 1_000;
        private int maxMakersPerTaker;
        private int feeAccount = 1;
        private int insuranceFundAccount = 2;

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

        /**
         * @param maxMakersPerTaker the most resting orders one incoming order may meet (fill, or cancel by self-trade
         *                          prevention, reduce-only or margin) in one command; its remainder is then canceled
         *                          ({@code MATCH_LIMIT}). 0: no limit. Liquidation orders are not limited.
         */
        public Context maxMakersPerTaker(final int maxMakersPerTaker)
        {
            this.maxMakersPerTaker = maxMakersPerTaker;
            return this;
        }

        public int maxMakersPerTaker()
        {
            return maxMakersPerTaker;
        }

        /**
         * @param feeAccount the account every fee is paid to (and every rebate paid from)
         */
        public Context feeAccount(final int feeAccount)
        {
            this.feeAccount = feeAccount;
            return this;
        }

        public int feeAccount()
        {
            return feeAccount;
        }

        /**
         * @param insuranceFundAccount the account that absorbs liquidation remainders and deficits
         */
        public Context insuranceFundAccount(final int insuranceFundAccount)
        {
            this.insuranceFundAccount = insuranceFundAccount;
            return this;
        }

        public int insuranceFundAccount()
        {
            return insuranceFundAccount;
        }

        /**
         * @throws IllegalArgumentException naming the first value out of range
         */
        public void validate()
        {
            if (marketCapacity < 2 || marketCapacity > 65_536)
            {
                throw new IllegalArgumentException("marketCapacity must be 2 to 65536, got " + marketCapacity);
            }
            if (accountCapacity < 3)
            {
                throw new IllegalArgumentException("accountCapacity must be at least 3, got " + accountCapacity);
            }
            if (orderCapacity < 1)
            {
                throw new IllegalArgumentException("orderCapacity must be positive, got " + orderCapacity);
            }
            if (maxOpenOrdersPerAccount < 1)
            {
                throw new IllegalArgumentException(
                    "maxOpenOrdersPerAccount must be positive, got " + maxOpenOrdersPerAccount);
            }
            if (maxMakersPerTaker < 0)
            {
                throw new IllegalArgumentException(
                    "maxMakersPerTaker must be 0 (no limit) or positive, got " + maxMakersPerTaker);
            }
            if (feeAccount <= 0 || feeAccount >= accountCapacity || insuranceFundAccount <= 0 ||
                insuranceFundAccount >= accountCapacity || feeAccount == insuranceFundAccount)
            {
                throw new IllegalArgumentException("feeAccount and insuranceFundAccount must be two different ids " +
                    "from 1 to " + (accountCapacity - 1) + ", got " + feeAccount + " and " + insuranceFundAccount);
            }
        }

        public Context copy()
        {
            return new Context()
                .marketCapacity(marketCapacity)
                .accountCapacity(accountCapacity)
                .orderCapacity(orderCapacity)
                .maxOpenOrdersPerAccount(maxOpenOrdersPerAccount)
                .maxMakersPerTaker(maxMakersPerTaker)
                .feeAccount(feeAccount)
                .insuranceFundAccount(insuranceFundAccount);
        }

        @Override
        public String toString()
        {
            return "Context{marketCapacity=" + marketCapacity + ", accountCapacity=" + accountCapacity +
                ", orderCapacity=" + orderCapacity + ", maxOpenOrdersPerAccount=" + maxOpenOrdersPerAccount +
                ", maxMakersPerTaker=" + maxMakersPerTaker + ", feeAccount=" + feeAccount +
                ", insuranceFundAccount=" + insuranceFundAccount + "}";
        }
    }
}
