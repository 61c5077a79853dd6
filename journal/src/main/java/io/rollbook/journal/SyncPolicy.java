package io.rollbook.journal;

/**
 * When journaled bytes are forced to the storage device. Either way a batch is released only after it is written
 * into the journal's memory-mapped file; the policy decides what else must have happened first.
 */
public enum SyncPolicy
{
    /**
     * No explicit sync: a released batch is in the operating system's page cache. It survives the process being
     * killed at any moment (the kernel writes the pages back), but not a power loss or kernel crash, which can lose
     * the last few seconds of released batches.
     */
    NONE,

    /**
     * fsync at each batch end, before release (group commit: the journal thread forces once for every batch
     * that is waiting, so several batches can share one sync). A released batch is on the device and survives
     * power loss, at the cost of one device flush per group.
     */
    BATCH
}
