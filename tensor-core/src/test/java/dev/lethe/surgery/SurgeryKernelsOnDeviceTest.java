package dev.lethe.surgery;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.backend.TestDeviceSurgeryKernels;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;

import static dev.lethe.backend.TestDeviceProvider.onDev0;
import static dev.lethe.surgery.Lists.ODD_SHAPES;
import static dev.lethe.surgery.Lists.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient surgery and the Fisher diagonal on a device's own {@link
 * dev.lethe.backend.SurgeryKernels}: nothing is copied between host and device on the way
 * (only the three sums per tensor come back), the elementwise results have the CPU's bits, the
 * dots equal the CPU's within float64 rounding, and bad input gets the CPU path's errors.
 */
class SurgeryKernelsOnDeviceTest {
    private static final Device DEV = TestDeviceProvider.DEV0;

    /** Retain gradients against u: opposed (r ≈ −u, so they conflict) or aligned (r ≈ u). */
    private static List<Tensor> retain(List<Tensor> u, boolean opposed, long seed) {
        List<Tensor> noise = Lists.randn(seed, ODD_SHAPES), out = new ArrayList<>();
        for (int t = 0; t < u.size(); t++) out.add((opposed ? u.get(t).neg() : u.get(t)).add(noise.get(t).mul(0.7)));
        return out;
    }

    /** Within float64 rounding: the dot's error scales with ‖g_u‖·‖g_r‖, not with |g_u·g_r| (which may cancel to near 0). */
    private static void closeDots(GradientSurgery.Dots expected, GradientSurgery.Dots actual) {
        assertEquals(expected.dot(), actual.dot(), 1e-12 * Math.sqrt(expected.unlearnNormSq() * expected.retainNormSq()), "g_u·g_r");
        assertEquals(expected.unlearnNormSq(), actual.unlearnNormSq(), 1e-12 * expected.unlearnNormSq(), "‖g_u‖²");
        assertEquals(expected.retainNormSq(), actual.retainNormSq(), 1e-12 * expected.retainNormSq(), "‖g_r‖²");
    }

    /** Runs {@code onDevice}, failing if it copied anything between host and test device. */
    private static <T> T withoutHostCopies(java.util.function.Supplier<T> onDevice) {
        int copies = TestDeviceProvider.hostCopies(), calls = TestDeviceSurgeryKernels.CALLS.get();
        T result = onDevice.get();
        assertEquals(copies, TestDeviceProvider.hostCopies(), "host copies of device tensors");
        assertTrue(TestDeviceSurgeryKernels.CALLS.get() > calls, "the device's surgery kernels ran");
        return result;
    }

    private static void onDevice(List<Tensor> list) {
        for (Tensor t : list) assertEquals(DEV, t.device());
    }

    private static void sameError(Executable cpu, Executable device) {
        String expected = assertThrows(IllegalArgumentException.class, cpu).getMessage();
        assertEquals(expected, assertThrows(IllegalArgumentException.class, device).getMessage());
    }

    @Test
    void combineRunsOnTheDeviceWithTheCpusBits() {
        for (boolean opposed : new boolean[] {true, false}) {
            List<Tensor> u = Lists.randn(1, ODD_SHAPES), r = retain(u, opposed, 2);
            List<Tensor> oc = Lists.zerosLike(u), od = onDev0(Lists.zerosLike(u));
            List<Tensor> ud = onDev0(u), rd = onDev0(r);
            GradientSurgery.Dots a = GradientSurgery.combine(u, r, 1.5, oc);
            GradientSurgery.Dots b = withoutHostCopies(() -> GradientSurgery.combine(ud, rd, 1.5, od));
            assertEquals(opposed, b.conflicting(), "conflict");
            closeDots(a, b);
            assertEquals((float) a.unlearnCoefficient(1.5), (float) b.unlearnCoefficient(1.5), "a as float32");
            assertEquals((float) a.retainCoefficient(1.5), (float) b.retainCoefficient(1.5), "b as float32");
            onDevice(od);
            assertSameBits("d = a·g_u + b·g_r, opposed " + opposed, oc, od);
            closeDots(a, withoutHostCopies(() -> GradientSurgery.dots(ud, rd)));
        }
    }

    @Test
    void perTensorCombineInPlaceRunsOnTheDevice() {
        List<Tensor> u = Lists.randn(3, ODD_SHAPES), r = retain(u, true, 4);
        List<Tensor> uc = Lists.copies(u), ud = onDev0(u), rd = onDev0(r);
        List<GradientSurgery.Dots> a = GradientSurgery.combinePerTensor(uc, r, 0.5, uc);
        List<GradientSurgery.Dots> b = withoutHostCopies(() -> GradientSurgery.combinePerTensor(ud, rd, 0.5, ud));
        for (int t = 0; t < a.size(); t++) closeDots(a.get(t), b.get(t));
        assertSameBits("g_u overwritten by its per-tensor direction", uc, ud);
    }

