package dev.lethe.cuda.check;

import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;

import java.util.function.Function;

/** Runs one computation on the CPU and on cuda:0 and compares the results. */
final class Compare {
    /**
     * The device the checks run on: cuda:0, or {@code -Dlethe.check.device} (with tensor-core's
     * test device, "testdev:0", the tensor-level checks can themselves be run where no GPU is).
     */
    static final Device GPU = Device.parse(System.getProperty("lethe.check.device", "cuda:0"));

    private Compare() {}

    /**
     * f on CPU inputs against f on copies of them on the GPU: the GPU result must live on the
     * GPU and match within atol + rtol·|cpu|.
     */
    static void sameAsCpu(String what, Function<Tensor[], Tensor> f, double atol, double rtol, Tensor... inputs) {
        Tensor cpu = f.apply(inputs);
        Tensor[] dev = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) dev[i] = inputs[i].to(GPU);
        Tensor gpu = f.apply(dev);
        Expect.equal(GPU, gpu.device(), what + " ran on");
        Expect.equal(java.util.Arrays.toString(cpu.shape()), java.util.Arrays.toString(gpu.shape()), what + " shape");
        Expect.close(what, cpu.toFloatArray(), gpu.toFloatArray(), atol, rtol);
    }

    /** Normal values, seeded. */
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(seed, shape);
    }

    /** Values in [0.1, 2.1): safe for log, sqrt, pow and division. */
    static Tensor positive(long seed, int... shape) {
        return Tensor.rand(seed, shape).mul(2).add(0.1);
    }

    /** Distinct values (a shuffled ramp): no ties for max, argmax or sorting. */
    static Tensor distinct(long seed, int... shape) {
        int n = dev.lethe.tensor.Shapes.numel(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2f) * 0.01f;
        java.util.Random r = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.fromArray(v, shape);
    }
}
