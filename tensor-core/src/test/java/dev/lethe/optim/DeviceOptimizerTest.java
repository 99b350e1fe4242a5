package dev.lethe.optim;

import dev.lethe.backend.TestDeviceOptimizerKernels;
import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.lethe.backend.TestDeviceProvider.onDev0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Optimisers over parameters on a device: with the device's fused kernels (state kept on the
 * device) and without them (through the host), every step has the CPU's bits, masks included,
 * and the state dict moves state between host and device. The test device's kernels are the
 * CPU optimiser run on the device arrays, so equal bits here mean the optimiser handed the
 * device the right state, step count and mask.
 */
class DeviceOptimizerTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    @AfterEach
    void fusedBackOn() {
        TestDeviceOptimizerKernels.enabled = true;
    }

    private static Function<List<Tensor>, Optimizer> optimizer(String kind) {
        return switch (kind) {
            case "sgd" -> ps -> new SGD(ps, 0.1);
            case "sgd-momentum" -> ps -> new SGD(ps, 0.1, 0.9, 0.1, false, 1e-3);
            case "sgd-nesterov" -> ps -> new SGD(ps, 0.05, 0.9, 0, true, 1e-2);
            case "adam" -> ps -> new Adam(ps, 1e-2, 0.9, 0.999, 1e-8, 1e-2);
            case "adamw" -> ps -> new AdamW(ps, 1e-2, 0.8, 0.99, 1e-6, 0.1);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static List<Tensor> params(long seed) {
        return List.of(Tensor.randn(seed, 7, 5), Tensor.randn(seed + 1, 5), Tensor.randn(seed + 2, 3, 3, 2));
    }


    /** Sets the same seeded gradients on both lists (the second's on its device) and steps both optimisers. */
    private static void step(Optimizer a, List<Tensor> pa, Optimizer b, List<Tensor> pb, long seed) {
        for (int i = 0; i < pa.size(); i++) {
            Tensor g = Tensor.randn(seed * 10 + i, pa.get(i).shape());
            pa.get(i).setGrad(g);
            pb.get(i).setGrad(g.to(pb.get(i).device()));
        }
        a.step();
        b.step();
    }

    private static void sameBits(List<Tensor> expected, List<Tensor> actual, String what) {
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i).toFloatArray(), what + ", parameter " + i);
    }

    private static void sameState(Optimizer expected, Optimizer actual, String what) {
        Map<String, Tensor> e = expected.stateDict(), a = actual.stateDict();
        assertEquals(e.keySet(), a.keySet(), what);
        for (String k : e.keySet()) {
            assertEquals(Device.CPU, a.get(k).device(), k + ": state dicts live on the host");
            assertArrayEquals(e.get(k).toFloatArray(), a.get(k).toFloatArray(), what + ", " + k);
        }
    }

    @ParameterizedTest(name = "{0}, fused kernels {1}")
    @CsvSource({"sgd,true", "sgd-momentum,true", "sgd-nesterov,true", "adam,true", "adamw,true", "sgd-momentum,false", "adamw,false"})
    void stepsOnTheDeviceHaveTheCpuBitsMasksIncluded(String kind, boolean fused) {
        TestDeviceOptimizerKernels.enabled = fused;
        List<Tensor> cpu = params(1), dev = onDev0(cpu.stream().map(p -> p.mul(1)).toList());
        Optimizer oc = optimizer(kind).apply(cpu), od = optimizer(kind).apply(dev);
        Tensor mask = Tensor.rand(9, 7, 5).gt(0.5);
        oc.setMask(cpu.get(0), mask);
        od.setMask(dev.get(0), mask);
        int before = TestDeviceOptimizerKernels.CALLS.get();
        for (int s = 1; s <= 3; s++) {
            step(oc, cpu, od, dev, s);
            sameBits(cpu, dev, kind + " step " + s);
            for (Tensor p : dev) assertEquals(DEV, p.device(), "the parameters stay on the device");
        }
        assertEquals(fused ? 3 * cpu.size() : 0, TestDeviceOptimizerKernels.CALLS.get() - before, "fused steps run");
        sameState(oc, od, kind);
        float[] frozen = mask.toFloatArray(), start = params(1).get(0).toFloatArray(), now = dev.get(0).toFloatArray();
        for (int j = 0; j < frozen.length; j++) if (frozen[j] == 0) assertEquals(start[j], now[j], "masked entry " + j + " never moves");
    }

    /** A gradient that lives on the host (a zero gradient set on a device parameter, say) goes to the device first. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"sgd-momentum", "adamw"})
    void aHostGradientOnADeviceParameterIsMovedToItsDevice(String kind) {
        List<Tensor> cpu = params(7), dev = onDev0(cpu.stream().map(p -> p.mul(1)).toList());
        Optimizer oc = optimizer(kind).apply(cpu), od = optimizer(kind).apply(dev);
        for (int s = 1; s <= 2; s++) {
            for (int i = 0; i < cpu.size(); i++) {
                Tensor g = Tensor.randn(100L * s + i, cpu.get(i).shape());
                cpu.get(i).setGrad(g);
                dev.get(i).setGrad(g.mul(1)); // on the host
            }
            oc.step();
            od.step();
        }
        sameBits(cpu, dev, kind + " with host gradients");
        sameState(oc, od, kind);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sgd-momentum", "adam"})
    void stateDictCarriesDeviceStateToTheHostAndBack(String kind) {
        List<Tensor> cpu = params(4), dev = onDev0(cpu.stream().map(p -> p.mul(1)).toList());
        Optimizer oc = optimizer(kind).apply(cpu), od = optimizer(kind).apply(dev);
        for (int s = 1; s <= 2; s++) step(oc, cpu, od, dev, s);
        // A fresh optimiser over the device parameters, loaded from the device one's (host) state dict, and
        // the CPU one loaded the same way: both continue with the original's bits.
        Optimizer loaded = optimizer(kind).apply(dev);
        loaded.loadStateDict(od.stateDict());
        Optimizer cpuLoaded = optimizer(kind).apply(cpu);
        cpuLoaded.loadStateDict(od.stateDict());
        for (int s = 3; s <= 4; s++) step(cpuLoaded, cpu, loaded, dev, s);
        sameBits(cpu, dev, kind + " after the round trip");
        sameState(cpuLoaded, loaded, kind);
    }
}