    @Test
    void stridedInputsAreReadOnTheDevice() {
        List<Tensor> u = List.of(Tensor.randn(5, 7, 3).transpose(0, 1)), r = List.of(Tensor.randn(6, 3, 7));
        List<Tensor> oc = List.of(Tensor.zeros(3, 7)), od = onDev0(oc);
        List<Tensor> ud = List.of(Tensor.randn(5, 7, 3).to(DEV).transpose(0, 1)), rd = onDev0(r);
        GradientSurgery.combine(u, r, 1.5, oc);
        GradientSurgery.combine(ud, rd, 1.5, od);
        assertSameBits("d from a transposed g_u", oc, od);
    }

    @Test
    void badInputGetsTheCpusErrorsAndWritesNothing() {
        List<Tensor> u = Lists.randn(7, ODD_SHAPES), r = retain(u, true, 8);
        float[] bad = r.get(4).toFloatArray();
        bad[5] = Float.NaN;
        List<Tensor> rNaN = new ArrayList<>(r);
        rNaN.set(4, Tensor.fromArray(bad, r.get(4).shape()));
        List<Tensor> od = onDev0(Lists.zerosLike(u));
        sameError(() -> GradientSurgery.combine(u, rNaN, 1.5, Lists.zerosLike(u)), () -> GradientSurgery.combine(onDev0(u), onDev0(rNaN), 1.5, od));
        assertSameBits("out after a refused NaN", Lists.zerosLike(u), od);
        sameError(() -> GradientSurgery.combinePerTensor(rNaN, u, 1.5, Lists.zerosLike(u)),
                () -> GradientSurgery.combinePerTensor(onDev0(rNaN), onDev0(u), 1.5, od));

        List<Tensor> shorter = u.subList(0, 3);
        sameError(() -> GradientSurgery.dots(u, shorter), () -> GradientSurgery.dots(onDev0(u), onDev0(shorter)));
        List<Tensor> reshaped = new ArrayList<>(u);
        reshaped.set(0, u.get(0).reshape(11, 7));
        sameError(() -> GradientSurgery.combine(u, r, 1.5, reshaped), () -> GradientSurgery.combine(onDev0(u), onDev0(r), 1.5, onDev0(reshaped)));
        List<Tensor> strided = new ArrayList<>(Lists.zerosLike(u)), stridedDev = new ArrayList<>(od);
        strided.set(6, Tensor.zeros(5, 33).transpose(0, 1));
        stridedDev.set(6, Tensor.zeros(DType.FLOAT32, DEV, 5, 33).transpose(0, 1));
        sameError(() -> GradientSurgery.combine(u, r, 1.5, strided), () -> GradientSurgery.combine(onDev0(u), onDev0(r), 1.5, stridedDev));
    }

