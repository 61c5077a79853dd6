package io.rollbook.gateway.binary;

import io.rollbook.protocol.engine.MassCancelTrigger;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * Dead-man timers whose connection closed before they fired: a client that set one asked for its account's orders
 * to be canceled after that long without a word from it, and a closed connection is no word. Each still fires at
 * its deadline, unless the account established a session after the close (the client is back) or cancel-on-disconnect
 * already canceled.
 *
 * <p>Confined to one event loop. Allocates only when its lists grow, on a close.
 */
final class DetachedDeadManTimers
{
    private final IntArrayList accounts = new IntArrayList();
    private final IntArrayList connections = new IntArrayList();
    private final LongArrayList closedNs = new LongArrayList();
    private final LongArrayList deadlinesNs = new LongArrayList();

    void add(final int account, final int connectionId, final long closedAtNs, final long deadlineNs)
    {
        accounts.addInt(account);
        connections.addInt(connectionId);
        closedNs.addLong(closedAtNs);
        deadlinesNs.addLong(deadlineNs);
    }

    /**
     * Fires the timers that are due (a ring that is full is tried again on the next call) and drops those whose
     * account is back.
     */
    void onTimer(final BinaryLoop loop, final AccountLogons logons, final long nowNs)
    {
        for (int i = accounts.size() - 1; i >= 0; i--)
        {
            final int account = accounts.getInt(i);
            if (logons.establishedAfter(account, closedNs.getLong(i)) || !loop.publisher().isAccepting() ||
                (nowNs - deadlinesNs.getLong(i) >= 0 &&
                loop.publishMassCancel(account, MassCancelTrigger.DEAD_MAN_TIMER, connections.getInt(i))))
            {
                accounts.removeAt(i);
                connections.removeAt(i);
                closedNs.removeAt(i);
                deadlinesNs.removeAt(i);
            }
        }
    }
}
