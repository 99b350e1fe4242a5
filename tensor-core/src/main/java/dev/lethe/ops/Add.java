package dev.lethe.ops;

import dev.lethe.autograd.Autograd;
import dev.lethe.backend.BinaryOp;
import dev.lethe.tensor.Tensor;

/**
 * add: z = a + b, broadcast.
 * <p>∂L/∂a = ∂L/∂z, ∂L/∂b = ∂L/∂z (each summed back to its operand's shape by the engine).
 */
public final class Add {
    private Add() {}

    public static Tensor apply(Tensor a, Tensor b) {
        Tensor z = Elementwise.binary("add", BinaryOp.ADD, a, b);
        return Autograd.record("add", z, new Tensor[] {a, b}, g -> new Tensor[] {g, g});
    }
}
