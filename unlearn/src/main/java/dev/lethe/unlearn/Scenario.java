package dev.lethe.unlearn;

import dev.lethe.data.Dataset;

import java.util.List;

/**
 * How forget sets are chosen: a class ({@code class:K}), a seeded random fraction
 * ({@code random:F}), a list of indices from a file ({@code indices:FILE}), or a sequence of
 * requests applied one after another ({@code seq:random:0.02x5}).
 */
public interface Scenario {
    /** The spec this scenario was parsed from, e.g. {@code class:0}; used in reports and file names. */
    String spec();

    /**
     * The requests, in the order they arrive: one for a single request, several for a
     * sequence (request i's retain set excludes every sample forgotten by requests 0…i).
     *
     * @param train the training set the original model saw
     * @param test  the test set (class-wise requests drop the forgotten class from it)
     * @param seed  seeds random choices; the same seed gives the same forget sets
     * @throws IllegalArgumentException if the request cannot be met (class out of range,
     *         fraction outside (0, 1), an index outside the training set, an empty forget set)
     */
    List<ForgetSplit> splits(Dataset train, Dataset test, long seed);
}
