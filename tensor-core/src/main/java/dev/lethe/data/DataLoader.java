package dev.lethe.data;

import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a {@link Dataset} into mini-batches, in a seeded random order per epoch.
 *
 * <p>The order of epoch e is a pure function of (seed, e): a Fisher–Yates shuffle of
 * 0 … N−1 whose swap partner for position i (from N−1 down to 1) is
 * {@code CounterRandom.below(seed ^ e, i, i + 1)}. No generator state carries over between
 * epochs, so epoch 7 can be replayed without replaying epochs 0 … 6, and a run that is
 * repeated (say, retraining without a forgotten sample) sees the same order whatever ran
 * before. (Since the stream is seed ⊕ e, runs (s, e) and (s′, e′) with s ⊕ e = s′ ⊕ e′ share
 * an order — seeds 4 and 5 swap their epochs 0 and 1 — so give unrelated runs unrelated seeds.)
 *
 * <p>Each batch's inputs are a fresh contiguous tensor {@code [B, …]} gathered with one
 * array copy per item; the last batch is smaller unless {@code dropLast}. {@link #on(Device)}
 * gathers them on a device instead, from a copy of the inputs made there once.
 */
public final class DataLoader implements Iterable<DataLoader.Batch> {
    /**
     * One mini-batch: inputs {@code [B, …]}, their labels, and which data-set items they are.
     */
    public record Batch(Tensor inputs, int[] labels, int[] indices) {
        /** Number of items B. */
        public int size() {
            return labels.length;
        }
    }

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    /** The rows batches are gathered from: the data set's inputs, or their copy on a device. */
    private final Tensor source;
    private int epoch;

    /**
     * @param batchSize items per batch, ≥ 1
     * @param shuffle   false: items in data-set order every epoch
     * @param seed      the shuffle's seed
     * @param dropLast  skip a final batch smaller than batchSize
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        if (batchSize < 1) throw new IllegalArgumentException("dataLoader: batch size must be at least 1, got " + batchSize);
        this(dataset, batchSize, shuffle, seed, dropLast, dataset.inputs());
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, Tensor source) {
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.source = source;
    }

    /**
     * This loader with its batches' inputs gathered on {@code device}: the data set's inputs
     * are copied there once (N × item floats of device memory, outside any {@link MemoryScope},
     * shared by the loaders over the same view of the inputs' storage while one of them holds
     * it, and made again after an in-place write that bumped the storage's version; see {@link
     * DeviceCopies}), and a batch is then one index-select on the device instead of a gather
     * on the host and an upload. Same order, same values, the
     * same epoch selected; this loader itself when its inputs already live on {@code device}.
     * A data set larger than the device's memory fails here with the device's out-of-memory
     * error: keep such a loader on the host.
     */
    public DataLoader on(Device device) {
        if (source.device().equals(device)) return this;
        Tensor copy = DeviceCopies.of(dataset.inputs(), device);
        DataLoader d = new DataLoader(dataset, batchSize, shuffle, seed, dropLast, copy);
        d.epoch = epoch;
        return d;
    }

    /** Selects the epoch that {@link #iterator()} walks (0 at the start). */
    public void setEpoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("dataLoader: epoch must be ≥ 0, got " + epoch);
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The order in which epoch {@code e} visits the items: identity without shuffling, else
     * the Fisher–Yates permutation described in the class comment.
     */
    public int[] order(int e) {
        int n = dataset.size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (!shuffle) return p;
        long stream = seed ^ e;
        for (int i = n - 1; i > 0; i--) {
            int j = CounterRandom.below(stream, i, i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The batches of the epoch set by {@link #setEpoch} (read when iteration starts). */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(epoch).iterator();
    }

    /** The batches of epoch {@code e}, independent of {@link #setEpoch}. */
    public Iterable<Batch> epoch(int e) {
        if (e < 0) throw new IllegalArgumentException("dataLoader: epoch must be ≥ 0, got " + e);
        return () -> new Iterator<>() {
            private final int[] order = order(e);
            private final int batches = numBatches();
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException("dataLoader: epoch " + e + " has only " + batches + " batches");
                int from = next++ * batchSize;
                int count = Math.min(batchSize, order.length - from);
                int[] idx = Arrays.copyOfRange(order, from, from + count);
                int[] labels = new int[count];
                for (int r = 0; r < count; r++) labels[r] = dataset.label(idx[r]);
                return new Batch(Rows.gather(source, idx), labels, idx);
            }
        };
    }
}
