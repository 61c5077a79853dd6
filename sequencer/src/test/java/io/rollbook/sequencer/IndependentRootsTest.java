package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.RecordView;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every root a real service recorded, recomputed as someone holding only docs/COMMITMENTS.md would: leaves built
 * from the journal's {@code position} and {@code balance} events, encoded as the leaf table says, hashed with the
 * domain bytes, combined in a tree of height {@code ceil(log2(accountCapacity))} with empty subtrees as
 * {@code E(h)}; the roots file read from its byte table. Nothing of Rollbook's commitment code runs here: the
 * journal is read with its reader and the events with the schema's decoders, and the rest is this file.
 */
class IndependentRootsTest
{
    private static final int ROOTS_HEADER = 64;
    private static final int ROOT_RECORD = 64;

    @TempDir
    Path data;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PositionChangedDecoder position = new PositionChangedDecoder();
    private final BalanceChangedDecoder balance = new BalanceChangedDecoder();
    private final Map<Integer, Leaf> leaves = new HashMap<>();

    /** One account's leaf data: cross collateral and the position entries by market. */
    private static final class Leaf
    {
        long collateral;
        final TreeMap<Integer, long[]> entries = new TreeMap<>();
    }

    @Test
    void everyRecordedRootIsWhatTheDocumentSays() throws IOException
    {
        MarginJournals.write(data, 23, 6_000, 64);
        final byte[] rootsFile = Files.readAllBytes(data.resolve("commitments").resolve("roots"));
        final ByteBuffer roots = ByteBuffer.wrap(rootsFile).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x54524252, roots.getInt(0), "magic");
        assertEquals(1, roots.getInt(8), "format version");

        long batches = 0;
        try (JournalCursor cursor = JournalCursor.open(data))
        {
            final long capacity = cursor.genesis().matcherContext().accountCapacity();
            final int height = 64 - Long.numberOfLeadingZeros(capacity - 1);
            assertEquals(height, roots.getInt(12), "tree height");
            assertEquals(capacity, roots.getLong(16), "account capacity");
            final byte[][] empty = emptySubtrees(height);

            final RecordView record = new RecordView();
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                assertEquals(JournalCursor.BATCH, kind, "a clean journal holds batches only");
                final JournalDocument batch = cursor.document();
                batch.records(record);
                while (record.next())
                {
                    applyEvents(record.buffer(), record.eventsOffset(), record.eventsLength());
                }
                final int at = ROOTS_HEADER + (int)(batch.batchNumber() - 1) * ROOT_RECORD;
                assertEquals(batch.batchNumber(), roots.getLong(at), "record's batch number");
                assertEquals(batch.lastSequence(), roots.getLong(at + 8), "record's last sequence");
                assertEquals(batch.storedChecksum(), roots.getInt(at + 16), "record's batch checksum");
                assertArrayEquals(Arrays.copyOfRange(rootsFile, at + 24, at + 56), root(height, empty),
                    "root after batch " + batch.batchNumber());
                batches++;
            }
        }
        assertTrue(batches > 50, "enough batches to mean something: " + batches);
        assertEquals((rootsFile.length - ROOTS_HEADER) / ROOT_RECORD, batches, "one root per batch");
        assertTrue(leaves.values().stream().anyMatch(leaf -> leaf.entries.size() > 1),
            "some account holds positions in several markets");
        assertTrue(leaves.values().stream().anyMatch(leaf -> leaf.entries.values().stream()
            .anyMatch(entry -> entry[0] == 1)), "some position is isolated");
    }

    private void applyEvents(final DirectBuffer buffer, final int offset, final int length)
    {
        int at = offset;
        while (at < offset + length)
        {
            header.wrap(buffer, at);
            final int body = at + MessageHeaderDecoder.ENCODED_LENGTH;
            if (header.templateId() == PositionChangedDecoder.TEMPLATE_ID)
            {
                position.wrap(buffer, body, header.blockLength(), header.version());
                final Leaf leaf = leaves.computeIfAbsent(position.account(), account -> new Leaf());
                leaf.collateral = position.collateralMicros();
                if (position.sizeLots() == 0 && position.isolatedMarginMicros() == 0)
                {
                    leaf.entries.remove(position.market());
                }
                else
                {
                    leaf.entries.put(position.market(), new long[] {position.marginModeRaw(), position.sizeLots(),
                        position.entryValueMicros(), position.fundingIndex(), position.isolatedMarginMicros()});
                }
            }
            else if (header.templateId() == BalanceChangedDecoder.TEMPLATE_ID)
            {
                balance.wrap(buffer, body, header.blockLength(), header.version());
                leaves.computeIfAbsent(balance.account(), account -> new Leaf()).collateral =
                    balance.collateralMicros();
            }
            at = body + header.blockLength();
        }
    }

    /**
     * The root, level by level over the leaves that are not empty; a missing sibling is the empty subtree.
     */
    private byte[] root(final int height, final byte[][] empty)
    {
        TreeMap<Long, byte[]> level = new TreeMap<>();
        for (final Map.Entry<Integer, Leaf> account : leaves.entrySet())
        {
            final Leaf leaf = account.getValue();
            if (leaf.collateral != 0 || !leaf.entries.isEmpty())
            {
                assertTrue(account.getKey() > 0, "leaf 0 is always empty");
                level.put((long)account.getKey(), sha256((byte)0x00, leafBytes(leaf)));
            }
        }
        for (int h = 0; h < height; h++)
        {
            final TreeMap<Long, byte[]> parents = new TreeMap<>();
            for (final long index : level.keySet())
            {
                final long parent = index >>> 1;
                if (!parents.containsKey(parent))
                {
                    final byte[] left = level.getOrDefault(parent << 1, empty[h]);
                    final byte[] right = level.getOrDefault((parent << 1) + 1, empty[h]);
                    parents.put(parent, sha256((byte)0x01, concat(left, right)));
                }
            }
            level = parents;
        }
        return level.isEmpty() ? empty[height] : level.get(0L);
    }

    private static byte[] leafBytes(final Leaf leaf)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(11 + 37 * leaf.entries.size()).order(ByteOrder.BIG_ENDIAN);
        bytes.put((byte)1).putLong(leaf.collateral).putShort((short)leaf.entries.size());
        for (final Map.Entry<Integer, long[]> entry : leaf.entries.entrySet())
        {
            final long[] e = entry.getValue();
            bytes.putInt(entry.getKey()).put((byte)e[0]).putLong(e[1]).putLong(e[2]).putLong(e[3]).putLong(e[4]);
        }
        return bytes.array();
    }

    private static byte[][] emptySubtrees(final int height)
    {
        final byte[][] empty = new byte[height + 1][];
        empty[0] = sha256((byte)0x00, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int h = 1; h <= height; h++)
        {
            empty[h] = sha256((byte)0x01, concat(empty[h - 1], empty[h - 1]));
        }
        return empty;
    }

    private static byte[] concat(final byte[] left, final byte[] right)
    {
        final byte[] out = Arrays.copyOf(left, left.length + right.length);
        System.arraycopy(right, 0, out, left.length, right.length);
        return out;
    }

    private static byte[] sha256(final byte domain, final byte[] input)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(domain);
            return digest.digest(input);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
