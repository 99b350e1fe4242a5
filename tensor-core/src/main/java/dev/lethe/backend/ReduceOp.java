package dev.lethe.backend;

/** Reductions over dims: the identity and the combining step, in float64. */
public enum ReduceOp {
    SUM(0.0) { public double combine(double acc, double x) { return acc + x; } },
    /** NaN propagates. */
    MAX(Double.NEGATIVE_INFINITY) { public double combine(double acc, double x) { return Math.max(acc, x); } },
    /** NaN propagates. */
    MIN(Double.POSITIVE_INFINITY) { public double combine(double acc, double x) { return Math.min(acc, x); } };

    private final double identity;

    ReduceOp(double identity) {
        this.identity = identity;
    }

    /** The value of an empty reduction. */
    public double identity() {
        return identity;
    }

    public abstract double combine(double acc, double x);
}
