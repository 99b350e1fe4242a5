package dev.lethe.backend;

/** Elementwise binary kernels with broadcasting, z = f(a, b), with their float64 formula. */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    /** max(a, b), NaN if either is NaN. */
    MAX { public double apply(double a, double b) { return Math.max(a, b); } },
    /** min(a, b), NaN if either is NaN. */
    MIN { public double apply(double a, double b) { return Math.min(a, b); } },
    GT { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { public double apply(double a, double b) { return a >= b ? 1 : 0; } },
    LT { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    EQ { public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { public double apply(double a, double b) { return a != b ? 1 : 0; } };

    /** The formula in float64. */
    public abstract double apply(double a, double b);
}
