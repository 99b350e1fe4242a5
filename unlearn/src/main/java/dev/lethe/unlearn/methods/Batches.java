package dev.lethe.unlearn.methods;

import dev.lethe.data.DataLoader;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Init;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Device;
import dev.lethe.unlearn.UnlearnContext;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;

/**
 * Seeded batches for the methods: every shuffle, sample and random label a method draws comes
 * from a stream derived from the context's seed and a name, so a method is a pure function of
 * its context and two methods never share a stream by accident.
 */
public final class Batches {
    /** A forget batch and the retain batch it is paired with for one step. */
    public record Paired(DataLoader.Batch forget, DataLoader.Batch retain) {}

    private Batches() {}

    /**
     * The seed of stream {@code name} (a method name, or a method name and a purpose such as
     * {@code "ga/ra-sample"}) under {@code ctx.seed()}. String hashes are fixed by the Java
     * language, so the seed is the same on every run.
     */
    public static long seed(UnlearnContext ctx, String name) {
        return Init.derive(ctx.seed(), name.hashCode());
    }

    /**
     * Batches of {@code data} in a seeded random order per epoch (the last batch may be smaller),
     * gathered on {@code device} (the model's): off the CPU the inputs are copied there once and
     * each batch is one gather on the device ({@link DataLoader#on}).
     */
    public static DataLoader shuffled(Dataset data, int batchSize, long seed, Device device) {
        if (data.size() == 0) throw new IllegalArgumentException("batches: the data set is empty");
        return new DataLoader(data, batchSize, true, seed, false).on(device);
    }

    /**
     * Epoch {@code e} of the forget batches, each paired with the next retain batch. The retain
     * batches run on across epochs of the forget loader (epoch after epoch of their own), as a
     * step needs one of each and D_r is usually much larger than D_f. The returned iterable is
     * meant to be walked once per epoch, epochs in order, from one {@link RetainCycle}.
     */
    public static Iterable<Paired> paired(DataLoader forget, RetainCycle retain, int e) {
        return () -> new Iterator<>() {
            private final Iterator<DataLoader.Batch> f = forget.epoch(e).iterator();

            @Override
            public boolean hasNext() {
                return f.hasNext();
            }

            @Override
            public Paired next() {
                return new Paired(f.next(), retain.next());
            }
        };
    }

    /** Retain batches without end: epoch 0 of a loader, then epoch 1, and so on. */
    public static final class RetainCycle {
        private final DataLoader loader;
        private int epoch = -1;
        private Iterator<DataLoader.Batch> current = Collections.emptyIterator();

        public RetainCycle(DataLoader loader) {
            this.loader = loader;
        }

        /** The next retain batch. */
        public DataLoader.Batch next() {
            if (!current.hasNext()) current = loader.epoch(++epoch).iterator();
            return current.next();
        }
    }

    /**
     * {@code round(fraction·N)} distinct items of {@code data} (at least one), chosen by a seeded
     * shuffle and kept in data-set order; all of it for fraction 1.
     *
     * @throws IllegalArgumentException if fraction is outside (0, 1]
     */
    public static Dataset sample(Dataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("sample: fraction must be in (0, 1], got " + fraction);
        return sample(data, Math.max(1, (int) Math.round(fraction * data.size())), seed);
    }

    /** {@code min(n, N)} distinct items of {@code data}, chosen by a seeded shuffle, in data-set order. */
    public static Dataset sample(Dataset data, int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("sample: size must be ≥ 1, got " + n);
        if (n >= data.size()) return data;
        int[] chosen = Arrays.copyOf(new DataLoader(data, 1, true, seed, false).order(0), n);
        Arrays.sort(chosen);
        return data.subset(chosen);
    }

    /**
     * {@code n} labels drawn uniformly from 0 … K−1, label i a pure function of (seed, i). The
     * true label may be drawn, as in the reference code ({@code np.random.randint(0, K)}).
     */
    public static int[] randomLabels(int n, int numClasses, long seed) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = CounterRandom.below(seed, i, numClasses);
        return labels;
    }
}
