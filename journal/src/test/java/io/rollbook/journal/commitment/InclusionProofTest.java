package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.rollbook.journal.audit.MatcherLeaves;
import io.rollbook.matcher.margin.MarginStreamGenerator;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proofs of random accounts of a state a seeded stream leads to (positions cross and isolated, funding, empty and
 * never-named accounts among them) verify, say what the state holds, and stop verifying when any single byte of
 * the file is changed, removed or added.
 */
class InclusionProofTest
{
    private static final int CAPACITY = MarginStreamGenerator.context().accountCapacity();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void proofsOfRandomAccountsRoundTripAndEveryAlteredByteIsRejected(final long seed)
    {
        final MarginStreamGenerator stream = new MarginStreamGenerator(seed);
        final StateCommitment commitment = new StateCommitment(CAPACITY);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final byte[] root = new byte[CommitmentHash.LENGTH];
        for (int i = 0; i < 20_000; i++)
        {
            stream.next(command, 0);
            commitment.apply(stream.lastEvents(), 0, stream.lastEventsLength());
        }
        commitment.commit(root);

        final SplittableRandom random = new SplittableRandom(seed);
        final AccountLeaf expected = new AccountLeaf(0);
        int withPositions = 0;
        for (int round = 0; round < 6; round++)
        {
            final int account = round == 0 ? CAPACITY - 1 : 1 + random.nextInt(CAPACITY - 1);
            final InclusionProof proof = commitment.proof(account, 7 + round, stream.sequence());
            final String file = proof.toJson();
            final InclusionProof.Verification verification = InclusionProof.verify(file);
            assertTrue(verification.holds(), "seed " + seed + ", account " + account + ": " + verification.problem());
            assertArrayEquals(root, verification.proof().root());
            assertEquals(account, verification.proof().account());
            MatcherLeaves.read(stream.matcher(), account, expected);
            assertTrue(expected.sameContents(verification.proof().leaf()), "seed " + seed + ", account " + account +
                ": the proof's leaf " + verification.proof().leaf() + " is not the matcher's " + expected);
            withPositions += expected.entryCount() > 0 ? 1 : 0;
            everyAlterationIsRejected(seed, file);
        }
        assertTrue(withPositions > 0, "seed " + seed + ": some proven account holds a position");
    }

    @Test
    void anEmptyAccountBesideEmptyAccountsCannotBeRelabelled()
    {
        final StateCommitment commitment = new StateCommitment(1 << 10);
        commitment.commit(new byte[CommitmentHash.LENGTH]);
        final String file = commitment.proof(1000, 1, 1).toJson();
        assertTrue(InclusionProof.verify(file).holds());
        final String relabelled = file.replace("\"account\": 1000,", "\"account\": 1001,");
        final InclusionProof.Verification verification = InclusionProof.verify(relabelled);
        assertFalse(verification.holds(), "the path alone does not tell 1000 from 1001 here; the statement does");
        assertTrue(verification.problem().contains("statement"), verification.problem());
    }

    private static void everyAlterationIsRejected(final long seed, final String file)
    {
        for (int i = 0; i < file.length(); i++)
        {
            final char original = file.charAt(i);
            for (final char replacement : replacements(original))
            {
                final String altered = file.substring(0, i) + replacement + file.substring(i + 1);
                assertFalse(InclusionProof.verify(altered).holds(), "seed " + seed + ": '" + original + "' -> '" +
                    replacement + "' at " + i + " is accepted:\n" + altered);
            }
            final String removed = file.substring(0, i) + file.substring(i + 1);
            assertFalse(InclusionProof.verify(removed).holds(), "seed " + seed + ": removing byte " + i);
            final String added = file.substring(0, i) + ' ' + file.substring(i);
            assertFalse(InclusionProof.verify(added).holds(), "seed " + seed + ": a space before byte " + i);
        }
    }

    private static char[] replacements(final char c)
    {
        final char digit = Character.isDigit(c) ? (char)('0' + (c - '0' + 1) % 10) : '7';
        final char hex = c >= 'a' && c <= 'f' ? (c == 'f' ? 'a' : (char)(c + 1)) : 'e';
        final char other = c == ' ' ? '\t' : ' ';
        return new char[] {digit == c ? '3' : digit, hex == c ? '0' : hex, other};
    }
}
