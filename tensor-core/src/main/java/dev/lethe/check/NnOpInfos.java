package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.AvgPool2d;
import dev.lethe.ops.BatchNormalization;
import dev.lethe.ops.Conv2d;
import dev.lethe.ops.ConvReluMaxPool2d;
import dev.lethe.ops.CrossEntropy;
import dev.lethe.ops.Dropout;
import dev.lethe.ops.L1Loss;
import dev.lethe.ops.LayerNorm;
import dev.lethe.ops.LogSoftmax;
import dev.lethe.ops.Matmul;
import dev.lethe.ops.MaxPool2d;
import dev.lethe.ops.MseLoss;
import dev.lethe.ops.NllLoss;
import dev.lethe.ops.Reduction;
import dev.lethe.ops.Softmax;
import dev.lethe.ops.Unfold;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static dev.lethe.check.IndexingOpInfos.indices;
import static dev.lethe.check.IndexingOpInfos.withIndex;
import static dev.lethe.check.Samples.randn;

/** Op-table entries for linear algebra and the neural-network ops. */
final class NnOpInfos {
    private NnOpInfos() {}

    static List<OpInfo> all() {
        return List.of(
                new OpInfo("matmul", Matmul.class, "c_ij = Σ_p a_ip·b_pj (batched, broadcast)", "∂A = g·Bᵀ, ∂B = Aᵀ·g",
                        List.of(Sample.of("[1, 1]·[1, 1]", t -> t[0].matmul(t[1]), randn(1, 1, 1), randn(2, 1, 1)),
                                Sample.of("[3, 7]·[7, 17]", t -> t[0].matmul(t[1]), randn(3, 3, 7), randn(4, 7, 17)),
                                Sample.of("[15, 33]ᵀ·[15, 3] (transposed A)", t -> t[0].t().matmul(t[1]), randn(5, 15, 33), randn(6, 15, 3)),
                                Sample.of("[5, 7]·[3, 7]ᵀ (transposed B)", t -> t[0].matmul(t[1].t()), randn(7, 5, 7), randn(8, 3, 7)),
                                Sample.of("[2, 3, 5]·[5, 4] (batch broadcast)", t -> t[0].matmul(t[1]), randn(9, 2, 3, 5), randn(10, 5, 4)),
                                Sample.of("[2, 1, 3, 4]·[3, 4, 2]", t -> t[0].matmul(t[1]), randn(11, 2, 1, 3, 4), randn(12, 3, 4, 2)),
                                Sample.of("[7]·[7, 3] (vector)", t -> t[0].matmul(t[1]), randn(13, 7), randn(14, 7, 3)),
                                Sample.of("[3, 7]·[7] (vector)", t -> t[0].matmul(t[1]), randn(15, 3, 7), randn(16, 7))),
                        List.of(new ErrorSample("matmul [32, 784]·[128, 10]", () -> Tensor.zeros(32, 784).matmul(Tensor.zeros(128, 10)),
                                "matmul", "[32, 784]", "[128, 10]"))),
                new OpInfo("softmax", Softmax.class, "yᵢ = e^(xᵢ) / Σ_dim e^(xⱼ) (= exp(logSoftmax))", "∂x = y ⊙ (g − Σ_dim g ⊙ y)",
                        softmaxSamples((x, d) -> x.softmax(d)), softmaxErrors("softmax", (x, d) -> x.softmax(d))),
                new OpInfo("logSoftmax", LogSoftmax.class, "y = x − m − ln Σ_dim e^(x − m), m = max_dim x (detached)",
                        "∂x = g − softmax(x) ⊙ Σ_dim g",
                        softmaxSamples((x, d) -> x.logSoftmax(d)), softmaxErrors("logSoftmax", (x, d) -> x.logSoftmax(d))),
                new OpInfo("nllLoss", NllLoss.class, "lossᵢ = −logProbs[i, yᵢ], reduced", "∂logProbs[i, yᵢ] = −∂lossᵢ, 0 elsewhere",
                        List.of(Sample.of("[1, 1] target {0}", t -> t[0].nllLoss(0), randn(1, 1, 1)),
                                Sample.of("[3, 7] mean", t -> t[0].nllLoss(6, 0, 3), randn(2, 3, 7)),
                                Sample.of("[17, 5] sum", t -> t[0].nllLoss(targets(3, 5, 17), Reduction.SUM), randn(4, 17, 5)),
                                Sample.of("[3, 7]ᵀ none (transposed)", t -> t[0].t().nllLoss(targets(5, 3, 7), Reduction.NONE), randn(6, 3, 7)),
                                withIndex("[33, 3] with targets as a tensor", t -> NllLoss.apply(t[0], t[1], Reduction.MEAN),
                                        randn(7, 33, 3), indices(8, 3, 33))),
                        List.of(new ErrorSample("nllLoss target 7 with C = 7", () -> Tensor.zeros(2, 7).nllLoss(0, 7), "nllLoss", "target 7", "7"),
                                new ErrorSample("nllLoss 3 targets for [2, 7]", () -> Tensor.zeros(2, 7).nllLoss(0, 1, 2), "nllLoss", "3 targets", "[2, 7]"),
                                new ErrorSample("nllLoss input [2, 3, 4]", () -> Tensor.zeros(2, 3, 4).nllLoss(0, 1), "nllLoss", "[2, 3, 4]"))),
                new OpInfo("crossEntropy", CrossEntropy.class, "lossᵢ = (1−ε)·(−log p_{i,yᵢ}) + ε·mean_c(−log p_{i,c}), p = softmax(logits)",
                        "∂logits_{i,c} = p_{i,c} − (1−ε)·[c = yᵢ] − ε/C (per unit ∂lossᵢ)",
                        List.of(Sample.of("[1, 1] target {0}", t -> t[0].crossEntropy(0), randn(1, 1, 1)),
                                Sample.of("[3, 7] mean", t -> t[0].crossEntropy(6, 0, 3), randn(2, 3, 7)),
                                Sample.of("[33, 5] sum, ε = 0.1", t -> t[0].crossEntropy(targets(3, 5, 33), Reduction.SUM, 0.1), randn(4, 33, 5)),
                                Sample.of("[3, 7]ᵀ none, ε = 0.3 (transposed)", t -> t[0].t().crossEntropy(targets(5, 3, 7), Reduction.NONE, 0.3),
                                        randn(6, 3, 7)),
                                Sample.of("[3, 17] logits ×100 (stable lse), ε = 1", t -> t[0].mul(100).crossEntropy(new int[] {16, 0, 5}, Reduction.MEAN, 1.0),
                                        randn(7, 3, 17)),
                                withIndex("[17, 3] with targets as a tensor", t -> t[0].crossEntropy(t[1], Reduction.MEAN, 0.0),
                                        randn(8, 17, 3), indices(9, 3, 17))),
                        List.of(new ErrorSample("crossEntropy target 5 with C = 5", () -> Tensor.zeros(2, 5).crossEntropy(5, 0),
                                        "crossEntropy", "target 5", "C = 5"),
                                new ErrorSample("crossEntropy ε = 1.5", () -> Tensor.zeros(2, 5).crossEntropy(new int[] {0, 0}, Reduction.MEAN, 1.5),
                                        "crossEntropy", "1.5"),
                                new ErrorSample("crossEntropy ε = -0.1", () -> Tensor.zeros(2, 5).crossEntropy(new int[] {0, 0}, Reduction.MEAN, -0.1),
                                        "crossEntropy", "-0.1"),
                                new ErrorSample("crossEntropy logits [5]", () -> Tensor.zeros(5).crossEntropy(0), "crossEntropy", "[5]"))),
                new OpInfo("mseLoss", MseLoss.class, "lossᵢ = (predᵢ − targetᵢ)², reduced", "∂pred = 2(pred − target)·g = −∂target",
                        regressionSamples((p, q, r) -> p.mseLoss(q, r), Samples::randn, Samples::randn),
                        regressionErrors("mseLoss", (p, q) -> p.mseLoss(q))),
                new OpInfo("l1Loss", L1Loss.class, "lossᵢ = |predᵢ − targetᵢ|, reduced", "∂pred = sign(pred − target)·g = −∂target",
                        // |pred| ≥ 0.05 and |target| ≤ 0.02 keep pred − target away from the kink at 0.
                        regressionSamples((p, q, r) -> p.l1Loss(q, r), Samples::distinct, (seed, shape) -> Samples.uniform(seed, -0.02, 0.02, shape)),
                        regressionErrors("l1Loss", (p, q) -> p.l1Loss(q))),
                new OpInfo("unfold", Unfold.class, "cols[n, (c,i,j), (y,x)] = x[n, c, y·sh − ph + i, x·sw − pw + j] (im2col, 0 in padding)",
                        "∂x = fold(g) (col2im: overlapping windows accumulate)",
                        List.of(Sample.of("[1, 1, 1, 1] k 1", t -> Unfold.apply(t[0], 1, 1, 1, 1, 0, 0), randn(1, 1, 1, 1, 1)),
                                Sample.of("[1, 1, 3, 3] k 2 stride 1", t -> Unfold.apply(t[0], 2, 2, 1, 1, 0, 0), randn(2, 1, 1, 3, 3)),
                                Sample.of("[2, 3, 7, 5] k 3 stride 2 pad 1", t -> Unfold.apply(t[0], 3, 3, 2, 2, 1, 1), randn(3, 2, 3, 7, 5)),
                                Sample.of("[1, 2, 5, 7] k 2×3 stride 1×2 pad 1×0", t -> Unfold.apply(t[0], 2, 3, 1, 2, 1, 0), randn(4, 1, 2, 5, 7)),
                                Sample.of("[2, 3, 7, 5] permuted from [2, 7, 5, 3] (non-contiguous)",
                                        t -> Unfold.apply(t[0].permute(0, 3, 1, 2), 3, 2, 1, 1, 0, 1), randn(5, 2, 7, 5, 3))),
                        List.of(new ErrorSample("unfold input [3, 5, 5]", () -> Unfold.apply(Tensor.zeros(3, 5, 5), 2, 2, 1, 1, 0, 0),
                                        "unfold", "[3, 5, 5]"),
                                new ErrorSample("unfold kernel 4×4 on [1, 1, 3, 3]", () -> Unfold.apply(Tensor.zeros(1, 1, 3, 3), 4, 4, 1, 1, 0, 0),
                                        "unfold", "4×4", "[1, 1, 3, 3]"),
                                new ErrorSample("unfold stride 0", () -> Unfold.apply(Tensor.zeros(1, 1, 3, 3), 2, 2, 0, 1, 0, 0), "unfold", "stride 0×1"))),
                new OpInfo("conv2d", Conv2d.class, "out[n,o,y,x] = b[o] + Σ_{c,i,j} w[o,c,i,j]·x[n,c,y·sh−ph+i,x·sw−pw+j] (unfold + matmul)",
                        "∂w = Σ_n g_n·cols_nᵀ, ∂x = fold(wᵀ·g), ∂b = Σ_{n,y,x} g",
                        List.of(Sample.of("[1, 1, 1, 1] * [1, 1, 1, 1]", t -> t[0].conv2d(t[1], null, 1, 0), randn(1, 1, 1, 1, 1), randn(2, 1, 1, 1, 1)),
                                Sample.of("[2, 3, 7, 7] * [4, 3, 3, 3] + b, stride 2 pad 1", t -> t[0].conv2d(t[1], t[2], 2, 1),
                                        randn(3, 2, 3, 7, 7), randn(4, 4, 3, 3, 3), randn(5, 4)),
                                Sample.of("[1, 2, 17, 5] * [3, 2, 3, 1] + b, stride 2×1 pad 0×1", t -> t[0].conv2d(t[1], t[2], 2, 1, 0, 1),
                                        randn(6, 1, 2, 17, 5), randn(7, 3, 2, 3, 1), randn(8, 3)),
                                Sample.of("[3, 1, 5, 5] * [1, 1, 5, 5] (kernel = image)", t -> t[0].conv2d(t[1], null, 1, 0),
                                        randn(9, 3, 1, 5, 5), randn(10, 1, 1, 5, 5)),
                                Sample.of("[1, 3, 5, 7] permuted input, transposed weight taps", t -> t[0].permute(0, 3, 1, 2).conv2d(t[1].transpose(2, 3), t[2], 1, 1),
                                        randn(11, 1, 5, 7, 3), randn(12, 2, 3, 3, 2), randn(13, 2))),
                        List.of(new ErrorSample("conv2d input [1, 3, 5, 5] with weight [2, 4, 3, 3]",
                                        () -> Tensor.zeros(1, 3, 5, 5).conv2d(Tensor.zeros(2, 4, 3, 3), null, 1, 0), "conv2d", "[1, 3, 5, 5]", "[2, 4, 3, 3]"),
                                new ErrorSample("conv2d input [3, 5, 5]", () -> Tensor.zeros(3, 5, 5).conv2d(Tensor.zeros(2, 3, 3, 3), null, 1, 0),
                                        "conv2d", "[3, 5, 5]"),
                                new ErrorSample("conv2d kernel 5×5 on [1, 1, 2, 2] padded by 1",
                                        () -> Tensor.zeros(1, 1, 2, 2).conv2d(Tensor.zeros(1, 1, 5, 5), null, 1, 1), "conv2d", "5×5", "4×4", "[1, 1, 2, 2]"),
                                new ErrorSample("conv2d bias [3] for weight [2, 1, 3, 3]",
                                        () -> Tensor.zeros(1, 1, 5, 5).conv2d(Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3), 1, 0), "conv2d", "[3]", "[2, 1, 3, 3]"))),
                new OpInfo("maxPool2d", MaxPool2d.class, "out[n,c,y,x] = max_{i,j<k} x[n,c,y·s+i,x·s+j] (unfold + max)",
                        "∂x = g routed to each window's maximum (overlaps accumulate)",
                        poolSamples((x, k, s) -> x.maxPool2d(k, s), Samples::distinct), poolErrors("maxPool2d", (x, k, s) -> x.maxPool2d(k, s))),
                new OpInfo("reluMaxPool2d", MaxPool2d.class, "out[n,c,y,x] = max_{i,j<k} relu(x)[n,c,y·k+i,x·k+j] (relu, then maxPool2d at stride k)",
                        "∂x = g·[x > 0] at each window's maximum",
                        List.of(Sample.of("[1, 1, 2, 2] k 1 (two windows below 0)", t -> MaxPool2d.afterRelu(t[0], 1), Samples.distinct(1, 1, 1, 2, 2)),
                                Sample.of("[2, 3, 7, 7] k 2 (last row and column dropped)", t -> MaxPool2d.afterRelu(t[0], 2), Samples.distinct(2, 2, 3, 7, 7)),
                                Sample.of("[1, 1, 17, 33] k 3", t -> MaxPool2d.afterRelu(t[0], 3), Samples.distinct(4, 1, 1, 17, 33)),
                                Sample.of("[2, 3, 5, 7] permuted from [2, 5, 7, 3] (non-contiguous)", t -> MaxPool2d.afterRelu(t[0].permute(0, 3, 1, 2), 2),
                                        Samples.distinct(5, 2, 5, 7, 3))),
                        poolErrors("maxPool2d", (x, k, s) -> MaxPool2d.afterRelu(x, k))),
                new OpInfo("conv2dReluMaxPool2d", ConvReluMaxPool2d.class,
                        "out[n,o,y,x] = max_{i,j<k} relu(conv2d(x, w, b))[n,o,y·k+i,x·k+j] (conv2d, then reluMaxPool2d)",
                        "∂c = g·[c > 0] at each window's maximum of c = conv2d(x, w, b), then conv2d's ∂x, ∂w, ∂b for ∂c",
                        List.of(Sample.of("[2, 1, 6, 6] * [3, 1, 3, 3] + b, pad 1, k 2", t -> ConvReluMaxPool2d.apply(t[0], t[1], t[2], 1, 1, 2),
                                        Samples.distinct(14, 2, 1, 6, 6), randn(15, 3, 1, 3, 3), randn(16, 3)),
                                Sample.of("[1, 2, 7, 5] * [2, 2, 3, 3], stride 2, k 1", t -> ConvReluMaxPool2d.apply(t[0], t[1], null, 2, 0, 1),
                                        Samples.distinct(17, 1, 2, 7, 5), randn(18, 2, 2, 3, 3)),
                                Sample.of("[1, 1, 9, 9] * [2, 1, 1, 1] + b, k 3", t -> ConvReluMaxPool2d.apply(t[0], t[1], t[2], 1, 0, 3),
                                        Samples.distinct(19, 1, 1, 9, 9), randn(20, 2, 1, 1, 1), randn(21, 2))),
                        List.of(new ErrorSample("conv2dReluMaxPool2d input [1, 3, 5, 5] with weight [2, 4, 3, 3]",
                                        () -> ConvReluMaxPool2d.apply(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 4, 3, 3), null, 1, 0, 2),
                                        "conv2d", "[1, 3, 5, 5]", "[2, 4, 3, 3]"),
                                new ErrorSample("conv2dReluMaxPool2d k 4 on a 3×3 output",
                                        () -> ConvReluMaxPool2d.apply(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), null, 1, 0, 4),
                                        "maxPool2d", "4×4", "[1, 1, 3, 3]"))),
                new OpInfo("avgPool2d", AvgPool2d.class, "out[n,c,y,x] = (1/k²)·Σ_{i,j<k} x[n,c,y·s+i,x·s+j] (unfold + mean)",
                        "∂x = g/k² spread over each window (overlaps accumulate)",
                        poolSamples((x, k, s) -> x.avgPool2d(k, s), Samples::randn), poolErrors("avgPool2d", (x, k, s) -> x.avgPool2d(k, s))),
                new OpInfo("layerNorm", LayerNorm.class, "y = (x − μ)/√(σ² + ε) ⊙ w + b over the trailing dims (biased σ²)",
                        "composed: through mean, sub, mul, log, exp",
                        List.of(Sample.of("[3, 1] over [1]", t -> t[0].layerNorm(new int[] {1}, null, null), randn(1, 3, 1)),
                                Sample.of("[3, 7] over [7] with w, b", t -> t[0].layerNorm(new int[] {7}, t[1], t[2]), randn(2, 3, 7), randn(3, 7), randn(4, 7)),
                                Sample.of("[2, 3, 5] over [3, 5] with w", t -> t[0].layerNorm(new int[] {3, 5}, t[1], null), randn(5, 2, 3, 5), randn(6, 3, 5)),
                                Sample.of("[17, 33] over [33], ε = 0.1", t -> t[0].layerNorm(new int[] {33}, null, null, 0.1), randn(7, 17, 33)),
                                Sample.of("[7, 3]ᵀ over [7] with b (transposed)", t -> t[0].t().layerNorm(new int[] {7}, null, t[1]), randn(8, 7, 3), randn(9, 7))),
                        List.of(new ErrorSample("layerNorm [2, 3] over [4]", () -> Tensor.zeros(2, 3).layerNorm(new int[] {4}, null, null),
                                        "layerNorm", "[4]", "[2, 3]"),
                                new ErrorSample("layerNorm weight [2] for [3]", () -> Tensor.zeros(2, 3).layerNorm(new int[] {3}, Tensor.zeros(2), null),
                                        "layerNorm", "[2]", "[3]"),
                                new ErrorSample("layerNorm ε = 0", () -> Tensor.zeros(2, 3).layerNorm(new int[] {3}, null, null, 0), "layerNorm", "eps"))),
                new OpInfo("batchNorm", BatchNormalization.class,
                        "y = (x − μ)/√(σ² + ε)·γ + β per channel (dim 1), μ and biased σ² over the other dims (training mode)",
                        "∂x = γ/√(σ² + ε)·(g − mean(g) − x̂·mean(g·x̂)), ∂γ = Σ g·x̂, ∂β = Σ g",
                        List.of(Sample.of("[2, 1]", t -> batchNorm(t, 1e-5), randn(1, 2, 1), randn(2, 1), randn(3, 1)),
                                Sample.of("[3, 7]", t -> batchNorm(t, 1e-5), randn(4, 3, 7), randn(5, 7), randn(6, 7)),
                                Sample.of("[3, 2, 5, 7], ε = 0.1", t -> batchNorm(t, 0.1), randn(7, 3, 2, 5, 7), randn(8, 2), randn(9, 2)),
                                Sample.of("[2, 3, 17] (channels of a permuted view)", t -> batchNorm(new Tensor[] {t[0].permute(0, 2, 1), t[1], t[2]}, 1e-5),
                                        randn(10, 2, 17, 3), randn(11, 3), randn(12, 3))),
                        List.of(new ErrorSample("batchNorm [4] (no channel dim)", () -> BatchNormalization.training(Tensor.zeros(4), Tensor.ones(4), Tensor.zeros(4), 1e-5),
                                        "batchNorm", "[4]"),
                                new ErrorSample("batchNorm weight [2] for [3, 4]",
                                        () -> BatchNormalization.training(Tensor.zeros(3, 4), Tensor.ones(2), Tensor.zeros(4), 1e-5), "batchNorm", "weight", "[2]", "[4]"),
                                new ErrorSample("batchNorm ε = 0", () -> BatchNormalization.training(Tensor.zeros(3, 4), Tensor.ones(4), Tensor.zeros(4), 0),
                                        "batchNorm", "eps"))),
                new OpInfo("dropout", Dropout.class, "y = x ⊙ [u ≥ p]/(1 − p), u = CounterRandom.uniform(seed, i); y = x when not training",
                        "∂x = g ⊙ [u ≥ p]/(1 − p)",
                        List.of(Sample.of("[1] p 0.5", t -> t[0].dropout(0.5, 3, true), randn(1, 1)),
                                Sample.of("[3, 7] p 0.5", t -> t[0].dropout(0.5, 1, true), randn(2, 3, 7)),
                                Sample.of("[17, 33] p 0.1", t -> t[0].dropout(0.1, 2, true), randn(3, 17, 33)),
                                Sample.of("[7, 3]ᵀ p 0.3 (transposed)", t -> t[0].t().dropout(0.3, 4, true), randn(4, 7, 3)),
                                Sample.of("[3, 7] not training (identity)", t -> t[0].dropout(0.5, 5, false), randn(5, 3, 7))),
                        List.of(new ErrorSample("dropout p = 1", () -> Tensor.zeros(3).dropout(1.0, 0, true), "dropout", "1.0"),
                                new ErrorSample("dropout p = -0.1", () -> Tensor.zeros(3).dropout(-0.1, 0, true), "dropout", "-0.1"))));
    }

    /** Seeded class targets in [0, classes), one per row. */
    private static int[] targets(long seed, int classes, int rows) {
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) t[i] = dev.lethe.tensor.CounterRandom.below(seed, i, classes);
        return t;
    }

    /** softmax or logSoftmax along a dim. */
    interface AlongDim {
        Tensor apply(Tensor x, int dim);
    }

    static List<Sample> softmaxSamples(AlongDim op) {
        return List.of(
                Sample.of("[1] dim 0", t -> op.apply(t[0], 0), randn(1, 1)),
                Sample.of("[3, 7] dim 1", t -> op.apply(t[0], 1), randn(2, 3, 7)),
                Sample.of("[17, 33] dim 0", t -> op.apply(t[0], 0), randn(3, 17, 33)),
                Sample.of("[7, 3]ᵀ dim -1 (transposed)", t -> op.apply(t[0].t(), -1), randn(4, 7, 3)),
                Sample.of("[2, 3, 5] dim 1", t -> op.apply(t[0], 1), randn(5, 2, 3, 5)),
                Sample.of("[3, 7] ×100 dim 1 (would overflow e^x in float32 without the shift)", t -> op.apply(t[0].mul(100), 1), randn(6, 3, 7)));
    }

    static List<ErrorSample> softmaxErrors(String name, AlongDim op) {
        return List.of(new ErrorSample(name + " dim 2 of [2, 3]", () -> op.apply(Tensor.zeros(2, 3), 2), name, "dim 2", "[2, 3]"));
    }

    /** A loss called with pred, target and a reduction. */
    interface Loss {
        Tensor apply(Tensor pred, Tensor target, Reduction reduction);
    }

    static List<Sample> regressionSamples(Loss loss, ElementwiseOpInfos.Values pred, ElementwiseOpInfos.Values target) {
        return List.of(
                Sample.of("[1] mean", t -> loss.apply(t[0], t[1], Reduction.MEAN), pred.make(1, 1), target.make(2, 1)),
                Sample.of("[3, 7] mean", t -> loss.apply(t[0], t[1], Reduction.MEAN), pred.make(3, 3, 7), target.make(4, 3, 7)),
                Sample.of("[17, 33] sum", t -> loss.apply(t[0], t[1], Reduction.SUM), pred.make(5, 17, 33), target.make(6, 17, 33)),
                Sample.of("[3, 7]ᵀ vs [7, 3] none (transposed)", t -> loss.apply(t[0].t(), t[1], Reduction.NONE),
                        pred.make(7, 3, 7), target.make(8, 7, 3)));
    }

    static List<ErrorSample> regressionErrors(String name, java.util.function.BinaryOperator<Tensor> loss) {
        return List.of(
                new ErrorSample(name + " [2, 3] vs [3, 2]", () -> loss.apply(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), name, "[2, 3]", "[3, 2]"),
                new ErrorSample(name + " [3] vs [3, 1] (no silent broadcast)", () -> loss.apply(Tensor.zeros(3), Tensor.zeros(3, 1)),
                        name, "[3]", "[3, 1]"),
                new ErrorSample(name + " float32 vs float64", () -> loss.apply(Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)),
                        name, "float32", "float64"));
    }

    /** A pooling op called with kernel and stride. */
    interface Pool {
        Tensor apply(Tensor x, int k, int stride);
    }

    static List<Sample> poolSamples(Pool pool, ElementwiseOpInfos.Values v) {
        return List.of(
                Sample.of("[1, 1, 1, 1] k 1", t -> pool.apply(t[0], 1, 1), v.make(1, 1, 1, 1, 1)),
                Sample.of("[2, 3, 7, 7] k 2 (last row and column dropped)", t -> pool.apply(t[0], 2, 2), v.make(2, 2, 3, 7, 7)),
                Sample.of("[1, 2, 7, 5] k 3 stride 2 (overlapping)", t -> pool.apply(t[0], 3, 2), v.make(3, 1, 2, 7, 5)),
                Sample.of("[1, 1, 17, 33] k 3", t -> pool.apply(t[0], 3, 3), v.make(4, 1, 1, 17, 33)),
                Sample.of("[2, 3, 5, 7] permuted from [2, 5, 7, 3] (non-contiguous)", t -> pool.apply(t[0].permute(0, 3, 1, 2), 2, 1),
                        v.make(5, 2, 5, 7, 3)));
    }

    static List<ErrorSample> poolErrors(String name, Pool pool) {
        return List.of(
                new ErrorSample(name + " k 3 on [1, 1, 2, 5]", () -> pool.apply(Tensor.zeros(1, 1, 2, 5), 3, 3), name, "3×3", "[1, 1, 2, 5]"),
                new ErrorSample(name + " on [4, 4]", () -> pool.apply(Tensor.zeros(4, 4), 2, 2), name, "[4, 4]"));
    }

    /** batchNorm's output for inputs x, γ, β. */
    private static Tensor batchNorm(Tensor[] t, double eps) {
        return BatchNormalization.training(t[0], t[1], t[2], eps).output();
    }
}
