package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rollbook.journal.audit.MatcherLeaves;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.margin.MarginStreamGenerator;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The events describe the state: over seeded streams with margin, funding, isolated buckets and liquidations,
 * the leaves built from nothing but the {@code position} and {@code balance} events equal, after every command,
 * the leaves read out of the matcher for every account the command's events named, and, every few thousand
 * commands, for every account.
 */
class EventLeavesTest
{
    private static final int COMMANDS = 300_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void leavesFromEventsEqualLeavesFromTheMatcher(final long seed)
    {
        final MarginStreamGenerator stream = new MarginStreamGenerator(seed);
        final Matcher matcher = stream.matcher();
        final StateCommitment commitment = new StateCommitment(MarginStreamGenerator.context().accountCapacity());
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final AccountLeaf fromState = new AccountLeaf(0);
        final byte[] root = new byte[CommitmentHash.LENGTH];
        int positionEvents = 0;
        for (int i = 0; i < COMMANDS; i++)
        {
            stream.next(command, 0);
            commitment.apply(stream.lastEvents(), 0, stream.lastEventsLength());
            for (int c = 0; c < commitment.changedCount(); c++)
            {
                final int account = commitment.changedAccount(c);
                compare(seed, stream.sequence(), account, commitment.leaf(account), matcher, fromState);
                positionEvents++;
            }
            commitment.commit(root);
            if (i % 5_000 == 0 || i == COMMANDS - 1)
            {
                for (int account = 1; account < MarginStreamGenerator.context().accountCapacity(); account++)
                {
                    compare(seed, stream.sequence(), account, commitment.leaf(account), matcher, fromState);
                }
            }
        }
        assertTrue(positionEvents > COMMANDS / 10, "seed " + seed + ": the stream changes leaves: " + positionEvents);

        final byte[] rebuilt = new byte[CommitmentHash.LENGTH];
        commitment.rebuild(rebuilt);
        assertEquals(CommitmentHash.hex(root), CommitmentHash.hex(rebuilt),
            "seed " + seed + ": incremental root differs from the root hashed from scratch");
    }

    private static void compare(
        final long seed, final long sequence, final int account, final AccountLeaf fromEvents, final Matcher matcher,
        final AccountLeaf fromState)
    {
        MatcherLeaves.read(matcher, account, fromState);
        final boolean same = fromEvents == null ? fromState.isEmpty() : fromEvents.sameContents(fromState);
        if (!same)
        {
            fail("seed " + seed + ", after sequence " + sequence + ", account " + account + ": events give " +
                fromEvents + ", the matcher holds " + fromState);
        }
    }
}
