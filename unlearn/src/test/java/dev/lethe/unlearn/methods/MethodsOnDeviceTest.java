package dev.lethe.unlearn.methods;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.backend.TestDeviceSurgeryKernels;
import dev.lethe.nn.Module;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.UnlearnContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method on a device (tensor-core's test device: the CPU's kernels on its own arrays)
 * ends with the CPU's weights, with every training step's memory released as the step ends
 * ({@link TrainingLoop}). The test device poisons released memory and refuses to use it, so a
 * method that kept a step's device tensor for a later step would fail here. Gradient surgery
 * and SSD's Fisher diagonals run on the device's own surgery kernels.
 */
class MethodsOnDeviceTest {
    private static final Device DEV = TestDeviceProvider.DEV0;
    /** The methods whose loss differentiates a softmax of the model's outputs (KL to a teacher). */
    private static final Set<String> DISTILLING = Set.of("badteacher", "scrub");

    static List<String> methods() {
        return Methods.NAMES;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void onTheTestDeviceAsOnTheCpu(String name) {
        UnlearnContext cpu = Fixture.quick();
        UnlearnContext dev = cpu.withOriginal(cpu.copyOfOriginal().to(DEV));
        Module onCpu = Methods.create(name).unlearn(cpu).model();
        int released = TestDeviceProvider.releases(), surgeryCalls = TestDeviceSurgeryKernels.CALLS.get();
        Module onDev = Methods.create(name).unlearn(dev).model();
        boolean iterative = !name.equals("ssd");
        if (iterative) assertTrue(TestDeviceProvider.releases() > released, name + ": the steps released their memory");
        if (name.equals("surgery") || name.equals("ssd")) {
            assertTrue(TestDeviceSurgeryKernels.CALLS.get() > surgeryCalls, name + ": gradient surgery or the Fisher diagonal ran on the device's kernels");
        }
        for (Tensor p : onDev.parameters()) assertEquals(DEV, p.device(), name + ": the result lives on the device");
        Map<String, Tensor> a = onCpu.stateDict(), b = onDev.stateDict();
        assertEquals(a.keySet(), b.keySet());
        // Bit for bit, except where a method differentiates a softmax (the distillation losses):
        // the device's fused softmax node composes its backward from y, the CPU's composition
        // from e^(x − m) and the row sum, which round differently.
        float tolerance = DISTILLING.contains(name) ? 1e-4f : 0f;
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), tolerance, name + " " + k);
    }
}
