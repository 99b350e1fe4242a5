package dev.lethe.optim;

/**
 * Sets an optimiser's learning rate from a schedule lr(t) of the step count t. {@link #lrAt}
 * is a pure function of t and the base rate (the optimiser's rate when the scheduler was
 * made); {@link #step()} advances t by one and applies lr(t). Whether t counts batches or
 * epochs is the caller's choice. Construction applies lr(0).
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private int step;

    protected LrScheduler(Optimizer optimizer) {
        this(optimizer, optimizer.lr());
    }

    LrScheduler(Optimizer optimizer, double baseLr) {
        this.optimizer = optimizer;
        this.baseLr = baseLr;
    }

    /** Applies lr(0); subclasses call it once their fields are set. */
    protected final void start() {
        optimizer.setLr(lrAt(0));
    }

    /** The learning rate at step {@code t} (t ≥ 0). */
    public abstract double lrAt(int t);

    /** Advances one step and sets the optimiser's rate to lr(t). */
    public void step() {
        optimizer.setLr(lrAt(++step));
    }

    /** The number of {@link #step()} calls so far. */
    public int stepCount() {
        return step;
    }

    public double baseLr() {
        return baseLr;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    static void checkStep(int t) {
        if (t < 0) throw new IllegalArgumentException("lrAt: step must be ≥ 0, got " + t);
    }
}
