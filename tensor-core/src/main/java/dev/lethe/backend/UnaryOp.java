package dev.lethe.backend;

/**
 * Elementwise unary kernels, y = f(x; p, q), with their float64 formula. {@link #apply} is the
 * reference every fast kernel is compared against. These are kernels, not differentiable ops:
 * the ops in {@code dev.lethe.ops} combine them with their derivatives.
 */
public enum UnaryOp {
    /** y = x (a copy). */
    IDENTITY { public double apply(double x, double p, double q) { return x; } },
    /** y = −x. */
    NEG { public double apply(double x, double p, double q) { return -x; } },
    /** y = p·x + q. */
    SCALE_SHIFT { public double apply(double x, double p, double q) { return p * x + q; } },
    /** y = eˣ. */
    EXP { public double apply(double x, double p, double q) { return Math.exp(x); } },
    /** y = ln x (NaN below 0, −∞ at 0). */
    LOG { public double apply(double x, double p, double q) { return Math.log(x); } },
    /** y = √x. */
    SQRT { public double apply(double x, double p, double q) { return Math.sqrt(x); } },
    /** y = |x|. */
    ABS { public double apply(double x, double p, double q) { return Math.abs(x); } },
    /** y = max(x, 0). */
    RELU { public double apply(double x, double p, double q) { return x > 0 ? x : 0.0; } },
    /** y = 1 / (1 + e⁻ˣ). */
    SIGMOID { public double apply(double x, double p, double q) { return 1.0 / (1.0 + Math.exp(-x)); } },
    /** y = tanh x. */
    TANH { public double apply(double x, double p, double q) { return Math.tanh(x); } },
    /**
     * y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), GELU's tanh form; evaluated as
     * x·σ(2u) (the same function, since ½(1 + tanh u) = σ(2u)), which does not cancel for
     * negative x.
     */
    GELU {
        public double apply(double x, double p, double q) {
            return x / (1.0 + Math.exp(-2.0 * GELU_C * (x + 0.044715 * x * x * x)));
        }
    },
    /**
     * y = dGELU/dx = ½(1 + t) + ½x(1 − t²)·u′, t = tanh u, u′ = √(2/π)(1 + 3·0.044715x²);
     * evaluated with s = σ(2u) as s + 2x·s(1 − s)·u′ (½(1 + t) = s, ½(1 − t²) = 2s(1 − s)).
     */
    GELU_GRAD {
        public double apply(double x, double p, double q) {
            double s = 1.0 / (1.0 + Math.exp(-2.0 * GELU_C * (x + 0.044715 * x * x * x)));
            return s + 2.0 * x * s * (1.0 - s) * GELU_C * (1.0 + 3 * 0.044715 * x * x);
        }
    },
    /** y = 1 if x > 0 else 0 (the derivative of relu). */
    STEP { public double apply(double x, double p, double q) { return x > 0 ? 1.0 : 0.0; } },
    /** y = sign(x) ∈ {−1, 0, 1} (the derivative of |x|, 0 at 0). */
    SIGN { public double apply(double x, double p, double q) { return Math.signum(x); } },
    /** y = xᵖ. */
    POW { public double apply(double x, double p, double q) { return Math.pow(x, p); } },
    /** y = min(max(x, p), q). */
    CLAMP { public double apply(double x, double p, double q) { return Math.min(Math.max(x, p), q); } },
    /** y = 1 if p ≤ x ≤ q else 0 (the derivative of clamp). */
    IN_RANGE { public double apply(double x, double p, double q) { return x >= p && x <= q ? 1.0 : 0.0; } };

    /** √(2/π). */
    public static final double GELU_C = Math.sqrt(2.0 / Math.PI);

    /** The formula in float64. */
    public abstract double apply(double x, double p, double q);
}
