package dev.lethe.cpu;

import dev.lethe.backend.ReduceOp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link StreamedSum} against {@link ReduceKernels#segment} on the whole stream, bit for bit, however it is cut. */
@Tag("kernels")
class StreamedSumTest {

    @Test
    void equalsTheSegmentSumOnEveryCut() {
        Random rnd = new Random(3);
        int step = StreamedSum.STEP, cases = 0;
        for (int n : new int[] {0, 1, 3, step - 1, step, step + 1, 3 * step + 5, 1000, 3136 * 3 + 17, 100_352}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(10);
                x[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? 1e7f : (float) rnd.nextGaussian();
            }
            float want = ReduceKernels.segment(ReduceOp.SUM, x, 0, n);
            for (int chunk : new int[] {step, 2 * step, 3136, Math.max(step, n)}) {
                StreamedSum sum = new StreamedSum(n);
                for (int at = 0; at < n; at += chunk) sum.add(x, at, Math.min(chunk, n - at));
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(sum.sum()),
                        "n " + n + " in chunks of " + chunk + ": " + sum.sum() + " against " + want);
                cases++;
            }
        }
        assertEquals(40, cases);
    }

    @Test
    void refusesAChunkThatSplitsAStepOrOverruns() {
        int step = StreamedSum.STEP;
        float[] x = new float[4 * step];
        if (Simd.ENABLED) assertThrows(IllegalArgumentException.class, () -> new StreamedSum(4 * step).add(x, 0, step + 1));
        StreamedSum sum = new StreamedSum(step);
        assertThrows(IllegalArgumentException.class, () -> sum.add(x, 0, step + 1));
        assertThrows(IllegalStateException.class, sum::sum);
    }
}
