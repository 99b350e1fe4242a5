package dev.lethe.ops;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

/** Argument checks shared by the ops, with messages that name the op, shapes and dtypes. */
public final class OpChecks {
    private OpChecks() {}

    /** Both operands must share a dtype: Lethe never promotes silently. */
    public static void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, a is " + a.dtype() + " " + Shapes.str(a.shape()) + ", b is "
                    + b.dtype() + " " + Shapes.str(b.shape()) + " (convert one with .to(dtype))");
        }
    }

    /** The tensor must have exactly {@code rank} dims. */
    public static void rank(String op, String what, Tensor t, int rank) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " must be " + rank + "-D, got shape " + Shapes.str(t.shape()));
        }
    }

    /** A condition on the arguments, with the message to give when it fails. */
    public static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
