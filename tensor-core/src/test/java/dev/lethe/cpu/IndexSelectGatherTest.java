package dev.lethe.cpu;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The float32 index-select (the DataLoader's batch gather), whose slice copies are spread over
 * the kernel threads, against the generic path a float64 tensor takes: every dimension, repeated
 * and unordered indices, slices of one float and of more than a parallel chunk, one thread and
 * three.
 */
class IndexSelectGatherTest {
    @Test
    void equalsTheGenericPathOnEveryDimensionAndThreadCount() {
        Random rnd = new Random(7);
        int[][] shapes = {{5, 37, 300}, {129, 1, 28, 28}, {3, 1, 1}, {17}};
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (int[] shape : shapes) {
                    Tensor x = Tensor.randn(rnd.nextLong(), DType.FLOAT32, shape);
                    for (int dim = 0; dim < shape.length; dim++) {
                        int[] index = new int[1 + rnd.nextInt(2 * shape[dim] + 3)];
                        for (int r = 0; r < index.length; r++) index[r] = rnd.nextInt(shape[dim]);
                        double[] want = x.to(DType.FLOAT64).indexSelect(dim, index).toDoubleArray();
                        Tensor got = x.indexSelect(dim, index);
                        String what = java.util.Arrays.toString(shape) + " dim " + dim + ", " + index.length + " indices, " + threads + " threads";
                        assertArrayEquals(want, got.to(DType.FLOAT64).toDoubleArray(), what);
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
