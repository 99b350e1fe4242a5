package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/** Checks shared by the regression losses. */
final class LossChecks {
    private LossChecks() {}

    /**
     * pred and target must have one shape and dtype: a silently broadcast target is a classic
     * bug ([N] against [N, 1] gives an [N, N] loss), so Lethe refuses it.
     */
    static void sameShape(String op, Tensor pred, Tensor target) {
        OpChecks.sameDtype(op, pred, target);
        if (!Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": pred has shape " + Shapes.str(pred.shape()) + ", target has "
                    + Shapes.str(target.shape()) + "; they must match");
        }
    }
}
