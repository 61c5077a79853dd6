package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sparse, incrementally updated tree against the definition computed the slow way: every one of the 2^H
 * leaves hashed, every level built in full.
 */
class MerkleTreeTest
{
    @Test
    void heightIsTheCeilingOfLog2OfTheCapacity()
    {
        assertEquals(1, MerkleTree.heightFor(2));
        assertEquals(2, MerkleTree.heightFor(3));
        assertEquals(2, MerkleTree.heightFor(4));
        assertEquals(3, MerkleTree.heightFor(5));
        assertEquals(6, MerkleTree.heightFor(47));
        assertEquals(20, MerkleTree.heightFor(1_048_576));
        assertEquals(21, MerkleTree.heightFor(1_048_577));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.heightFor(1));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void incrementalUpdatesGiveTheRootOfTheFullTree(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int capacity = 3 + random.nextInt(200);
        final StateCommitment commitment = new StateCommitment(capacity);
        final long[] collateral = new long[capacity];
        final byte[] root = new byte[CommitmentHash.LENGTH];
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(1024);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final BalanceChangedEncoder balance = new BalanceChangedEncoder();
        for (int round = 0; round < 50; round++)
        {
            final int changes = 1 + random.nextInt(8);
            for (int c = 0; c < changes; c++)
            {
                final int account = 1 + random.nextInt(capacity - 1);
                collateral[account] = random.nextInt(4) == 0 ? 0 : random.nextLong();
                balance.wrapAndApplyHeader(events, 0, header).account(account).collateralMicros(collateral[account])
                    .deltaMicros(0).cause(BalanceCause.DEPOSIT);
                commitment.apply(events, 0, header.encodedLength() + balance.encodedLength());
            }
            commitment.commit(root);
            assertArrayEquals(fullTreeRoot(capacity, collateral), root, "seed " + seed + ", round " + round);
        }
        final byte[] rebuilt = new byte[CommitmentHash.LENGTH];
        commitment.rebuild(rebuilt);
        assertArrayEquals(root, rebuilt, "seed " + seed);
    }

    @Test
    void siblingsLeadEveryLeafToTheRoot()
    {
        final CommitmentHash hash = new CommitmentHash();
        final MerkleTree tree = new MerkleTree(5, hash);
        final SplittableRandom random = new SplittableRandom(7);
        final int[] indices = {1, 2, 9, 17};
        tree.cover(17);
        for (final int index : indices)
        {
            final byte[] leaf = new byte[CommitmentHash.LENGTH];
            random.nextBytes(leaf);
            tree.setLeaf(index, leaf, 0);
        }
        tree.update(indices.clone(), indices.length);
        final byte[] root = new byte[CommitmentHash.LENGTH];
        tree.root(root, 0);
        for (int index = 0; index < 32; index++)
        {
            final byte[] current = new byte[CommitmentHash.LENGTH];
            tree.node(0, index, current, 0);
            final byte[][] siblings = tree.siblings(index);
            for (int level = 0; level < 5; level++)
            {
                if ((index >>> level & 1) == 0)
                {
                    hash.node(current, 0, siblings[level], 0, current, 0);
                }
                else
                {
                    hash.node(siblings[level], 0, current, 0, current, 0);
                }
            }
            assertArrayEquals(root, current, "leaf " + index);
        }
    }

    /**
     * The root by definition: all 2^H leaves, the empty ones as the empty account's leaf bytes.
     */
    static byte[] fullTreeRoot(final int capacity, final long[] collateral)
    {
        final int height = MerkleTree.heightFor(capacity);
        final CommitmentHash hash = new CommitmentHash();
        byte[][] level = new byte[1 << height][];
        for (int i = 0; i < level.length; i++)
        {
            final AccountLeaf leaf = new AccountLeaf(i);
            if (i < capacity)
            {
                leaf.collateralMicros(collateral[i]);
            }
            final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(64);
            final int length = leaf.encode(bytes, 0);
            level[i] = new byte[CommitmentHash.LENGTH];
            hash.leaf(Arrays.copyOf(bytes.byteArray(), length), 0, length, level[i], 0);
        }
        while (level.length > 1)
        {
            final byte[][] up = new byte[level.length / 2][];
            for (int i = 0; i < up.length; i++)
            {
                up[i] = new byte[CommitmentHash.LENGTH];
                hash.node(level[2 * i], 0, level[2 * i + 1], 0, up[i], 0);
            }
            level = up;
        }
        return level[0];
    }
}
