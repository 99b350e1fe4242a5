package dev.lethe.optim;

/**
 * Linear warm-up over W steps, then another schedule: lr(t) = base·(t + 1)/W for t &lt; W,
 * reaching base at t = W − 1, where {@code then} starts: lr(t) = then.lrAt(t − W + 1) for
 * t ≥ W − 1 (base is the rate {@code then} starts from). {@code then} must drive the same
 * optimiser; only this scheduler is stepped.
 */
public final class LinearWarmup extends LrScheduler {
    private final int warmupSteps;
    private final LrScheduler then;

    /** @throws IllegalArgumentException if warmupSteps < 1 or then drives another optimiser */
    public LinearWarmup(Optimizer optimizer, int warmupSteps, LrScheduler then) {
        super(optimizer, then.baseLr());
        if (warmupSteps < 1) throw new IllegalArgumentException("LinearWarmup: warmupSteps must be ≥ 1, got " + warmupSteps);
        if (then.optimizer() != optimizer) throw new IllegalArgumentException("LinearWarmup: the following scheduler drives another optimiser");
        this.warmupSteps = warmupSteps;
        this.then = then;
        start();
    }

    @Override
    public double lrAt(int t) {
        checkStep(t);
        return t < warmupSteps - 1 ? baseLr() * (t + 1) / warmupSteps : then.lrAt(t - warmupSteps + 1);
    }
}
