package dev.lethe.optim;

import java.util.Arrays;

/** lr(t) = base·γ^k, k = the number of milestones ≤ t. */
public final class MultiStepLR extends LrScheduler {
    private final int[] milestones;
    private final double gamma;

    /** @throws IllegalArgumentException unless the milestones are positive and increasing */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("MultiStepLR: milestones must be positive and increasing, got " + Arrays.toString(milestones));
            }
        }
        this.milestones = milestones.clone();
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int t) {
        checkStep(t);
        int k = 0;
        while (k < milestones.length && milestones[k] <= t) k++;
        return baseLr() * Math.pow(gamma, k);
    }
}
