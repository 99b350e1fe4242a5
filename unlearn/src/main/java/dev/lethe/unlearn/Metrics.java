package dev.lethe.unlearn;

/**
 * How well one model honours one request, every number in percent except the time.
 *
 * @param ua          unlearning accuracy: 100 − accuracy on D_f
 * @param ra          remaining accuracy: accuracy on D_r
 * @param ta          test accuracy: accuracy on D_t (without the forgotten class for class-wise requests)
 * @param miaEfficacy share of D_f the membership-inference attacker calls non-member, ×100
 * @param seconds     wall-clock seconds of the unlearning step (NaN for the original model)
 */
public record Metrics(double ua, double ra, double ta, double miaEfficacy, double seconds) {
    /**
     * The average gap to retraining: mean |this − retrain| over UA, RA, TA and MIA-efficacy,
     * in percentage points (0 for Retrain itself).
     */
    public double avgGap(Metrics retrain) {
        return (Math.abs(ua - retrain.ua) + Math.abs(ra - retrain.ra) + Math.abs(ta - retrain.ta)
                + Math.abs(miaEfficacy - retrain.miaEfficacy)) / 4;
    }
}
