package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;

/**
 * How one request picks its forget set. A {@link RequestSequence} asks each selection in turn,
 * telling it which training samples earlier requests already took.
 */
interface Selection {
    /** The request as written, e.g. {@code class:3} or {@code random:0.1}. */
    String spec();

    /**
     * The training indices this request forgets: ascending, distinct, none of them in {@code gone}.
     *
     * @param train      the whole training set D
     * @param gone       gone[i] is true when an earlier request already forgot sample i
     * @param numClasses K, the number of classes of the data
     * @param seed       this request's seed
     * @throws IllegalArgumentException naming the request and the bad value when it cannot be met
     */
    int[] select(Dataset train, boolean[] gone, int numClasses, long seed);

    /** The class this request removes from D_t, or −1 when it keeps every class. */
    int forgottenClass();
}
