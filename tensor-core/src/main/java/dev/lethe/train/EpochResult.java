package dev.lethe.train;

/**
 * What one epoch measured.
 *
 * @param epoch         1-based epoch number
 * @param loss          mean cross-entropy over the epoch's batches (weighted by batch size)
 * @param trainAccuracy percent of training samples classified correctly during the epoch (running, before each step)
 * @param testAccuracy  percent correct on the test set after the epoch, in eval mode; NaN without a test set
 * @param seconds       wall-clock seconds of the training part of the epoch (evaluation excluded)
 */
public record EpochResult(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds) {}