    /** Refuses out = [g_u tensor 1, g_u tensor 0] with {@code expected}, leaving g_u as it was. */
    private static void refusesSwappedOutputs(List<Tensor> u, List<Tensor> r, String expected) {
        List<Tensor> before = Lists.copies(u);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientSurgery.combine(u, r, 1.5, List.of(u.get(1), u.get(0))));
        assertEquals(expected, e.getMessage());
        assertSameBits("g_u after the refusal", before, u);
    }

    @Test
    void outputsThatWouldOverwriteAnotherTensorsInputAreRefusedOnEveryPath() {
        List<Tensor> u = List.of(Tensor.randn(20, 4, 3), Tensor.randn(21, 4, 3)), r = List.of(Tensor.randn(22, 4, 3), Tensor.randn(23, 4, 3));
        String crossed = "gradient surgery: out tensor 0 shares elements with g_u tensor 1; out tensor t may be g_u or g_r tensor t itself, "
                + "or share nothing with the inputs";
        String twice = "gradient surgery: out tensors 0 and 1 share elements in one device storage; list each tensor once to write it in place";
        Tensor one = Tensor.zeros(DType.FLOAT32, DEV, 2, 4, 3).narrow(0, 1, 1).reshape(4, 3);
        for (boolean kernels : new boolean[] {true, false}) {
            TestDeviceSurgeryKernels.enabled = kernels;
            try {
                refusesSwappedOutputs(u, r, crossed);
                refusesSwappedOutputs(onDev0(u), onDev0(r), crossed);
                for (Device d : new Device[] {Device.CPU, DEV}) {
                    Tensor row = Tensor.randn(28, 13).to(d); // out shifted one element against g_u: partly the same elements
                    List<Tensor> shifted = List.of(row.narrow(0, 0, 12).reshape(4, 3), Tensor.randn(29, 4, 3).to(d));
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientSurgery.combine(shifted, List.of(r.get(0).to(d),
                            r.get(1).to(d)), 1.5, List.of(row.narrow(0, 1, 12).reshape(4, 3), Tensor.zeros(DType.FLOAT32, d, 4, 3))));
                    assertEquals(crossed.replace("g_u tensor 1", "g_u tensor 0"), e.getMessage(), d + ", device kernels " + kernels);
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GradientSurgery.combine(onDev0(u), onDev0(r), 1.5, List.of(one, one)));
                assertEquals(twice, e.getMessage(), "device kernels " + kernels);
            } finally {
                TestDeviceSurgeryKernels.enabled = true;
            }
        }
    }

    @Test
    void theOutputChecksComeInTheCpusOrder() {
        List<Tensor> u = Lists.randn(24, ODD_SHAPES), r = retain(u, true, 25);
        List<Tensor> shortAndStrided = List.of(Tensor.zeros(11, 7).transpose(0, 1));
        List<Tensor> shortAndStridedDev = List.of(Tensor.zeros(DType.FLOAT32, DEV, 11, 7).transpose(0, 1));
        sameError(() -> GradientSurgery.combine(u, r, 1.5, shortAndStrided), () -> GradientSurgery.combine(onDev0(u), onDev0(r), 1.5, shortAndStridedDev));
    }

    @Test
    void aDeviceSumTakesHostGradientsThroughTheHost() {
        List<Tensor> like = Lists.randn(26, ODD_SHAPES), g = Lists.randn(27, ODD_SHAPES);
        FisherDiagonal cpu = new FisherDiagonal(like), dev = new FisherDiagonal(onDev0(like));
        cpu.accumulate(g);
        dev.accumulate(g); // host gradients: the CPU pass, on a staged copy of the device sum
        List<Tensor> gd = new ArrayList<>(onDev0(g));
        gd.set(2, g.get(2)); // one host tensor among device ones: the same
        cpu.accumulate(g);
        dev.accumulate(gd);
        assertSameBits("importance from host and mixed gradients", cpu.importance(), dev.importance());
    }

    @Test
    void fisherSumsOnTheDeviceWithTheCpusBits() {
        for (FisherDiagonal.Mode mode : FisherDiagonal.Mode.values()) {
            List<Tensor> like = Lists.randn(9, ODD_SHAPES);
            FisherDiagonal cpu = new FisherDiagonal(like, mode), dev = new FisherDiagonal(onDev0(like), mode);
            for (long b = 0; b < 3; b++) {
                List<Tensor> g = Lists.randn(10 + b, ODD_SHAPES), gd = onDev0(g);
                cpu.accumulate(g);
                withoutHostCopies(() -> {
                    dev.accumulate(gd);
                    return null;
                });
            }
            List<Tensor> ic = cpu.importance(), id = dev.importance();
            onDevice(id);
            assertSameBits("Fisher importance, " + mode, ic, id);
        }
    }

    @Test
    void aNaNGradientPoisonsTheDeviceSumAsTheCpus() {
        List<Tensor> like = Lists.randn(11, ODD_SHAPES), g = Lists.randn(12, ODD_SHAPES);
        float[] bad = g.get(6).toFloatArray();
        bad[40] = Float.NaN;
        g.set(6, Tensor.fromArray(bad, g.get(6).shape()));
        FisherDiagonal cpu = new FisherDiagonal(like), dev = new FisherDiagonal(onDev0(like));
        cpu.accumulate(like);
        dev.accumulate(onDev0(like));
        sameError(() -> cpu.accumulate(g), () -> dev.accumulate(onDev0(g)));
        IllegalStateException e = assertThrows(IllegalStateException.class, dev::importance);
        assertEquals(assertThrows(IllegalStateException.class, cpu::importance).getMessage(), e.getMessage());
        assertEquals(1, dev.batches());
    }

    @Test
    void theDeviceSumOutlivesTheScopeItWasMadeIn() {
        List<Tensor> like = onDev0(Lists.randn(13, ODD_SHAPES));
        FisherDiagonal fisher;
        try (MemoryScope ignored = MemoryScope.open()) {
            fisher = new FisherDiagonal(like);
            fisher.accumulate(like);
        }
        fisher.accumulate(like);
        List<Tensor> twice = new ArrayList<>();
        for (Tensor t : Lists.randn(13, ODD_SHAPES)) twice.add(t.mul(t));
        assertSameBits("mean of two equal batches of g²", twice, fisher.importance());
    }
}
