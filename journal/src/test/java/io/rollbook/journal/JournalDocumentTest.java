package io.rollbook.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalDocumentTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
    private final JournalDocument document = new JournalDocument();

    /**
     * Builds a batch of {@code count} records with seeded command and event bytes, checksummed as the appender does.
     */
    private int batch(final long seed, final long batchNumber, final long firstSequence, final int count)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(128);
        final BatchBuilder builder = new BatchBuilder().begin(buffer, batchNumber);
        for (int i = 0; i < count; i++)
        {
            final int commandLength = random.nextInt(8, 80);
            for (int b = 0; b < commandLength; b++)
            {
                command.putByte(b, (byte)random.nextInt());
            }
            final int eventsOffset = builder.beginRecord(firstSequence + i, 1_000 + i, random.nextLong(), command, 0,
                commandLength);
            final int eventsLength = random.nextInt(16, 300);
            for (int b = 0; b < eventsLength; b++)
            {
                buffer.putByte(eventsOffset + b, (byte)random.nextInt());
            }
            builder.endRecord(eventsOffset + eventsLength, 1 + random.nextInt(5));
        }
        final int length = builder.finish();
        buffer.putInt(JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, 0, length), ByteOrder.LITTLE_ENDIAN);
        return length;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aBuiltBatchIsValidAndItsRecordsReadBackInOrder(final long seed)
    {
        final int count = 1 + new SplittableRandom(seed).nextInt(200);
        final int length = batch(seed, 7, 1_000, count);
        document.wrap(buffer, 0, length, 42);
        assertEquals(JournalDocument.VALID, document.validate(), "seed " + seed);
        assertEquals(7, document.batchNumber());
        assertEquals(1_000, document.firstSequence());
        assertEquals(1_000 + count - 1, document.lastSequence());
        assertEquals(count, document.commandCount());
        assertEquals(1_000 + count - 1, document.lastTimestampNs());

        final RecordView record = document.records(new RecordView());
        long expected = 1_000;
        while (record.next())
        {
            assertEquals(expected, record.sequence(), "seed " + seed);
            assertEquals(record.commandOffset() + record.commandLength(), record.eventsOffset());
            expected++;
        }
        assertEquals(1_000 + count, expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void anyFlippedByteAfterTheMagicIsDetected(final long seed)
    {
        final int length = batch(seed, 1, 1, 20);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            final int position = 4 + random.nextInt(length - 4);
            final byte original = buffer.getByte(position);
            buffer.putByte(position, (byte)(original ^ (1 << random.nextInt(8))));
            assertTrue(document.wrap(buffer, 0, length, 0).validate() != JournalDocument.VALID,
                "seed " + seed + ": flipping byte " + position + " went unnoticed");
            buffer.putByte(position, original);
        }
        assertEquals(JournalDocument.VALID, document.wrap(buffer, 0, length, 0).validate());
    }

    @Test
    void aDocumentCutShortIsDetected()
    {
        final int length = batch(3, 1, 1, 10);
        assertEquals(JournalDocument.BAD_LENGTH, document.wrap(buffer, 0, length - 100, 0).validate());
        assertEquals(JournalDocument.TOO_SHORT, document.wrap(buffer, 0, 10, 0).validate());
    }

    @Test
    void recordsThatDoNotAddUpAreDetectedEvenWithAMatchingChecksum()
    {
        final int length = batch(4, 1, 1, 10);
        buffer.putLong(JournalFormat.LAST_SEQUENCE_OFFSET, 11, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, 0, length), ByteOrder.LITTLE_ENDIAN);
        assertEquals(JournalDocument.BAD_STRUCTURE, document.wrap(buffer, 0, length, 0).validate());
    }

    @Test
    void genesisRoundTrips()
    {
        final io.rollbook.matcher.Matcher.Context context = new io.rollbook.matcher.Matcher.Context()
            .marketCapacity(16).accountCapacity(1000).orderCapacity(5000).maxOpenOrdersPerAccount(50)
            .feeAccount(998).insuranceFundAccount(999);
        final int length = GenesisDocument.of(context).encode(buffer, 0);
        buffer.putInt(JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, 0, length), ByteOrder.LITTLE_ENDIAN);
        document.wrap(buffer, 0, length, 0);
        assertEquals(JournalDocument.VALID, document.validate());
        final GenesisDocument genesis = document.genesis();
        assertEquals(null, genesis.differenceFrom(context));
        assertEquals(null, genesis.schemaIncompatibility());
        assertFalse(genesis.differenceFrom(context.copy().orderCapacity(5001)) == null);
        assertEquals("maxMakersPerTaker is 0 in the journal but 1000 in the configuration",
            genesis.differenceFrom(context.copy().maxMakersPerTaker(1000)));
        assertEquals(7, GenesisDocument.of(context.copy().maxMakersPerTaker(7)).matcherContext().maxMakersPerTaker());
    }

    /**
     * A journal written before the makers limit has a genesis of six parameters: it reads as a matcher without the
     * limit, which is what wrote it, so its replay gives the same events.
     */
    @Test
    void aGenesisOfSixParametersIsAMatcherWithoutMakersLimit()
    {
        final io.rollbook.matcher.Matcher.Context context = new io.rollbook.matcher.Matcher.Context()
            .marketCapacity(16).accountCapacity(1000).orderCapacity(5000).maxOpenOrdersPerAccount(50)
            .feeAccount(998).insuranceFundAccount(999);
        GenesisDocument.of(context.copy().maxMakersPerTaker(25)).encode(buffer, 0);
        final int length = GenesisDocument.LENGTH - Long.BYTES;
        JournalDocument.putHeader(buffer, 0, JournalFormat.TYPE_GENESIS, length);
        buffer.putInt(GenesisDocument.PARAMETER_COUNT_OFFSET, 6, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(JournalFormat.CHECKSUM_OFFSET, JournalFormat.checksum(buffer, 0, length), ByteOrder.LITTLE_ENDIAN);

        assertEquals(JournalDocument.VALID, document.wrap(buffer, 0, length, 0).validate());
        final GenesisDocument genesis = document.genesis();
        assertEquals(0, genesis.matcherContext().maxMakersPerTaker());
        assertEquals(null, genesis.differenceFrom(context));
        assertEquals(50, genesis.matcherContext().maxOpenOrdersPerAccount());
    }
}
