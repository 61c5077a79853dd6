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

    /**
     * Brackets nested far deeper than a proof's four levels are a rejection naming the nesting, not a stack
     * overflow of the reader.
     */
    @Test
    void bracketsNestedDeepAreRejectedNotAStackOverflow()
    {
        for (final String deep : new String[] {"[".repeat(200_000) + "]".repeat(200_000),
            "{\"a\": ".repeat(50_000) + "1" + "}".repeat(50_000)})
        {
            final InclusionProof.Verification verification = InclusionProof.verify(deep);
            assertFalse(verification.holds());
            assertTrue(verification.problem().startsWith("not a proof file: objects and arrays nested deeper than 8 " +
                "levels at line 1, column "), verification.problem());
        }
    }

    /**
     * A byte order mark, a carriage return (a proof saved with Windows line breaks) or a NUL is named in the
     * rejection as a code point: printed as itself it would be invisible, or send the cursor back over the message.
     */
    @Test
    void invisibleCharactersAreNamedInTheRejection()
    {
        final StateCommitment commitment = new StateCommitment(1 << 10);
        commitment.commit(new byte[CommitmentHash.LENGTH]);
        final String file = commitment.proof(5, 1, 1).toJson();

        final String bom = InclusionProof.verify("\uFEFF" + file).problem();
        assertEquals("not a proof file: unexpected byte order mark (save the file as UTF-8 without one) at line 1, " +
            "column 1", bom);
        final String crlf = InclusionProof.verify(file.replace("\n", "\r\n")).problem();
        assertEquals("the file is not in the canonical layout: line 1 is \"{<U+000D>\", expected \"{\"", crlf);
        final String nul = InclusionProof.verify("\0" + file).problem();
        assertEquals("not a proof file: unexpected <U+0000> at line 1, column 1", nul);
    }

    /**
     * Random edits of a proof with positions (a few characters replaced, inserted or removed, drawn from JSON's
     * punctuation, digits, hex, spaces, control and non-ASCII characters): never accepted unless the text is the
     * original again, and never anything but a verdict (no exception).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void randomEditsAreRejectedWithAReasonAndNeverThrow(final long seed)
    {
        final MarginStreamGenerator stream = new MarginStreamGenerator(seed);
        final StateCommitment commitment = new StateCommitment(CAPACITY);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        for (int i = 0; i < 5_000; i++)
        {
            stream.next(command, 0);
            commitment.apply(stream.lastEvents(), 0, stream.lastEventsLength());
        }
        commitment.commit(new byte[CommitmentHash.LENGTH]);
        final AccountLeaf leaf = new AccountLeaf(0);
        String file = null;
        for (int account = 1; account < CAPACITY && file == null; account++)
        {
            MatcherLeaves.read(stream.matcher(), account, leaf);
            file = leaf.entryCount() > 0 ? commitment.proof(account, 3, stream.sequence()).toJson() : null;
        }
        assertTrue(file != null, "seed " + seed + ": some account holds a position");

        final String alphabet = "{}[]\",:-0123456789abcdefABCDEF \t\r\n\\e.\0\uFEFF\u00e9\uD83D";
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20_000; round++)
        {
            final StringBuilder edited = new StringBuilder(file);
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--)
            {
                final int at = random.nextInt(edited.length());
                final char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3))
                {
                    case 0 -> edited.setCharAt(at, c);
                    case 1 -> edited.insert(at, c);
                    default -> edited.deleteCharAt(at);
                }
            }
            final String text = edited.toString();
            final InclusionProof.Verification verification;
            try
            {
                verification = InclusionProof.verify(text);
            }
            catch (final RuntimeException | StackOverflowError ex)
            {
                throw new AssertionError("seed " + seed + ", round " + round + ": " + ex + " on\n" + text, ex);
            }
            assertEquals(text.equals(file), verification.holds(), "seed " + seed + ", round " + round + ": " +
                verification.problem() + "\n" + text);
            assertTrue(verification.holds() || !verification.problem().isEmpty(), "seed " + seed);
        }
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
