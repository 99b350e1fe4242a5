package dev.lethe.ops;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * softmax and log-softmax on a device with {@link dev.lethe.backend.SoftmaxKernels} (the test
 * device: the CPU's composition on its arrays) run as one node whose forward and composed
 * backward agree with the CPU's composition within float32 rounding; other dimensions, and a
 * device without the kernels, run the composition.
 */
class SoftmaxOnDeviceTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    private static void agrees(Tensor x, int dim, boolean log, String node) {
        BiFunction<Tensor, Integer, Tensor> op = log ? Tensor::logSoftmax : Tensor::softmax;
        Tensor g = Tensor.randn(9, x.shape());
        Tensor xc = x.detach().requiresGrad(true);
        Tensor yc = op.apply(xc, dim);
        yc.backward(g);
        Tensor xd = x.detach().to(DEV).requiresGrad(true);
        Tensor yd = op.apply(xd, dim);
        yd.backward(g.to(DEV));
        assertEquals(node, yd.gradFn().name());
        assertArrayEquals(yc.toFloatArray(), yd.toFloatArray(), 1e-6f, "forward");
        assertArrayEquals(xc.grad().toFloatArray(), xd.grad().toFloatArray(), 1e-6f, "backward");
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,7", "3,33", "17,10", "2,1"})
    void alongTheLastDimensionItIsOneNodeThatAgrees(int rows, int c) {
        agrees(Tensor.randn(rows * 31L + c, rows, c).mul(3), 1, true, "logSoftmax");
        agrees(Tensor.randn(rows * 37L + c, rows, c).mul(3), -1, false, "softmax");
    }

    @Test
    void higherRanksStridedViewsAndOtherDimensions() {
        agrees(Tensor.randn(1, 2, 3, 5), 2, true, "logSoftmax");
        agrees(Tensor.randn(2, 2, 5, 4).transpose(0, 1), 2, false, "softmax");
        agrees(Tensor.randn(3, 3, 4, 6), 0, true, "sub");
        agrees(Tensor.randn(4, 2, 4, 6), 1, false, "exp");
    }

    /** Views made on the device: a transpose (the op copies it) and a narrowed block (contiguous past offset 0). */
    @Test
    void viewsMadeOnTheDevice() {
        Tensor x = Tensor.randn(6, 5, 7).mul(2);
        for (boolean log : new boolean[] {true, false}) {
            Tensor xd = x.to(DEV).requiresGrad(true);
            Tensor xc = x.detach().requiresGrad(true);
            Tensor g = Tensor.randn(8, 4, 7);
            Tensor yd = log ? xd.narrow(0, 1, 4).logSoftmax(1) : xd.narrow(0, 1, 4).softmax(1);
            Tensor yc = log ? xc.narrow(0, 1, 4).logSoftmax(1) : xc.narrow(0, 1, 4).softmax(1);
            yd.backward(g.to(DEV));
            yc.backward(g);
            assertArrayEquals(yc.toFloatArray(), yd.toFloatArray(), 1e-6f);
            assertArrayEquals(xc.grad().toFloatArray(), xd.grad().toFloatArray(), 1e-6f);
            Tensor t = x.to(DEV).transpose(0, 1);
            Tensor tc = x.transpose(0, 1);
            assertArrayEquals((log ? tc.logSoftmax(1) : tc.softmax(1)).toFloatArray(), (log ? t.logSoftmax(1) : t.softmax(1)).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aDeviceWithoutTheKernelsComposes() {
        TestDeviceProvider.softmaxKernels = false;
        try {
            agrees(Tensor.randn(5, 2, 3, 7), 2, true, "sub");
        } finally {
            TestDeviceProvider.softmaxKernels = true;
        }
    }
}
