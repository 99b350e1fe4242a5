package dev.lethe.bench;

import dev.lethe.surgery.GradientSurgery;
import dev.lethe.tensor.Tensor;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gradient surgery over {@code size} floats cut like a model's layers ({@link
 * ParameterLayout}): {@code dots} is the fused pass for g_u·g_r, ‖g_u‖², ‖g_r‖² (float64
 * accumulation, reads 2n floats); {@code combine} adds the projected update
 * d = g_u' + α·g_r' written in a second pass (reads 2n more, writes n). The inputs conflict
 * (g_r = −g_u/2 + noise), so the projection is taken.
 *
 * <p>{@code copy} is {@code System.arraycopy} of g_u and g_r into two n-float arrays: read 2n
 * floats and write 2n — the bytes {@code dots} reads (plus writes it does not make), and 4/5
 * of {@code combine}'s traffic. {@code dotsLoop} is the plain Java float64 loop.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SurgeryBench extends BenchDefaults {
    @Param({"235146", "10000000", "100000000"})
    public int size;

    List<Tensor> gu, gr, out;
    float[][] u, r, uCopy, rCopy;

    @Setup
    public void setup() {
        gu = ParameterLayout.randn(1, size);
        List<Tensor> noise = ParameterLayout.randn(2, size);
        gr = new java.util.ArrayList<>();
        for (int i = 0; i < gu.size(); i++) gr.add(gu.get(i).mul(-0.5).add(noise.get(i)).detach());
        out = ParameterLayout.zeros(size);
        u = ParameterLayout.arrays(gu);
        r = ParameterLayout.arrays(gr);
        uCopy = ParameterLayout.arrays(out);
        rCopy = ParameterLayout.like(r);
    }

    @Benchmark
    public GradientSurgery.Dots dots() {
        return GradientSurgery.dots(gu, gr);
    }

    @Benchmark
    public GradientSurgery.Dots combine() {
        return GradientSurgery.combine(gu, gr, 1.5, out);
    }

    @Benchmark
    public float[][] copy() {
        ParameterLayout.copy(u, uCopy);
        return ParameterLayout.copy(r, rCopy);
    }

    /** Plain Java: the three float64 sums in one loop. */
    @Benchmark
    public double dotsLoop() {
        double ur = 0, uu = 0, rr = 0;
        for (int j = 0; j < u.length; j++) {
            float[] x = u[j], y = r[j];
            for (int i = 0; i < x.length; i++) {
                double a = x[i], b = y[i];
                ur += a * b;
                uu += a * a;
                rr += b * b;
            }
        }
        return ur + uu + rr;
    }
}
