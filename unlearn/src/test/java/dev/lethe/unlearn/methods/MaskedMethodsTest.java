package dev.lethe.unlearn.methods;

import dev.lethe.data.Dataset;
import dev.lethe.nn.Module;
import dev.lethe.surgery.GradientSurgery;
import dev.lethe.surgery.ParameterMasks;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The methods built on the engine's unlearning kernels: SalUn and WAGLE move only their masked
 * weights, SSD only dampens what it selects, gradient surgery never steps against D_r.
 */
class MaskedMethodsTest {
    private static final UnlearnContext CTX = Fixture.ctx();

    /** Every entry outside the mask keeps θ0's bits; returns how many entries inside it moved. */
    private static long assertFrozenOutsideMask(Module unlearned, ParameterMasks mask, String what) {
        Map<String, Tensor> after = unlearned.namedParameters(), before = CTX.original().namedParameters();
        long moved = 0;
        for (String name : mask.names()) {
            int[] a = Weights.bits(after.get(name)), b = Weights.bits(before.get(name));
            float[] m = mask.get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                if (m[i] == 0 && a[i] != b[i]) fail(what + ": " + name + "[" + i + "] is outside the mask but moved");
                else if (a[i] != b[i]) moved++;
            }
        }
        return moved;
    }

    @Test
    void salunMovesOnlyItsMaskedHalfAndLeavesTheRestExactlyAtTheOriginal() {
        SalUn salun = new SalUn();
        Unlearned u = salun.unlearn(CTX);
        ParameterMasks mask = salun.saliency(Fixture.ctx().copyOfOriginal(), CTX);
        assertEquals(CTX.original().numParameters() / 2, mask.kept(), "global top 50 % of every parameter entry");
        assertEquals(Long.toString(mask.kept()), u.notes().get("maskKept"));
        assertTrue(assertFrozenOutsideMask(u.model(), mask, "salun") > mask.kept() / 2, "most masked weights moved");
        assertTrue(Fixture.loss(u.model(), CTX.split().forget()) > 2 * Fixture.loss(CTX.original(), CTX.split().forget()), "forget loss raised");
    }

    @Test
    void salunWithTheWholeMaskIsRandomLabelling() {
        SgdSettings s = SgdSettings.of(2, 0.01);
        Weights.assertBitwiseEqual(new RandomLabel(s).unlearn(CTX).model(), new SalUn(s, 1).unlearn(CTX).model(), "SalUn(r = 1) = RL");
    }

    @Test
    void wagleMovesOnlyItsMaskedWeightsAndIsGradDiffWithTheWholeMask() {
        GradDiff base = new GradDiff(SgdSettings.of(5, 1e-2), 1);
        WagleGradDiff wagle = new WagleGradDiff(base, 1e-3, 0.5, 128);
        Unlearned u = wagle.unlearn(CTX);
        ParameterMasks mask = wagle.mask(CTX.copyOfOriginal(), CTX);
        assertEquals(CTX.original().numParameters() / 2, mask.kept());
        assertTrue(assertFrozenOutsideMask(u.model(), mask, "wagle") > 0);
        Weights.assertBitwiseEqual(base.unlearn(CTX).model(), new WagleGradDiff(base, 1e-3, 1, 128).unlearn(CTX).model(), "WAGLE(1) = GradDiff");
    }

    @Test
    void ssdOnlyShrinksTheWeightsItSelects() {
        Ssd ssd = new Ssd();
        Unlearned u = ssd.unlearn(CTX);
        long dampened = Long.parseLong(u.notes().get("dampened"));
        assertTrue(dampened > 0, "something selected");
        Module start = CTX.copyOfOriginal();
        List<Tensor> full = ssd.fisher(start, CTX.split().train()), forget = ssd.fisher(start, CTX.split().forget());
        List<Tensor> before = start.parameters(), after = u.model().parameters();
        long changed = 0;
        for (int t = 0; t < before.size(); t++) {
            float[] b = before.get(t).toFloatArray(), a = after.get(t).toFloatArray(), d = full.get(t).toFloatArray(), f = forget.get(t).toFloatArray();
            for (int i = 0; i < b.length; i++) {
                if (a[i] == b[i]) continue;
                changed++;
                if (!(f[i] > 10 * d[i])) fail("tensor " + t + " element " + i + " changed but was not selected");
                if (!(Math.abs(a[i]) < Math.abs(b[i]) && Math.signum(a[i]) == Math.signum(b[i]))) fail("tensor " + t + " element " + i + " grew or flipped");
            }
        }
        assertTrue(changed > 0 && changed <= dampened, changed + " changed, " + dampened + " selected");
    }

    @Test
    void ssdForgetsAClassWhoseImportanceStandsOut() {
        Dataset train = CTX.split().train();
        int[] forgetIdx = train.classIndices(1);
        int[] retainIdx = java.util.stream.IntStream.range(0, train.size()).filter(i -> train.label(i) != 1).toArray();
        ForgetSplit classWise = new ForgetSplit("class:1", train, forgetIdx, train.subset(forgetIdx), train.subset(retainIdx),
                CTX.split().test().withoutClass(1), 1);
        UnlearnContext ctx = CTX.withSplit(classWise);
        Module model = new Ssd().unlearn(ctx).model();
        assertTrue(Fixture.loss(model, classWise.forget()) > 2 * Fixture.loss(ctx.original(), classWise.forget()));
    }

    @Test
    void surgerysStepNeverOpposesTheRetainGradientWhenTheyConflict() {
        Module model = CTX.copyOfOriginal();
        var forget = Batches.shuffled(CTX.split().forget(), 16, 1, Device.CPU);
        var retain = new Batches.RetainCycle(Batches.shuffled(CTX.split().retain(), 16, 2, Device.CPU));
        int conflicts = 0, agreements = 0;
        for (Batches.Paired p : Batches.paired(forget, retain, 0)) {
            List<Tensor> gu = gradient(model, p.forget(), true), gr = gradient(model, p.retain(), false);
            GradientSurgery.Dots dots = GradientSurgeryUnlearning.direction(model, p, 1.5);
            List<Tensor> d = new ArrayList<>();
            for (Tensor w : model.parameters()) d.add(w.grad().clone());
            double dr = dot(d, gr), du = dot(d, gu), scale = Math.sqrt(dot(d, d) * (dot(gr, gr) + dot(gu, gu)));
            if (dot(gu, gr) < 0) {
                conflicts++;
                assertTrue(dots.conflicting());
                assertTrue(dr >= -1e-5 * scale, "d·g_r = " + dr);
                assertTrue(du >= -1e-5 * scale, "d·g_u = " + du);
            } else {
                agreements++;
                for (int t = 0; t < d.size(); t++) {
                    float[] dv = d.get(t).toFloatArray(), u = gu.get(t).toFloatArray(), r = gr.get(t).toFloatArray();
                    for (int i = 0; i < dv.length; i++) if (Math.abs(u[i] + 1.5f * r[i] - dv[i]) > 1e-6 + 1e-5 * Math.abs(dv[i])) fail("d ≠ g_u + α·g_r at " + t + "/" + i);
                }
            }
        }
        assertTrue(conflicts > 0, "the fixture has conflicting batch pairs (" + agreements + " agreed)");
    }

    @Test
    void surgeryRaisesTheForgetLoss() {
        Module model = new GradientSurgeryUnlearning(new SgdSettings(5, 0.1, 0, 0, 128), 1.5).unlearn(CTX).model();
        assertTrue(Fixture.loss(model, CTX.split().forget()) > 2 * Fixture.loss(CTX.original(), CTX.split().forget()));
    }

    /** ∇ of CE (or −CE) of one batch, flattened per parameter, training mode as the method steps. */
    private static List<Tensor> gradient(Module model, dev.lethe.data.DataLoader.Batch b, boolean ascent) {
        model.train();
        model.zeroGrad();
        (ascent ? BatchLoss.NEGATIVE_CROSS_ENTROPY : BatchLoss.CROSS_ENTROPY).loss(model, b).backward();
        List<Tensor> g = new ArrayList<>(Gradients.current(model).values());
        model.zeroGrad();
        return g;
    }

    private static double dot(List<Tensor> a, List<Tensor> b) {
        double s = 0;
        for (int t = 0; t < a.size(); t++) {
            float[] x = a.get(t).toFloatArray(), y = b.get(t).toFloatArray();
            for (int i = 0; i < x.length; i++) s += (double) x[i] * y[i];
        }
        return s;
    }
}
