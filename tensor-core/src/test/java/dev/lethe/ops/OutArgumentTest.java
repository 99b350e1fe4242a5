package dev.lethe.ops;

import dev.lethe.autograd.NoGrad;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The elementwise ops with an {@code out} argument ({@code x.add(y, out)}, {@code x.exp(out)}…)
 * against the same ops without one: the same bits on odd sizes, on the parallel path, with
 * broadcast operands, into strided views and into an operand's own view; and the refusals.
 */
@Tag("kernels")
class OutArgumentTest {
    private record Binary(String name, BiFunction<Tensor, Tensor, Tensor> fresh, TriFunction into) {}

    private interface TriFunction {
        Tensor apply(Tensor a, Tensor b, Tensor out);
    }

    private record Unary(String name, Function<Tensor, Tensor> fresh, BiFunction<Tensor, Tensor, Tensor> into) {}

    private static final List<Binary> BINARY = List.of(
            new Binary("add", Tensor::add, (a, b, o) -> a.add(b, o)),
            new Binary("sub", Tensor::sub, (a, b, o) -> a.sub(b, o)),
            new Binary("mul", Tensor::mul, (a, b, o) -> a.mul(b, o)),
            new Binary("div", Tensor::div, (a, b, o) -> a.div(b, o)));

    private static final List<Unary> UNARY = List.of(
            new Unary("add 1.5", x -> x.add(1.5), (x, o) -> x.add(1.5, o)),
            new Unary("mul -0.25", x -> x.mul(-0.25), (x, o) -> x.mul(-0.25, o)),
            new Unary("neg", Tensor::neg, Tensor::neg),
            new Unary("exp", Tensor::exp, Tensor::exp),
            new Unary("log", Tensor::log, Tensor::log),
            new Unary("sqrt", Tensor::sqrt, Tensor::sqrt),
            new Unary("abs", Tensor::abs, Tensor::abs),
            new Unary("relu", Tensor::relu, Tensor::relu),
            new Unary("sigmoid", Tensor::sigmoid, Tensor::sigmoid),
            new Unary("tanh", Tensor::tanh, Tensor::tanh));

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dtype() == DType.FLOAT32) {
            float[] e = expected.contiguous().toFloatArray(), a = actual.contiguous().toFloatArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + ": element " + i + " " + e[i] + " vs " + a[i]);
            }
        } else {
            double[] e = expected.contiguous().toDoubleArray(), a = actual.contiguous().toDoubleArray();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), what + ": element " + i);
            }
        }
    }

    @Test
    void everyOpWritesTheBitsOfItsFormWithoutOut() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 3, 7, 17, 33, 1000, 200_003}) {
                Tensor a = Tensor.randn(1, dtype, n), b = Tensor.randn(2, dtype, n).add(3);
                for (Binary op : BINARY) {
                    Tensor out = Tensor.zeros(dtype, n);
                    assertSame(out, op.into.apply(a, b, out), op.name + ": returns out");
                    assertSameBits(op.fresh.apply(a, b), out, op.name + " " + dtype + " n=" + n);
                }
                for (Unary op : UNARY) {
                    Tensor out = Tensor.zeros(dtype, n);
                    assertSame(out, op.into.apply(a, out), op.name + ": returns out");
                    assertSameBits(op.fresh.apply(a), out, op.name + " " + dtype + " n=" + n);
                }
            }
        }
    }

    @Test
    void broadcastOperandsWriteIntoAStridedView() {
        Tensor a = Tensor.randn(3, 5, 1, 7), b = Tensor.randn(4, 3, 7);
        for (Binary op : BINARY) {
            // out [5, 3, 7] as a permuted view of a [7, 3, 5] buffer, so no dim is contiguous.
            Tensor buffer = Tensor.zeros(7, 3, 5);
            Tensor out = buffer.permute(2, 1, 0);
            op.into.apply(a, b, out);
            assertSameBits(op.fresh.apply(a, b), out, op.name + " broadcast into a permuted view");
        }
        // Every other column of a wider buffer, left untouched between.
        Tensor x = Tensor.randn(5, 4, 9), wide = Tensor.zeros(4, 18).add(7);
        Tensor every2nd = wide.reshape(4, 9, 2).narrow(2, 0, 1).reshape(4, 9);
        x.exp(every2nd);
        assertSameBits(x.exp(), every2nd, "exp into a strided view");
        assertSameBits(Tensor.zeros(4, 9).add(7), wide.reshape(4, 9, 2).narrow(2, 1, 1).reshape(4, 9), "the entries between");
    }

    @Test
    void outMayBeAnOperandsOwnView() {
        Tensor a = Tensor.randn(6, 1001), b = Tensor.randn(7, 1001);
        Tensor expected = a.mul(b);
        a.mul(b, a);
        assertSameBits(expected, a, "a ← a ⊙ b");
        Tensor t = Tensor.randn(8, 33, 17).transpose(0, 1);
        Tensor e = t.tanh();
        t.tanh(t);
        assertSameBits(e, t, "tanh of a transposed view into itself");
    }

    @Test
    void outIsVersionedAsAnInPlaceWrite() {
        Tensor out = Tensor.zeros(10);
        int before = out.storage().version();
        Tensor.randn(9, 10).exp(out);
        assertTrue(out.storage().version() > before, "version bumped");
    }

    @Test
    void badOutArgumentsAreRefusedNamingTheProblem() {
        Tensor a = Tensor.randn(10, 4, 5), b = Tensor.randn(11, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b, Tensor.zeros(5, 4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[5, 4]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.exp(Tensor.zeros(DType.FLOAT64, 4, 5)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.exp(Tensor.zeros(1, 5).expand(4, 5)));
        assertTrue(e.getMessage().contains("broadcast view"), e.getMessage());
        // A view of a shifted by one element overlaps it partially.
        Tensor buffer = Tensor.randn(12, 21);
        Tensor x = buffer.narrow(0, 0, 20), shifted = buffer.narrow(0, 1, 20);
        e = assertThrows(IllegalArgumentException.class, () -> x.relu(shifted));
        assertTrue(e.getMessage().contains("overlaps input 0"), e.getMessage());
        // Disjoint halves of one buffer are fine.
        Tensor left = buffer.narrow(0, 0, 10), right = buffer.narrow(0, 10, 10);
        Tensor expected = left.neg();
        left.neg(right);
        assertSameBits(expected, right, "neg into the other half of the buffer");
        assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(DType.FLOAT64, 5), Tensor.zeros(4, 5)), "dtypes of a and b differ");
    }

    @Test
    void noGraphIsRecordedSoGradientsMustBeOff() {
        Tensor w = Tensor.randn(13, 8).requiresGrad(true);
        Tensor out = Tensor.zeros(8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.exp(out));
        assertTrue(e.getMessage().contains("requires grad") && e.getMessage().contains("NoGrad"), e.getMessage());
        try (NoGrad g = NoGrad.enter()) {
            w.exp(out);
        }
        assertSameBits(w.detach().exp(), out, "exp under NoGrad");
        // out itself must be writable in place: not a leaf that requires grad.
        assertThrows(IllegalStateException.class, () -> Tensor.randn(14, 8).exp(w));
    }
}
