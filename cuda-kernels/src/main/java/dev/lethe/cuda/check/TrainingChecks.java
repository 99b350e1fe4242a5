package dev.lethe.cuda.check;

import dev.lethe.autograd.NoGrad;
import dev.lethe.data.Dataset;
import dev.lethe.nn.Models;
import dev.lethe.nn.Module;
import dev.lethe.optim.SGD;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import dev.lethe.train.EpochResult;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;

import java.util.List;

import static dev.lethe.cuda.check.Compare.GPU;

/** Autograd on the GPU equals the CPU within float32 tolerance: the MLP and the CNN, step by step, and a Trainer epoch. */
final class TrainingChecks {
    private TrainingChecks() {}

    static List<Check> all() {
        return List.of(
                new Check("MLP: losses, gradients and SGD steps on the GPU equal the CPU's", () -> steps("mlp", Tensor.rand(1, 33, 784))),
                new Check("CNN: losses, gradients and SGD steps on the GPU equal the CPU's", () -> steps("cnn", Tensor.rand(2, 7, 1, 28, 28))),
                new Check("Trainer: one epoch of the MLP on the GPU tracks the CPU's", TrainingChecks::trainerEpoch),
                new Check("tensor transfers: to(cuda), to(cpu), item, set, gradient across the copy, queued uploads behind busy kernels",
                        TrainingChecks::transfers));
    }

    private static void steps(String model, Tensor input) {
        int n = input.size(0);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % 10;
        Module cpu = Models.byName(model, 5), gpu = Models.byName(model, 5).to(GPU);
        Expect.equal(GPU, gpu.device(), model + " parameters");
        SGD oc = new SGD(cpu.parameters(), 0.05, 0.9, 0, false, 1e-4), og = new SGD(gpu.parameters(), 0.05, 0.9, 0, false, 1e-4);
        Tensor inputGpu = input.to(GPU);
        for (int step = 0; step < 3; step++) {
            Tensor lc = cpu.forward(input).crossEntropy(labels), lg = gpu.forward(inputGpu).crossEntropy(labels);
            Expect.close(model + " loss at step " + step, new float[] {(float) lc.item()}, new float[] {(float) lg.item()}, 1e-5, 1e-4);
            oc.zeroGrad();
            og.zeroGrad();
            lc.backward();
            lg.backward();
            List<Tensor> pc = cpu.parameters(), pg = gpu.parameters();
            for (int i = 0; i < pc.size(); i++) {
                Expect.equal(GPU, pg.get(i).grad().device(), model + " gradient " + i);
                Expect.close(model + " gradient " + i + " at step " + step, pc.get(i).grad().toFloatArray(), pg.get(i).grad().toFloatArray(), 1e-5, 1e-3);
            }
            oc.step();
            og.step();
        }
        try (NoGrad g = NoGrad.enter()) {
            Expect.close(model + " logits after 3 steps", cpu.forward(input).toFloatArray(), gpu.forward(inputGpu).toFloatArray(), 1e-4, 1e-3);
        }
    }

    private static void trainerEpoch() {
        Tensor x = Tensor.rand(3, 256, 784);
        int[] y = new int[256];
        for (int i = 0; i < y.length; i++) y[i] = (int) (x.get(i, 0) * 10) % 10; // a learnable label
        Dataset data = new Dataset(x, y);
        Recipe recipe = new Recipe(1, 32, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 11);
        Module cpu = Models.mlp(11), gpu = Models.mlp(11).to(GPU);
        EpochResult rc = new Trainer(cpu, data, recipe).epoch(0, data, s -> { });
        EpochResult rg = new Trainer(gpu, data, recipe).epoch(0, data, s -> { });
        Expect.close("epoch loss", new float[] {(float) rc.loss()}, new float[] {(float) rg.loss()}, 1e-4, 1e-3);
        Expect.isTrue(Math.abs(rc.testAccuracy() - rg.testAccuracy()) <= 1.0, "accuracy CPU " + rc.testAccuracy() + "% vs GPU " + rg.testAccuracy() + "%");
        Expect.close("weights after an epoch", cpu.parameters().get(0).toFloatArray(), gpu.parameters().get(0).toFloatArray(), 1e-4, 1e-3);
    }

    private static void transfers() {
        Tensor x = Tensor.randn(9, 5, 7);
        Tensor g = x.to(GPU);
        Expect.equal(GPU, g.device(), "to(cuda)");
        Expect.same("round trip", x.toFloatArray(), g.to(Device.CPU).toFloatArray());
        Expect.same("a transposed view comes back row-major", x.t().toFloatArray(), g.t().toFloatArray());
        Expect.equal(x.get(3, 4), g.get(3, 4), "one element");
        g.set(42, 1, 2);
        Expect.equal(42.0, g.get(1, 2), "set then get");
        Tensor leaf = x.detach().requiresGrad(true);
        leaf.to(GPU).square().sum().backward();
        Expect.equal(Device.CPU, leaf.grad().device(), "gradient device of a CPU leaf");
        Expect.close("gradient across the copy", x.mul(2).toFloatArray(), leaf.grad().toFloatArray(), 1e-6, 1e-6);
        queuedUploadsBehindBusyKernels();
    }

    /**
     * Small uploads are queued on the stream from one reused host block (HostStaging): two in a
     * row behind a busy stream each arrive with their own values, the second refilling the block
     * the first was queued from; the indices of an index-select arrive likewise.
     */
    private static void queuedUploadsBehindBusyKernels() {
        Tensor busy = Tensor.zeros(DType.FLOAT32, GPU, 50_000_000), out = Tensor.zeros(DType.FLOAT32, GPU, 50_000_000);
        float[] a = Tensor.randn(31, 1000).toFloatArray(), b = Tensor.randn(32, 1000).toFloatArray();
        for (int i = 0; i < 20; i++) busy.relu(out); // some milliseconds of queued work
        Tensor ta = Tensor.fromArray(a, 1000).to(GPU);
        Tensor tb = Tensor.fromArray(b, 1000).to(GPU); // refills the host block the first upload was queued from
        Tensor picked = Tensor.randn(33, 9, 4).to(GPU).indexSelect(0, 8, 0, 3);
        Expect.same("the first queued upload", a, ta.toFloatArray());
        Expect.same("the second queued upload, from the same host block", b, tb.toFloatArray());
        Expect.same("an index-select's queued indices", Tensor.randn(33, 9, 4).indexSelect(0, 8, 0, 3).toFloatArray(), picked.toFloatArray());
    }
}
