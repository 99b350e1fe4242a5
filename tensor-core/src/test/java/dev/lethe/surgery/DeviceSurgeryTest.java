package dev.lethe.surgery;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.backend.TestDeviceSurgeryKernels;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lethe.backend.TestDeviceProvider.onDev0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The surgery kernels on tensors that live on a device without kernels of its own for them:
 * inputs are read through host copies and outputs written in place come back to the device,
 * with the CPU's bits. (The kernels run on the CPU; only where the tensors live differs.) The
 * device's own kernels are {@link SurgeryKernelsOnDeviceTest}'s.
 */
class DeviceSurgeryTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    @BeforeEach
    void withoutTheDevicesSurgeryKernels() {
        TestDeviceSurgeryKernels.enabled = false;
    }

    @AfterEach
    void restore() {
        TestDeviceSurgeryKernels.enabled = true;
    }

    private static List<Tensor> tensors(long seed) {
        return List.of(Tensor.randn(seed, 9, 4), Tensor.randn(seed + 1, 7), Tensor.randn(seed + 2, 2, 3, 5));
    }


    private static void sameOnDevice(List<Tensor> cpu, List<Tensor> dev, String what) {
        for (int i = 0; i < cpu.size(); i++) {
            assertEquals(DEV, dev.get(i).device(), what + " tensor " + i + " stays on the device");
            assertArrayEquals(cpu.get(i).toFloatArray(), dev.get(i).toFloatArray(), what + " tensor " + i);
        }
    }

    @Test
    void dampeningWritesDeviceParametersBack() {
        List<Tensor> pc = tensors(1), pd = onDev0(tensors(1));
        List<Tensor> ff = tensors(2).stream().map(Tensor::abs).toList(), fd = tensors(3).stream().map(t -> t.abs().mul(0.5)).toList();
        long a = SelectiveSynapticDampening.dampen(pc, ff, fd, 1, 1);
        long b = SelectiveSynapticDampening.dampen(pd, onDev0(ff), onDev0(fd), 1, 1);
        assertEquals(a, b);
        sameOnDevice(pc, pd, "θ after SSD");
    }

    @Test
    void surgeryCombinesDeviceGradientsIntoDeviceOutputs() {
        List<Tensor> oc = tensors(4), od = onDev0(tensors(4));
        GradientSurgery.Dots a = GradientSurgery.combine(tensors(5), tensors(6), 0.5, oc);
        GradientSurgery.Dots b = GradientSurgery.combine(onDev0(tensors(5)), onDev0(tensors(6)), 0.5, od);
        assertEquals(a, b);
        sameOnDevice(oc, od, "combined direction");
        GradientSurgery.combinePerTensor(tensors(7), tensors(8), 1, oc);
        GradientSurgery.combinePerTensor(onDev0(tensors(7)), onDev0(tensors(8)), 1, od);
        sameOnDevice(oc, od, "per-tensor direction");
    }

    @Test
    void aDeviceTensorListedTwiceAsAnOutputIsRefused() {
        List<Tensor> gd = onDev0(tensors(11));
        Tensor m = Tensor.zeros(DType.FLOAT32, DEV, 9, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopK.maskInto(List.of(gd.get(0), gd.get(0)), 3, TopK.Rank.MAGNITUDE, List.of(m, m)));
        assertTrue(e.getMessage().contains("masks tensors 0 and 1 share elements in one device storage"), e.getMessage());
    }

    @Test
    void pruningAModelOnTheDevicePrunesItThere() {
        Module cpu = Models.mlp(3), dev = Models.mlp(3).to(DEV);
        ParameterMasks mc = MagnitudePruning.prune(cpu, 0.6, Scope.GLOBAL), md = MagnitudePruning.prune(dev, 0.6, Scope.GLOBAL);
        assertEquals(mc.kept(), md.kept());
        sameOnDevice(cpu.parameters(), dev.parameters(), "pruned weights");
        mc.applyTo(cpu);
        md.applyTo(dev);
        sameOnDevice(cpu.parameters(), dev.parameters(), "weights with the masks applied");
    }

    @Test
    void masksAndImportancesFromDeviceGradientsEqualTheCpus() {
        List<Tensor> gc = tensors(9), gd = onDev0(tensors(9));
        List<Tensor> mc = SaliencyMask.fromGradients(gc, 0.3, Scope.GLOBAL), md = SaliencyMask.fromGradients(gd, 0.3, Scope.GLOBAL);
        for (int i = 0; i < mc.size(); i++) assertArrayEquals(mc.get(i).toFloatArray(), md.get(i).toFloatArray(), "saliency mask " + i);
        List<Tensor> into = onDev0(tensors(10));
        TopK.maskInto(gd, 20, TopK.Rank.MAGNITUDE, into);
        List<Tensor> expect = tensors(10);
        TopK.maskInto(gc, 20, TopK.Rank.MAGNITUDE, expect);
        sameOnDevice(expect, into, "top-k masks written into device tensors");
        FisherDiagonal fc = new FisherDiagonal(gc), fd = new FisherDiagonal(gd);
        fc.accumulate(gc);
        fd.accumulate(gd);
        List<Tensor> ic = fc.importance(), id = fd.importance();
        for (int i = 0; i < ic.size(); i++) assertArrayEquals(ic.get(i).toFloatArray(), id.get(i).toFloatArray(), "importance " + i);
    }
}
