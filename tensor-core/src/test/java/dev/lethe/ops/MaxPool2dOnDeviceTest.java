package dev.lethe.ops;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Max pooling on a device with {@link dev.lethe.backend.PoolingKernels} (the test device: the
 * CPU's kernels on its arrays) is one node with the CPU's bits, ties included: the first
 * maximum takes the whole gradient, where the composition would split it.
 */
class MaxPool2dOnDeviceTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    /** Values from a few levels only, so that windows tie; with a NaN when asked. */
    private static Tensor tied(long seed, boolean nan, int... shape) {
        float[] v = Tensor.rand(seed, shape).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.floor(v[i] * 4);
        if (nan) v[v.length / 2] = Float.NaN;
        return Tensor.fromArray(v, shape);
    }

    private static void sameAsCpu(Tensor x, int k, int stride, boolean afterRelu) {
        Tensor g = Tensor.randn(7, x.size(0), x.size(1), (x.size(2) - k) / stride + 1, (x.size(3) - k) / stride + 1);
        Tensor xc = x.detach().requiresGrad(true);
        Tensor yc = afterRelu ? MaxPool2d.afterRelu(xc, k) : xc.maxPool2d(k, stride);
        yc.backward(g);
        Tensor xd = x.detach().to(DEV).requiresGrad(true);
        Tensor yd = afterRelu ? MaxPool2d.afterRelu(xd, k) : xd.maxPool2d(k, stride);
        yd.backward(g.to(DEV));
        assertEquals(DEV, yd.device());
        assertArrayEquals(yc.toFloatArray(), yd.toFloatArray(), "forward");
        assertArrayEquals(xc.grad().toFloatArray(), xd.grad().toFloatArray(), "backward");
    }

    @ParameterizedTest
    @CsvSource({"1,1,2,2,2,2", "2,3,7,5,2,2", "1,3,7,7,3,2", "2,2,5,6,3,1", "1,1,1,1,1,1", "3,1,33,17,2,2", "1,2,4,4,4,4"})
    void tiesOddSizesAndOverlappingWindowsGiveTheCpusBits(int n, int c, int h, int w, int k, int s) {
        sameAsCpu(tied(n * 31L + h, false, n, c, h, w), k, s, false);
    }

    @Test
    void aStridedViewANaNAndTheReluFusionGiveTheCpusBitsToo() {
        sameAsCpu(tied(3, false, 2, 3, 6, 7).transpose(2, 3), 2, 2, false);
        sameAsCpu(tied(4, true, 1, 2, 6, 6), 2, 2, false);
        sameAsCpu(tied(5, false, 2, 3, 8, 6).sub(2), 2, 2, true);
    }

    @Test
    void aTieSendsTheWholeGradientToTheFirstMaximum() {
        Tensor x = Tensor.fromArray(new float[] {1, 1, 1, 1}, 1, 1, 2, 2).to(DEV).requiresGrad(true);
        x.maxPool2d(2).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0}, x.grad().toFloatArray(), "the composition would give 0.25 each");
        assertEquals("maxPool2d", x.maxPool2d(2).gradFn().name(), "one node");
    }

    @Test
    void aDeviceWithoutPoolingKernelsComposesAndSplitsATie() {
        TestDeviceProvider.poolingKernels = false;
        try {
            Tensor x = Tensor.fromArray(new float[] {1, 1, 1, 1, 2, 0, 3, 1}, 1, 2, 2, 2).to(DEV).requiresGrad(true);
            Tensor y = x.maxPool2d(2);
            y.sum().backward();
            assertArrayEquals(new float[] {1, 3}, y.toFloatArray());
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0, 0, 1, 0}, x.grad().toFloatArray());
        } finally {
            TestDeviceProvider.poolingKernels = true;
        }
    }
}
