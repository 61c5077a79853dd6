package io.rollbook.journal.audit;

import io.rollbook.journal.commitment.AccountLeaf;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.Position;

/**
 * Reads an account's leaf straight out of a matcher's state, the way docs/COMMITMENTS.md defines it: the cross
 * collateral, and every position slot whose size or isolated margin is not zero. The audit compares it with the
 * leaf built from the journaled events: if they differ, the events do not describe the state.
 *
 * <p>Stateless; call on the thread that owns the matcher.
 */
public final class MatcherLeaves
{
    private MatcherLeaves()
    {
    }

    /**
     * Fills {@code out} with the account's leaf in the matcher's state (the empty leaf for an account never named).
     */
    public static void read(final Matcher matcher, final int accountId, final AccountLeaf out)
    {
        out.clear();
        final Account account = matcher.account(accountId);
        if (account == null)
        {
            return;
        }
        out.collateralMicros(account.collateralMicros());
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            out.position(position.market(),
                position.isIsolated() ? AccountLeaf.MARGIN_ISOLATED : AccountLeaf.MARGIN_CROSS, position.sizeLots(),
                position.entryValueMicros(), position.fundingIndex(), position.isolatedMarginMicros());
        }
    }
}
