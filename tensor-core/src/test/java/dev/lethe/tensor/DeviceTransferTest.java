package dev.lethe.tensor;

import dev.lethe.autograd.NoGrad;
import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensors on a device, with the test device of {@link TestDeviceProvider}: its memory is an
 * array only its backend touches and its kernels are the CPU's, so every result must equal the
 * CPU's — a difference would be a bug in the device plumbing (transfers, dispatch, ops that
 * allocate, autograd seeds, optimiser updates), not in arithmetic.
 */
class DeviceTransferTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    @Test
    void roundTripKeepsValuesShapeAndViews() {
        Tensor x = Tensor.randn(1, 3, 5);
        Tensor d = x.to(DEV);
        assertEquals(DEV, d.device());
        assertArrayEquals(new int[] {3, 5}, d.shape());
        assertArrayEquals(x.toFloatArray(), d.toFloatArray());
        assertArrayEquals(x.t().toFloatArray(), d.t().toFloatArray(), "a strided view on the device comes back in row-major order");
        assertArrayEquals(x.narrow(1, 1, 3).toFloatArray(), d.narrow(1, 1, 3).to(Device.CPU).toFloatArray());
        assertEquals(x.get(2, 4), d.get(2, 4));
        assertEquals(x.sum().item(), d.sum().item());
        assertEquals(Device.CPU, d.to(Device.CPU).device());
        assertTrue(d.to(DEV) == d);
    }

    @Test
    void aContiguousViewPastItsStoragesStartUploadsItsOwnElements() {
        Tensor x = Tensor.randn(2, 4, 5);
        Tensor rows = x.narrow(0, 1, 2);
        assertTrue(rows.isContiguous() && rows.offset() == 5, "the case under test: contiguous, offset 5");
        assertArrayEquals(rows.toFloatArray(), rows.to(DEV).toFloatArray());
        Tensor one = x.narrow(0, 3, 1).narrow(1, 2, 3);
        assertArrayEquals(one.toFloatArray(), one.to(DEV).toFloatArray());
    }

    @Test
    void deviceStorageRefusesArrayAccessWithAClearMessage() {
        Tensor d = Tensor.ones(4).to(DEV);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.storage().floats());
        assertEquals("storage lives on testdev:0, not in a Java array: copy the tensor with to(Device.cpu()) first", e.getMessage());
    }

    @Test
    void onlyFloat32GoesToADevice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(DType.FLOAT64, 2, 2).to(DEV));
        assertTrue(e.getMessage().startsWith("to(testdev:0): only float32 tensors live on a device; this one is float64 of shape [2, 2]"), e.getMessage());
    }

    @Test
    void factoriesAndInPlaceWritesWorkOnTheDevice() {
        Tensor z = Tensor.full(2.5, DType.FLOAT32, DEV, 2, 3);
        assertEquals(DEV, z.device());
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, z.toFloatArray());
        z.narrow(1, 1, 1).copy_(Tensor.scalar(-1)); // host source into a device view
        assertArrayEquals(new float[] {2.5f, -1f, 2.5f, 2.5f, -1f, 2.5f}, z.toFloatArray());
        Tensor host = Tensor.zeros(2, 3);
        host.copy_(z); // device source into host memory
        assertArrayEquals(z.toFloatArray(), host.toFloatArray());
        z.set(7, 0, 0);
        assertEquals(7.0, z.get(0, 0));
    }

    @Test
    void hostOperandsJoinDeviceOperandsInEitherOrder() {
        Tensor d = Tensor.arange(4).to(DEV);
        Tensor two = Tensor.scalar(2);
        assertEquals(DEV, two.mul(d).device());
        assertEquals(DEV, d.mul(two).device());
        assertArrayEquals(new float[] {0, 2, 4, 6}, two.mul(d).toFloatArray());
        assertEquals(DEV, Tensor.ones(1, 4).matmul(d.reshape(4, 1)).device());
        assertEquals(DEV, Tensor.where(Tensor.ones(4), Tensor.zeros(4), d).device());
    }

    @Test
    void gradientsCrossTheTransferBackToTheHost() {
        Tensor x = Tensor.randn(3, 4, 3).requiresGrad(true);
        Tensor y = x.to(DEV);
        Tensor loss = y.mul(y).sum();
        assertEquals(DEV, loss.device());
        loss.backward();
        assertEquals(Device.CPU, x.grad().device());
        assertArrayEquals(x.mul(2).toFloatArray(), x.grad().toFloatArray());
    }

    @Test
    void opsThatAllocateKeepGradientsOnTheDevice() {
        Tensor w = Tensor.randn(4, 5, 6).to(DEV).detach().requiresGrad(true);
        Tensor parts = Tensor.concat(1, w.narrow(1, 0, 2), w.narrow(1, 3, 3).relu()).logSoftmax(1);
        parts.crossEntropy(0, 1, 2, 3, 4).backward();
        assertEquals(DEV, w.grad().device());
        Tensor wc = w.detach().to(Device.CPU).requiresGrad(true);
        Tensor pc = Tensor.concat(1, wc.narrow(1, 0, 2), wc.narrow(1, 3, 3).relu()).logSoftmax(1);
        pc.crossEntropy(0, 1, 2, 3, 4).backward();
        assertClose(wc.grad().toFloatArray(), w.grad().toFloatArray(), 1e-6f);
    }

    /** One SGD step of a model on the device equals the same step on the CPU. */
    private static void sameStepOnBoth(Module cpu, Module dev, Tensor input, int[] labels, float tol) {
        assertNotSame(cpu, dev);
        dev.to(DEV);
        for (Tensor p : dev.parameters()) assertEquals(DEV, p.device());
        assertEquals(DEV, dev.device());
        SGD oc = new SGD(cpu.parameters(), 0.1, 0.9, 0, false, 1e-4), od = new SGD(dev.parameters(), 0.1, 0.9, 0, false, 1e-4);
        for (int step = 0; step < 2; step++) {
            Tensor lc = cpu.forward(input).crossEntropy(labels);
            Tensor ld = dev.forward(input.to(DEV)).crossEntropy(labels);
            assertEquals(lc.item(), ld.item(), tol, "loss at step " + step);
            oc.zeroGrad();
            od.zeroGrad();
            lc.backward();
            ld.backward();
            List<Tensor> pc = cpu.parameters(), pd = dev.parameters();
            for (int i = 0; i < pc.size(); i++) {
                assertEquals(DEV, pd.get(i).grad().device());
                assertClose(pc.get(i).grad().toFloatArray(), pd.get(i).grad().toFloatArray(), tol);
            }
            oc.step();
            od.step();
            for (int i = 0; i < pc.size(); i++) {
                assertEquals(DEV, pd.get(i).device(), "the optimiser keeps parameters on the device");
                assertClose(pc.get(i).toFloatArray(), pd.get(i).toFloatArray(), tol);
            }
        }
        try (NoGrad g = NoGrad.enter()) {
            assertClose(cpu.forward(input).toFloatArray(), dev.forward(input.to(DEV)).toFloatArray(), tol);
        }
    }

    @Test
    void mlpTrainsOnTheDeviceAsOnTheCpu() {
        // The device runs its fused cross-entropy and optimiser steps (the test device's are the CPU's on its arrays).
        sameStepOnBoth(Models.mlp(3), Models.mlp(3), Tensor.rand(5, 7, 784), new int[] {0, 1, 2, 3, 4, 5, 9}, 1e-5f);
    }

    @Test
    void cnnTrainsOnTheDeviceAsOnTheCpu() {
        // maxPool2d runs the test device's PoolingKernels (the CPU's kernels on its arrays).
        sameStepOnBoth(Models.cnn(4), Models.cnn(4), Tensor.rand(6, 3, 1, 28, 28), new int[] {7, 0, 3}, 1e-5f);
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float scale = Math.max(1f, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol * scale, "element " + i);
        }
    }
}
