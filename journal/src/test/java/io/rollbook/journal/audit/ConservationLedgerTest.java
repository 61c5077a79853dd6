package io.rollbook.journal.audit;

import io.rollbook.journal.commitment.AccountLeaf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The matcher's running totals of deposits and withdrawals wrap past 2^63 micro-USDC (9.2 trillion USDC through the
 * exchange over its life), while what they hold, deposits less withdrawals, stays within the deposit limit: the
 * conservation check compares the collateral with that difference, exact whether the totals wrapped or not.
 */
class ConservationLedgerTest
{
    private static final long TRILLION_USDC = 1_000_000_000_000_000_000L;

    @Test
    void totalsThatWrappedStillBalanceTheCollateralTheyHold()
    {
        final ConservationLedger ledger = ledgerHolding(TRILLION_USDC);
        // 10 trillion deposited over time, 9 trillion withdrawn: the first total wrapped past 2^63, the second not.
        final long deposited = 10 * TRILLION_USDC;
        final long withdrawn = 9 * TRILLION_USDC;

        assertNull(ledger.problem(deposited, withdrawn, 0));
    }

    @Test
    void aDifferenceThatDoesNotMatchIsStillAProblem()
    {
        final ConservationLedger ledger = ledgerHolding(TRILLION_USDC);

        assertNotNull(ledger.problem(10 * TRILLION_USDC, 9 * TRILLION_USDC + 1, 0));
    }

    private static ConservationLedger ledgerHolding(final long collateralMicros)
    {
        final ConservationLedger ledger = new ConservationLedger();
        final AccountLeaf leaf = new AccountLeaf(3);
        leaf.collateralMicros(collateralMicros);
        ledger.add(leaf);
        return ledger;
    }
}
