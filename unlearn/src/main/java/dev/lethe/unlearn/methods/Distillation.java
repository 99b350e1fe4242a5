package dev.lethe.unlearn.methods;

import dev.lethe.autograd.NoGrad;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Tensor;

/**
 * Kullback–Leibler divergence between a teacher's and a student's class distributions, the
 * loss of the distillation methods (SCRUB, Bad Teacher).
 */
public final class Distillation {
    private Distillation() {}

    /**
     * KL(p_t‖p_s) = (1/B)·Σ_i Σ_c p_t[i,c]·(log p_t[i,c] − log p_s[i,c]) for log-probabilities
     * [B, K], summed over classes and averaged over the batch (PyTorch's
     * {@code kl_div(log p_s, p_t, reduction="batchmean")}). The teacher side is a constant:
     * gradients flow to the student only. Written with log p_t, so a class the teacher gives
     * probability 0 contributes exactly 0.
     */
    public static Tensor kl(Tensor teacherLogProbs, Tensor studentLogProbs) {
        Tensor logPt = teacherLogProbs.detach();
        return logPt.exp().mul(logPt.sub(studentLogProbs)).sum().div(studentLogProbs.size(0));
    }

    /**
     * The distillation loss with temperature T: T²·KL(softmax(z_t/T)‖softmax(z_s/T)) for logits
     * [B, K] (Hinton et al.; the T² keeps gradient magnitudes comparable across temperatures).
     * SCRUB's DistillKL computes exactly this.
     */
    public static Tensor kl(Tensor teacherLogits, Tensor studentLogits, double temperature) {
        if (!(temperature > 0)) throw new IllegalArgumentException("kl: temperature must be > 0, got " + temperature);
        return kl(teacherLogits.detach().div(temperature).logSoftmax(1), studentLogits.div(temperature).logSoftmax(1)).mul(temperature * temperature);
    }

    /** A frozen teacher's logits for {@code x}, outside any graph (the teacher is never trained). */
    public static Tensor frozenLogits(Module teacher, Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return teacher.forward(x);
        }
    }
}
