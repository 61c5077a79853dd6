package io.rollbook.sequencer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.rollbook.journal.DataDirectoryLock;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.journal.commitment.CommitmentBuilder;
import io.rollbook.journal.snapshot.MatcherStateCodec;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequencing service: puts every command into one total order, runs it through the matcher, journals it in
 * batches and releases its events only once its batch is in the journal.
 *
 * <pre>
 *  gateways ──tryPublish──► command ring (Disruptor, multi-producer, preallocated slots)
 *  (any threads)                 │  polled; a slot is free again once the journal thread has copied it
 *                                ▼
 *                   matcher thread: stamp sequence + timestampNs, execute the command where it is, in its
 *                   slot; the open batch gets the record's header, room for the command, and the events the
 *                   matcher writes right behind (no copy); close the batch at N commands, T µs, a byte limit,
 *                   or when the ring is drained and the journal idle
 *                                │  BatchPipe: a few reusable batch buffers (back pressure when all in flight)
 *                                ▼
 *                   journal thread: copy each command from its slot into its batch and free the slots,
 *                   append every waiting batch to Chronicle Queue (one document each, with a CRC32C), one sync
 *                   for all of them under sync policy "batch" (group commit), then call the ReleaseListeners in
 *                   sequence order and recycle the buffers
 *                                │  every N batches or M commands (taken by the matcher thread at a batch
 *                                │  boundary, or with snapshotFollower by a replica of the matcher that executes
 *                                │  every journaled batch again on its own thread), and at shutdown
 *                                ▼
 *                   snapshot writer thread: forces the journal, then writes the file once its batch is released
 *
 *                   commitment thread (when enabled): tails the journal with its own reader, applies each batch's
 *                   position and balance events to the account leaves and records the state root after it
 *                   (docs/COMMITMENTS.md); nothing waits for it
 * </pre>
 *
 * <p>{@link #launch} recovers first (newest valid snapshot, then the journal after it, every replayed event checked
 * against the journaled one); on a new journal it sequences the genesis commands first (fee tiers, markets, account
 * setups), on an existing one a {@code DefineMarket} for every configured market the journal does not define yet; then
 * it starts the threads, and returns once those start-up commands are released to every listener. A matcher exception,
 * or a journal write that fails, stops sequencing at once: nothing of the batch in progress is released, the publisher
 * refuses further commands ({@link CommandPublisher#isAccepting()} turns false), and the journal holds only complete
 * batches. {@link #close()} drains the ring, journals and releases everything, writes a final snapshot and closes the
 * journal, so a restart replays nothing.
 *
 * <p>Thread-safe: {@link #publisher()} for any number of threads, {@link #close()} from any one thread.
 */
public final class Sequencer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
    private static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long STARTUP_RELEASE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long STARTUP_POLL_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Context context;
    private final DataDirectoryLock lock;
    private final SingleChronicleQueue queue;
    private final RingPublisher publisher;
    private final BatchPipe pipe;
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final MatcherAgent matcherAgent;
    private final JournalAgent journalAgent;
    private final AgentRunner matcherRunner;
    private final WakeableIdleStrategy matcherIdle;
    private final AgentRunner journalRunner;
    private final CommitmentBuilder commitmentBuilder;
    private final AgentRunner commitmentRunner;
    private final SnapshotWriter snapshotWriter;
    private final Thread snapshotThread;
    private final SnapshotFollower snapshotFollower;
    private final AgentRunner followerRunner;
    private final Recovery.Result recovery;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object closeLock = new Object();
    private boolean closed;

    private Sequencer(final Context context)
    {
        this.context = context;
        this.lock = DataDirectoryLock.acquire(context.dataDirectory);
        boolean started = false;
        SingleChronicleQueue opened = null;
        try
        {
            JournalIntegrity.check(context.dataDirectory);
            Recovery.refuseOtherGenesis(context);
            Recovery.refuseSnapshotsWithoutJournal(context);
            opened = JournalFiles.openForWriting(context.dataDirectory, context.journalFileClockMs);
            this.queue = opened;
            recovery = Recovery.recover(context, queue);
            refuseOtherMarkets(context, recovery);
            publisher = new RingPublisher(context.ringSize, context.maxCommandLength);
            final RingBuffer<CommandSlot> ring = publisher.ring();
            final Sequence consumed = new Sequence(ring.getCursor());
            final Sequence copied = new Sequence(ring.getCursor());
            ring.addGatingSequences(consumed, copied);

            final int initialBatchCapacity = (int)Math.min(context.batchMaxBytes + 64 * 1024L,
                Math.max(64 * 1024L, (long)context.batchMaxCommands * 512));
            pipe = new BatchPipe(context.batchesInFlight, initialBatchCapacity);
            matcherIdle = new WakeableIdleStrategy(
                IdleStrategies.parse(context.matcherIdleStrategy),
                IdleStrategies.idleCallsBeforePark(context.matcherIdleStrategy));
            final WakeableIdleStrategy journalIdle = new WakeableIdleStrategy(
                IdleStrategies.parse(context.journalIdleStrategy),
                IdleStrategies.idleCallsBeforePark(context.journalIdleStrategy));
            publisher.wakeOnPublish(matcherIdle);

            final SnapshotStore store = new SnapshotStore(context.dataDirectory);
            final DiskSpaceGuard diskSpace = DiskSpaceGuard.of(publisher, context.minFreeDiskBytes,
                context.dataDirectory);
            diskSpace.check(System.nanoTime());
            snapshotWriter = new SnapshotWriter(store, context.dataDirectory, context.snapshotsKept, diskSpace,
                recovery.snapshotSequence());
            final boolean periodic = context.snapshotCodec != null &&
                SnapshotSchedule.periodic(context.snapshotEveryBatches, context.snapshotEveryCommands);
            if (periodic && context.snapshotFollower)
            {
                snapshotFollower = new SnapshotFollower(() -> new JournalReader(queue), this::releasedSequence,
                    SnapshotFollower.replicaOf(recovery.matcher(), context.snapshotCodec),
                    recovery.nextBatchNumber() - 1, recovery.lastBatchIndex(), context.snapshotCodec,
                    context.snapshotEveryBatches, context.snapshotEveryCommands, snapshotWriter);
                followerRunner = new AgentRunner(IdleStrategies.parse(IdleStrategies.DEFAULT),
                    Sequencer::onFollowerError, null, snapshotFollower);
            }
            else
            {
                snapshotFollower = null;
                followerRunner = null;
            }
            final SnapshotJob matcherSnapshots = periodic && !context.snapshotFollower ?
                new SnapshotJob(recovery.matcher().snapshotLength()) : null;

            matcherAgent = new MatcherAgent(this, context, recovery, consumed, ring, pipe, journalIdle,
                matcherSnapshots, metrics.publishToMatch());
            journalAgent = new JournalAgent(this, queue, context.syncPolicy, pipe, ring, copied, context.releaseListeners,
                matcherIdle, snapshotWriter, recovery.lastBatchIndex(), metrics);
            matcherRunner = new AgentRunner(matcherIdle, this::onAgentError, null, matcherAgent);
            journalRunner = new AgentRunner(journalIdle, this::onAgentError, null, journalAgent);
            if (context.commitments)
            {
                commitmentBuilder = new CommitmentBuilder(() -> new JournalReader(queue), context.dataDirectory,
                    recovery.nextBatchNumber() - 1);
                commitmentRunner = new AgentRunner(IdleStrategies.parse(context.commitmentIdleStrategy),
                    Sequencer::onCommitmentError, null, commitmentBuilder);
            }
            else
            {
                commitmentBuilder = null;
                commitmentRunner = null;
            }
            snapshotThread = new Thread(snapshotWriter, "rollbook-snapshot");
            snapshotThread.setDaemon(true);
            snapshotThread.start();
            AgentRunner.startOnThread(journalRunner);
            AgentRunner.startOnThread(matcherRunner);
            if (commitmentRunner != null)
            {
                AgentRunner.startOnThread(commitmentRunner);
            }
            if (followerRunner != null)
            {
                AgentRunner.startOnThread(followerRunner);
            }
            started = true;
        }
        finally
        {
            if (!started)
            {
                CloseHelper.quietCloseAll(opened, lock);
            }
        }
        LOG.info("sequencer started on {}: {}; next sequence {}, next batch {}", context.dataDirectory.toAbsolutePath(),
            recovery.describe(), recovery.lastSequence() + 1, recovery.nextBatchNumber());
    }

    /**
     * Refuses a configuration whose markets are not the journal's, before anything is sequenced: the journal's
     * definitions hold for the matcher, while the gateways would convert prices and sizes with the configured ones.
     */
    private static void refuseOtherMarkets(final Context context, final Recovery.Result recovery)
    {
        if (recovery.newJournal())
        {
            return;
        }
        final List<String> differences = ConfiguredMarkets.differences(
            context.genesis().markets(), recovery.matcher(), context.matcherContext().marketCapacity());
        if (!differences.isEmpty())
        {
            throw new JournalException(context.dataDirectory + ": the configured markets are not the journal's, " +
                "and a market cannot be redefined once the journal holds it: " + String.join("; ", differences) +
                ". Configure each market as the journal defines it (its marketDefined events, `rollbook journal " +
                "dump`); a new market takes a new id. Nothing was sequenced.");
        }
    }

    /**
     * Recovers the state from the data directory and starts sequencing.
     *
     * @throws io.rollbook.journal.JournalException if the journal cannot be recovered: unreadable, written with
     *                                               other matcher capacities, or a replay that does not give the
     *                                               journaled events; or if the configured markets differ from
     *                                               the ones the journal defines
     */
    public static Sequencer launch(final Context context)
    {
        final Sequencer sequencer = new Sequencer(context.conclude());
        sequencer.awaitStartupReleased();
        return sequencer;
    }

    /**
     * Waits until the commands the matcher thread sequences at start (a new journal's genesis, markets new to the
     * journal) are released to every listener, so that whoever starts taking orders after {@link #launch} finds them
     * applied: a gateway bound before its views define the configured markets would refuse their first orders as
     * unknown. Returns early if sequencing fails (see {@link #failure()}).
     */
    private void awaitStartupReleased()
    {
        final long deadlineNs = System.nanoTime() + STARTUP_RELEASE_TIMEOUT_NS;
        while (!isFailed())
        {
            final long last = matcherAgent.startupLastSequence();
            if (last >= 0 && (last == recovery.lastSequence() || journalAgent.lastReleasedSequence() >= last))
            {
                return;
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                CloseHelper.quietClose(this);
                throw new IllegalStateException("the commands sequenced at start were not released within " +
                    TimeUnit.NANOSECONDS.toSeconds(STARTUP_RELEASE_TIMEOUT_NS) + " s");
            }
            LockSupport.parkNanos(STARTUP_POLL_NS);
        }
    }

    /**
     * @return where gateways publish commands
     */
    public CommandPublisher publisher()
    {
        return publisher;
    }

    /**
     * @return what recovery found and did at launch
     */
    public Recovery.Result recovery()
    {
        return recovery;
    }

    /**
     * @return the reason sequencing stopped on its own, or null
     */
    public Throwable failure()
    {
        return failure.get();
    }

    /**
     * Waits until sequencing has stopped: closed, or failed.
     *
     * @return true if it has stopped
     */
    public boolean awaitStop(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return stopped.await(timeout, unit);
    }

    /**
     * @return the number of batches released so far in this run
     */
    public long releasedBatchCount()
    {
        return journalAgent.releasedBatches();
    }

    /**
     * @return how many bytes of zeros the journal thread wrote ahead of the journal; read once closed
     */
    long journalBytesZeroedAhead()
    {
        return journalAgent.bytesZeroedAhead();
    }

    /**
     * @return how often the matcher thread has been woken, by publishers and by the journal thread
     */
    long matcherWakeCount()
    {
        return matcherIdle.wakeCount();
    }

    /**
     * @return the last sequence number the matcher thread executed
     */
    long sequencedSequence()
    {
        return matcherAgent.sequencedSequence();
    }

    public Path dataDirectory()
    {
        return context.dataDirectory;
    }

    /**
     * @return what the pipeline records: commands, rejections, batches, stage latencies
     */
    public PipelineMetrics metrics()
    {
        return metrics;
    }

    /**
     * Registers the pipeline's metrics: what it records ({@link PipelineMetrics#register}) and gauges read from
     * its state at scrape time: ring occupancy, the sequence numbers matched, released and committed, and the lags
     * between them.
     */
    public void registerMetrics(final MetricsRegistry registry)
    {
        metrics.register(registry);
        final RingBuffer<CommandSlot> ring = publisher.ring();
        registry.gauge("rollbook_ring_capacity_slots", "Slots of the command ring (sequencer.ringSize).")
            .sample(ring::getBufferSize);
        registry.gauge("rollbook_ring_occupancy_slots",
            "Slots of the ring taken: commands published and not yet taken by the matcher thread, or taken and not " +
            "yet copied into their batch by the journal thread (capacity - remaining).")
            .sample(() -> ring.getBufferSize() - ring.remainingCapacity());
        registry.gauge("rollbook_accepting", "1 while the sequencer accepts commands, 0 once stopped or failed.")
            .sample(() -> publisher.isAccepting() ? 1 : 0);
        registry.gauge("rollbook_disk_space_low",
            "1 while the data directory's file system is below journal.minFreeBytes: new orders and amendments " +
            "are refused, and below a quarter of it every command.")
            .sample(() -> publisher.isLowOnDisk() ? 1 : 0);
        registry.gauge("rollbook_sequenced_sequence", "The last sequence number the matcher executed.")
            .sample(matcherAgent::sequencedSequence);
        registry.gauge("rollbook_released_sequence", "The last sequence number journaled and released.")
            .sample(this::releasedSequence);
        registry.gauge("rollbook_journal_lag_commands",
            "Commands matched but not yet journaled and released (sequenced - released).")
            .sample(() -> Math.max(0, matcherAgent.sequencedSequence() - releasedSequence()));
        registry.gauge("rollbook_journal_lag_batches",
            "Batches closed by the matcher thread and not yet released by the journal thread.")
            .sample(() -> Math.max(0, pipe.closedCount() - pipe.releasedCount()));
        registry.gauge("rollbook_recovery_replayed_commands", "Commands recovery replayed from the journal at start.")
            .sample(recovery::replayedCommands);
        if (commitmentBuilder != null)
        {
            registry.gauge("rollbook_committed_sequence", "The last sequence number whose batch has its state root.")
                .sample(commitmentBuilder::committedSequence);
            registry.gauge("rollbook_commitment_lag_commands",
                "Commands released whose batch has no state root yet (released - committed).")
                .sample(() -> Math.max(0, releasedSequence() - commitmentBuilder.committedSequence()));
            registry.gauge("rollbook_commitment_lag_batches", "Batches released that have no state root yet.")
                .sample(() -> Math.max(0, recovery.nextBatchNumber() - 1 + journalAgent.releasedBatches() -
                    commitmentBuilder.committedBatch()));
        }
        registry.gauge("rollbook_snapshot_sequence", "The last sequence number of the newest snapshot on disk.")
            .sample(snapshotWriter::lastWrittenSequence);
        if (snapshotFollower != null)
        {
            registry.gauge("rollbook_snapshot_follower_lag_commands",
                "Commands released that the snapshot follower's replica has not executed yet (released - followed); " +
                "-1 once the follower stopped on an error, and periodic snapshots with it.")
                .sample(() -> snapshotFollower.failure() != null ? -1 :
                    Math.max(0, releasedSequence() - snapshotFollower.followedSequence()));
        }
    }

    private long releasedSequence()
    {
        return Math.max(recovery.lastSequence(), journalAgent.lastReleasedSequence());
    }

    /**
     * Stops accepting commands, sequences and journals everything already published, releases it, tells the release
     * listeners ({@link ReleaseListener#onClosedCleanly}, on this thread), writes a final snapshot (when a snapshot codec is configured) and closes the journal. After a failure it only
     * stops the threads and closes the journal: no snapshot of a state nobody can replay.
     */
    @Override
    public void close()
    {
        synchronized (closeLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        publisher.stopAccepting();
        matcherAgent.requestDrain();
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
        while (failure.get() == null && !journalAgent.drained(matcherAgent) && System.nanoTime() < deadline)
        {
            matcherIdleWake();
            sleepBriefly();
        }
        final boolean drained = failure.get() == null && journalAgent.drained(matcherAgent);
        if (failure.get() == null && !drained)
        {
            LOG.error("sequencer did not drain within {} s; closing anyway", TimeUnit.NANOSECONDS.toSeconds(CLOSE_TIMEOUT_NS));
        }
        CloseHelper.quietCloseAll(matcherRunner, journalRunner);
        if (drained && failure.get() == null)
        {
            journalAgent.closedCleanly();
        }
        final long lastReleased = Math.max(recovery.lastSequence(), journalAgent.lastReleasedSequence());
        final long deadlineNs = System.nanoTime() + CLOSE_TIMEOUT_NS;
        if (commitmentBuilder != null)
        {
            awaitTail("the commitment builder", commitmentBuilder::committedSequence, commitmentBuilder::failure,
                lastReleased, deadlineNs, "the next start records the remaining roots");
        }
        if (snapshotFollower != null)
        {
            awaitTail("the snapshot follower", snapshotFollower::followedSequence, snapshotFollower::failure,
                lastReleased, deadlineNs, "snapshots due after it are not taken");
        }
        CloseHelper.quietCloseAll(commitmentRunner, followerRunner);
        snapshotWriter.stop();
        joinQuietly(snapshotThread);
        if (failure.get() == null && context.snapshotCodec != null &&
            matcherAgent.hasUnsnapshottedState(snapshotWriter.lastWrittenSequence()))
        {
            matcherAgent.writeFinalSnapshot(snapshotWriter, journalAgent.lastBatchIndex());
        }
        CloseHelper.quietCloseAll(queue, lock);
        stopped.countDown();
        LOG.info("sequencer closed at sequence {}", matcherAgent.lastSequence());
    }

    /**
     * Lets a thread that tails the journal (the commitment builder, the snapshot follower) reach everything journaled
     * before it stops, unless it stopped on an error or the deadline passes.
     */
    private static void awaitTail(
        final String who, final LongSupplier reached, final Supplier<Throwable> failure, final long lastSequence,
        final long deadlineNs, final String consequence)
    {
        while (reached.getAsLong() < lastSequence && failure.get() == null && System.nanoTime() < deadlineNs)
        {
            sleepBriefly();
        }
        if (reached.getAsLong() < lastSequence && failure.get() == null)
        {
            LOG.warn("{} reached sequence {} of {} before the close deadline; {}", who, reached.getAsLong(),
                lastSequence, consequence);
        }
    }

    /**
     * @return the commitment builder, for watching how far it got (any thread); null if commitments are off
     */
    public CommitmentBuilder commitments()
    {
        return commitmentBuilder;
    }

    /**
     * The matcher, for inspection once the sequencer is closed (tests, tools). Its owner thread has ended then.
     *
     * @throws IllegalStateException while the sequencer runs
     */
    public Matcher matcherAfterClose()
    {
        if (stopped.getCount() != 0)
        {
            throw new IllegalStateException("the matcher belongs to the matcher thread until close() returns");
        }

        return matcherAgent.matcher();
    }

    void fail(final String where, final Throwable cause)
    {
        if (failure.compareAndSet(null, cause))
        {
            publisher.stopAccepting();
            LOG.error("SEQUENCING STOPPED: {} failed: {}. No further commands are accepted; the journal holds " +
                "every complete batch up to sequence {}; nothing after it was released. Restart to recover.",
                where, cause.toString(), journalAgent == null ? "?" : journalAgent.lastReleasedSequence(), cause);
            stopped.countDown();
        }
    }

    boolean isFailed()
    {
        return failure.get() != null;
    }

    Thread matcherThread()
    {
        return matcherRunner.thread();
    }

    Thread journalThread()
    {
        return journalRunner.thread();
    }

    /**
     * @return the snapshot follower, or null if periodic snapshots are off
     */
    SnapshotFollower snapshotFollower()
    {
        return snapshotFollower;
    }

    Thread followerThread()
    {
        return followerRunner.thread();
    }

    private void onAgentError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            fail("an agent", error);
        }
    }

    /**
     * The follower logs its own failure and stops; snapshots only shorten a start, so sequencing goes on.
     */
    private static void onFollowerError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            LOG.error("snapshot follower error", error);
        }
    }

    /**
     * The builder logs its own failure and stops; roots are derived data, so sequencing goes on.
     */
    private static void onCommitmentError(final Throwable error)
    {
        if (!(error instanceof AgentTerminationException))
        {
            LOG.error("commitment builder error", error);
        }
    }

    private void matcherIdleWake()
    {
        final Thread thread = matcherRunner.thread();
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    private static void sleepBriefly()
    {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Settings of a sequencer, with defaults that behave on a 2-core machine. Everything but the data directory
     * is optional.
     */
    public static final class Context
    {
        private Path dataDirectory;
        private Matcher.Context matcherContext = new Matcher.Context();
        private Genesis genesis = Genesis.ofMarkets(List.of());
        private int ringSize = 64 * 1024;
        private int maxCommandLength = 256;
        private int batchMaxCommands = 2048;
        private long batchMaxAgeUs = 500;
        private int batchMaxBytes = 4 << 20;
        private int batchesInFlight = 8;
        private long snapshotEveryBatches = 100_000;
        private long snapshotEveryCommands = 10_000_000;
        private int snapshotsKept = 3;
        private boolean snapshotFollower;
        private long minFreeDiskBytes = 1L << 30;
        private SyncPolicy syncPolicy = SyncPolicy.NONE;
        private String matcherIdleStrategy = IdleStrategies.DEFAULT;
        private String journalIdleStrategy = IdleStrategies.DEFAULT;
        private EpochNanoClock clock;
        private LongSupplier journalFileClockMs = System::currentTimeMillis;
        private final List<ReleaseListener> releaseListeners = new ArrayList<>();
        private MatcherStateCodec snapshotCodec = MatcherStateCodec.MATCHER;
        private boolean commitments;
        private String commitmentIdleStrategy = IdleStrategies.DEFAULT;

        /**
         * @param dataDirectory where the journal ({@code journal/}) and snapshots ({@code snapshots/}) live
         */
        public Context dataDirectory(final Path dataDirectory)
        {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Path dataDirectory()
        {
            return dataDirectory;
        }

        /**
         * @param matcherContext the matcher's capacities; a journal that exists must have been written with the same
         */
        public Context matcherContext(final Matcher.Context matcherContext)
        {
            this.matcherContext = matcherContext;
            return this;
        }

        public Matcher.Context matcherContext()
        {
            return matcherContext;
        }

        /**
         * @return the insurance fund's account id: for the gateway, which never names the matcher's types
         */
        public int insuranceFundAccount()
        {
            return matcherContext.insuranceFundAccount();
        }

        /**
         * @param genesis the commands a new journal starts with (fee tiers, markets, account setups), sequenced
         *                from 1 before anything else; on an existing journal, its markets that the journal does not
         *                define yet are defined at start
         */
        public Context genesis(final Genesis genesis)
        {
            this.genesis = Objects.requireNonNull(genesis, "genesis");
            return this;
        }

        public Genesis genesis()
        {
            return genesis;
        }

        /**
         * Shorthand for a genesis of these markets alone.
         */
        public Context markets(final List<MarketSpec> markets)
        {
            return genesis(Genesis.ofMarkets(markets));
        }

        /**
         * @param ringSize command ring slots, a power of two
         */
        public Context ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        public int ringSize()
        {
            return ringSize;
        }

        /**
         * @param maxCommandLength the longest command a publisher may hand in, in bytes
         */
        public Context maxCommandLength(final int maxCommandLength)
        {
            this.maxCommandLength = maxCommandLength;
            return this;
        }

        public int maxCommandLength()
        {
            return maxCommandLength;
        }

        /**
         * @param batchMaxCommands a batch closes when it holds this many commands (N)
         */
        public Context batchMaxCommands(final int batchMaxCommands)
        {
            this.batchMaxCommands = batchMaxCommands;
            return this;
        }

        public int batchMaxCommands()
        {
            return batchMaxCommands;
        }

        /**
         * @param batchMaxAgeUs a batch closes when its first command is this old (T), in microseconds
         */
        public Context batchMaxAgeUs(final long batchMaxAgeUs)
        {
            this.batchMaxAgeUs = batchMaxAgeUs;
            return this;
        }

        public long batchMaxAgeUs()
        {
            return batchMaxAgeUs;
        }

        /**
         * @param batchMaxBytes a batch closes when it is at least this long; a single command's events may take it
         *                      further
         */
        public Context batchMaxBytes(final int batchMaxBytes)
        {
            this.batchMaxBytes = batchMaxBytes;
            return this;
        }

        public int batchMaxBytes()
        {
            return batchMaxBytes;
        }

        /**
         * @param batchesInFlight batch buffers between the matcher and the journal, a power of two
         */
        public Context batchesInFlight(final int batchesInFlight)
        {
            this.batchesInFlight = batchesInFlight;
            return this;
        }

        public int batchesInFlight()
        {
            return batchesInFlight;
        }

        /**
         * @param snapshotEveryBatches a snapshot is taken after every this many batches; 0 for only at shutdown
         */
        public Context snapshotEveryBatches(final long snapshotEveryBatches)
        {
            this.snapshotEveryBatches = snapshotEveryBatches;
            return this;
        }

        public long snapshotEveryBatches()
        {
            return snapshotEveryBatches;
        }

        /**
         * A recovery replays the commands after the newest snapshot: at full load batches hold a thousand commands
         * and more, so a count of batches alone would let that replay grow a thousandfold. This bounds it in
         * commands, whatever the load.
         *
         * @param snapshotEveryCommands a snapshot is taken at the end of the batch that brings the commands since
         *                              the last one to this many; 0 for no bound in commands
         */
        public Context snapshotEveryCommands(final long snapshotEveryCommands)
        {
            this.snapshotEveryCommands = snapshotEveryCommands;
            return this;
        }

        public long snapshotEveryCommands()
        {
            return snapshotEveryCommands;
        }

        /**
         * @param snapshotFollower whether the periodic snapshots are taken by a replica of the matcher that follows
         *                         the journal on a thread of its own ({@link SnapshotFollower}), so that sequencing
         *                         never stops for one, at the price of a second matcher's memory and CPU; off, the
         *                         matcher thread takes them at a batch boundary and sequences nothing meanwhile
         */
        public Context snapshotFollower(final boolean snapshotFollower)
        {
            this.snapshotFollower = snapshotFollower;
            return this;
        }

        public boolean snapshotFollower()
        {
            return snapshotFollower;
        }

        /**
         * @param snapshotsKept how many snapshot files to keep, newest first
         */
        public Context snapshotsKept(final int snapshotsKept)
        {
            this.snapshotsKept = snapshotsKept;
            return this;
        }

        public int snapshotsKept()
        {
            return snapshotsKept;
        }

        /**
         * @param minFreeDiskBytes below this much usable space on the data directory's file system, new commands
         *                         are refused until space is freed; 0 checks nothing
         */
        public Context minFreeDiskBytes(final long minFreeDiskBytes)
        {
            this.minFreeDiskBytes = minFreeDiskBytes;
            return this;
        }

        public long minFreeDiskBytes()
        {
            return minFreeDiskBytes;
        }

        public Context syncPolicy(final SyncPolicy syncPolicy)
        {
            this.syncPolicy = syncPolicy;
            return this;
        }

        public SyncPolicy syncPolicy()
        {
            return syncPolicy;
        }

        /**
         * @param matcherIdleStrategy how the matcher thread waits for commands ({@link IdleStrategies})
         */
        public Context matcherIdleStrategy(final String matcherIdleStrategy)
        {
            this.matcherIdleStrategy = matcherIdleStrategy;
            return this;
        }

        public String matcherIdleStrategy()
        {
            return matcherIdleStrategy;
        }

        /**
         * @param journalIdleStrategy how the journal thread waits for batches ({@link IdleStrategies})
         */
        public Context journalIdleStrategy(final String journalIdleStrategy)
        {
            this.journalIdleStrategy = journalIdleStrategy;
            return this;
        }

        public String journalIdleStrategy()
        {
            return journalIdleStrategy;
        }

        /**
         * @param clock where command timestamps come from; read on the matcher thread only. Stamps never go
         *              backwards, even if the clock does.
         */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        public EpochNanoClock clock()
        {
            return clock;
        }

        /**
         * @param journalFileClockMs the wall clock (epoch milliseconds) by which the journal starts a new file each
         *                           day (its Chronicle roll cycle); read on the journal thread. Default: the system
         *                           clock. Readers follow the files in order whatever their dates, so moving it
         *                           on makes the journal roll at a chosen batch, as it does at midnight UTC.
         */
        public Context journalFileClockMs(final LongSupplier journalFileClockMs)
        {
            this.journalFileClockMs = Objects.requireNonNull(journalFileClockMs, "journalFileClockMs");
            return this;
        }

        /**
         * Adds a listener that receives every command and its events once released, on the journal thread.
         */
        public Context releaseListener(final ReleaseListener listener)
        {
            releaseListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public List<ReleaseListener> releaseListeners()
        {
            return releaseListeners;
        }

        /**
         * @param snapshotCodec how the matcher state is written and read (default: the matcher's own canonical
         *                      snapshots); null disables snapshots, and recovery then always replays from genesis
         */
        public Context snapshotCodec(final MatcherStateCodec snapshotCodec)
        {
            this.snapshotCodec = snapshotCodec;
            return this;
        }

        public MatcherStateCodec snapshotCodec()
        {
            return snapshotCodec;
        }

        /**
         * @param commitments whether a commitment builder thread records the state root after every batch in
         *                    {@code commitments/roots} (docs/COMMITMENTS.md). Off by default here; the service
         *                    configuration turns it on.
         */
        public Context commitments(final boolean commitments)
        {
            this.commitments = commitments;
            return this;
        }

        public boolean commitments()
        {
            return commitments;
        }

        /**
         * @param commitmentIdleStrategy how the commitment thread waits for batches ({@link IdleStrategies});
         *                               default {@code blocking}: nothing wakes it, so it parks up to 10 ms
         *                               between polls, since nothing waits for it
         */
        public Context commitmentIdleStrategy(final String commitmentIdleStrategy)
        {
            this.commitmentIdleStrategy = commitmentIdleStrategy;
            return this;
        }

        public String commitmentIdleStrategy()
        {
            return commitmentIdleStrategy;
        }

        Context conclude()
        {
            if (dataDirectory == null)
            {
                throw new IllegalArgumentException("sequencer: a data directory is required");
            }
            validate();
            if (clock == null)
            {
                clock = new OffsetEpochNanoClock();
            }

            return this;
        }

        /**
         * Checks every setting but the data directory.
         *
         * @throws IllegalArgumentException naming the setting and its allowed range
         */
        public Context validate()
        {
            Objects.requireNonNull(matcherContext, "matcherContext");
            Objects.requireNonNull(syncPolicy, "syncPolicy");
            powerOfTwo("ringSize", ringSize, 2, 1 << 24);
            range("maxCommandLength", maxCommandLength, 16, 64 * 1024);
            range("batchMaxCommands", batchMaxCommands, 1, 1 << 20);
            range("batchMaxAgeUs", batchMaxAgeUs, 1, 10_000_000);
            range("batchMaxBytes", batchMaxBytes, 1024, 256 << 20);
            powerOfTwo("batchesInFlight", batchesInFlight, 2, 1024);
            range("snapshotEveryBatches", snapshotEveryBatches, 0, Long.MAX_VALUE);
            range("snapshotEveryCommands", snapshotEveryCommands, 0, Long.MAX_VALUE);
            range("snapshotsKept", snapshotsKept, 1, 1000);
            range("minFreeDiskBytes", minFreeDiskBytes, 0, 1L << 50);
            IdleStrategies.parse(matcherIdleStrategy);
            IdleStrategies.parse(journalIdleStrategy);
            IdleStrategies.parse(commitmentIdleStrategy);

            return this;
        }

        private static void range(final String name, final long value, final long min, final long max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException("sequencer: " + name + " must be from " + min + " to " + max +
                    ", got " + value);
            }
        }

        private static void powerOfTwo(final String name, final int value, final int min, final int max)
        {
            range(name, value, min, max);
            if (Integer.bitCount(value) != 1)
            {
                throw new IllegalArgumentException("sequencer: " + name + " must be a power of two, got " + value);
            }
        }
    }
}
