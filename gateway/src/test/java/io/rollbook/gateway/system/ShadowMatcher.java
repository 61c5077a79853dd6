package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A second matcher fed with every released command, on the release thread, ahead of the gateway's views: after each
 * release it holds the state the views are about to show, and records the margin figures of the watched accounts as
 * the matcher's own {@link Margin} counts them (its fee tiers included). A test compares what the trader API shows
 * with these, the matcher's figures, at the same moment. It survives a restart of the service (register it with the
 * new one): it goes on from the next released sequence.
 *
 * <p>Written by the release thread only; {@link #figures} is read by the test thread through a volatile map.
 */
final class ShadowMatcher implements ReleaseListener
{
    private final Matcher matcher;
    private final int[] watched;
    private final EventWriter events = new EventWriter();
    private final UnsafeBuffer eventBuffer = new UnsafeBuffer(new byte[1 << 20]);
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[1 << 16]);
    private volatile Map<Integer, Figures> figures = Map.of();
    private volatile long lastSequence;
    private volatile String mismatch;

    /**
     * The matcher's figures of one account: its cross side, and per market its position.
     */
    record Figures(long collateral, long equity, long initial, long maintenance, long worstCaseInitial,
        Map<Integer, PositionFigures> positions)
    {
        BigDecimal free()
        {
            return usdc(equity - worstCaseInitial);
        }
    }

    /**
     * A position as the matcher holds it; for an isolated one, its bucket's figures.
     */
    record PositionFigures(long sizeLots, boolean isolated, long isolatedMargin, long owedFunding, long initial,
        long maintenance, long worstCaseInitial, long bucketEquity)
    {
    }

    ShadowMatcher(final Matcher.Context context, final int... watched)
    {
        this.matcher = new Matcher(context);
        this.watched = watched.clone();
    }

    @Override
    public void onReleased(final long sequence, final long timestampNs, final long source, final DirectBuffer buffer,
        final int commandOffset, final int commandLength, final int eventsOffset, final int eventsLength)
    {
        commandBuffer.putBytes(0, buffer, commandOffset, commandLength);
        events.wrap(eventBuffer, 0);
        matcher.execute(sequence, timestampNs, commandBuffer, 0, commandLength, events);
        if (mismatch == null && !sameBytes(buffer, eventsOffset, eventsLength))
        {
            mismatch = "sequence " + sequence + ": the service released other events than the matcher makes";
        }
        final Map<Integer, Figures> now = new TreeMap<>();
        for (final int id : watched)
        {
            final Account account = matcher.account(id);
            if (account != null)
            {
                now.put(id, figuresOf(account));
            }
        }
        figures = now;
        lastSequence = sequence;
    }

    private boolean sameBytes(final DirectBuffer released, final int offset, final int length)
    {
        if (events.position() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (released.getByte(offset + i) != eventBuffer.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return null while every released command's events were the ones this matcher made of it, else the first
     *         that were not (a service that restarted from a snapshot must go on exactly as one that never stopped)
     */
    String mismatch()
    {
        return mismatch;
    }

    long lastSequence()
    {
        return lastSequence;
    }

    Figures figures(final int account)
    {
        return figures.get(account);
    }

    private Figures figuresOf(final Account account)
    {
        final Margin margin = matcher.margin();
        long initial = 0;
        final Map<Integer, PositionFigures> positions = new TreeMap<>();
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            final Market market = matcher.market(position.market());
            final long size = position.sizeLots();
            final long positionInitial = Margin.initial(market, size);
            positions.put(position.market(), new PositionFigures(size, position.isIsolated(),
                position.isolatedMarginMicros(), Margin.owedFunding(market, position), positionInitial,
                Margin.maintenance(market, size), margin.worstCaseInitial(position), margin.isolatedEquity(position)));
            if (!position.isIsolated())
            {
                initial += positionInitial;
            }
        }
        return new Figures(account.collateralMicros(), margin.crossEquity(account), initial,
            margin.crossMaintenance(account), margin.crossWorstCaseInitial(account), positions);
    }

    static BigDecimal usdc(final long micros)
    {
        return BigDecimal.valueOf(micros, 6);
    }
}
