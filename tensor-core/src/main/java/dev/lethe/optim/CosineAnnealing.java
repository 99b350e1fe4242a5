package dev.lethe.optim;

/**
 * lr(t) = η_min + (base − η_min)·(1 + cos(π·t/T))/2 for t ≤ T, then η_min (PyTorch's closed
 * form of CosineAnnealingLR, held at the end instead of rising again).
 */
public final class CosineAnnealing extends LrScheduler {
    private final int total;
    private final double etaMin;

    /** Decays to 0 over {@code total} steps. */
    public CosineAnnealing(Optimizer optimizer, int total) {
        this(optimizer, total, 0);
    }

    /** @throws IllegalArgumentException if total < 1 */
    public CosineAnnealing(Optimizer optimizer, int total, double etaMin) {
        super(optimizer);
        if (total < 1) throw new IllegalArgumentException("CosineAnnealing: total steps must be ≥ 1, got " + total);
        this.total = total;
        this.etaMin = etaMin;
        start();
    }

    @Override
    public double lrAt(int t) {
        checkStep(t);
        if (t >= total) return etaMin;
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * t / total)) / 2;
    }
}
