package dev.lethe.unlearn;

/**
 * A method's run left the finite numbers: a loss or gradient became NaN or infinite, so its
 * weights are about to (ascent on −CE is unbounded, and the learning rate decides whether it
 * runs away). The harness reports it as {@code diverged: <message>}; a
 * {@code LearningRateRule} counts the candidate as diverged and keeps choosing among the others.
 */
public final class Divergence extends RuntimeException {
    public Divergence(String message) {
        super(message);
    }
}
