package dev.lethe.optim;

/** lr(t) = base·γ^⌊t/stepSize⌋. */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    /** @throws IllegalArgumentException if stepSize < 1 */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("StepLR: stepSize must be ≥ 1, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int t) {
        checkStep(t);
        return baseLr() * Math.pow(gamma, t / stepSize);
    }
}
