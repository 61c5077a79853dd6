package io.rollbook.gateway.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The replay protection remembers at most its capacity of signatures, refuses one more without remembering it,
 * and frees the places of signatures whose timestamps left the window.
 */
final class ReplayGuardTest
{
    private static final long WINDOW_MS = 5_000;
    private static final long NOW_MS = 1_764_547_200_000L;

    @Test
    void refusesASignatureBeyondItsCapacityAndRemembersNothingOfIt()
    {
        final ReplayGuard guard = new ReplayGuard(WINDOW_MS, 3);
        assertEquals(ReplayGuard.FIRST, guard.firstUse("a", NOW_MS));
        assertEquals(ReplayGuard.FIRST, guard.firstUse("b", NOW_MS));
        assertEquals(ReplayGuard.FIRST, guard.firstUse("c", NOW_MS));

        assertEquals(ReplayGuard.FULL, guard.firstUse("d", NOW_MS));
        assertEquals(ReplayGuard.FULL, guard.firstUse("d", NOW_MS), "a refused signature is not remembered");
        assertEquals(ReplayGuard.REPLAYED, guard.firstUse("a", NOW_MS), "a replay is still a replay when full");
        assertEquals(3, guard.size());

        guard.forget("b");
        assertEquals(ReplayGuard.FIRST, guard.firstUse("d", NOW_MS), "a forgotten signature frees its place");
        assertEquals(3, guard.size());
    }

    @Test
    void aSweepFreesThePlacesOfSignaturesOutOfTheWindow()
    {
        final ReplayGuard guard = new ReplayGuard(WINDOW_MS, 2);
        guard.firstUse("old", NOW_MS - WINDOW_MS);
        guard.firstUse("new", NOW_MS + WINDOW_MS);
        assertEquals(ReplayGuard.FULL, guard.firstUse("next", NOW_MS));

        guard.expire(NOW_MS + 1);
        assertEquals(1, guard.size(), "the signature whose timestamp left the window is forgotten");
        assertEquals(ReplayGuard.REPLAYED, guard.firstUse("new", NOW_MS + 1));
        assertEquals(ReplayGuard.FIRST, guard.firstUse("next", NOW_MS + 1));
    }

    @Test
    void sweepsAtMostEveryTenthOfAWindow()
    {
        final ReplayGuard guard = new ReplayGuard(WINDOW_MS, 10);
        guard.firstUse("a", NOW_MS - WINDOW_MS);
        guard.expire(NOW_MS);
        assertEquals(1, guard.size(), "still in the window");

        guard.expire(NOW_MS + WINDOW_MS / 10 - 1);
        assertEquals(1, guard.size(), "within a tenth of a window of the last sweep, nothing is swept");

        guard.expire(NOW_MS + WINDOW_MS / 10);
        assertEquals(0, guard.size());
    }
}
