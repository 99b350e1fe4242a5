package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Both SGEMMs of a GPU by name, for benchmarks that compare them: "own" (the tiled kernel,
 * always there) and "cublas" (where JCublas2 loads). matmul itself uses the backend's choice,
 * {@link CudaBackend#gemmImplementation()}.
 */
public final class GemmEngines {
    private GemmEngines() {}

    /** The engines that run on GPU {@code ordinal}: "own", and "cublas" when the backend chose it. */
    public static List<String> available(int ordinal) {
        List<String> names = new ArrayList<>(List.of("own"));
        if (CudaBackend.of(ordinal).gemm() instanceof CublasGemm) names.add("cublas");
        return names;
    }

    /**
     * c = a·b for contiguous 2-D CUDA tensors a [m, k], b [k, n], c [m, n], queued with the
     * named engine (nothing waits for it).
     */
    public static void sgemm(String engine, Tensor a, Tensor b, Tensor c) {
        CudaBackend be = DeviceTensors.backend("sgemm", "a", a);
        DeviceTensors.backend("sgemm", "b", b);
        DeviceTensors.backend("sgemm", "c", c);
        int m = a.size(0), k = a.size(1), n = b.size(1);
        if (b.size(0) != k || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("sgemm: shapes " + Shapes.str(a.shape()) + " · " + Shapes.str(b.shape()) + " → " + Shapes.str(c.shape()) + " do not fit");
        }
        Gemm g = switch (engine) {
            case "own" -> be.gemm() instanceof TiledGemm t ? t : new TiledGemm(be.context(), "");
            case "cublas" -> {
                if (!(be.gemm() instanceof CublasGemm cb)) throw new IllegalArgumentException("sgemm: cuBLAS is not available here (" + be.gemmImplementation() + ")");
                yield cb;
            }
            default -> throw new IllegalArgumentException("sgemm: unknown engine '" + engine + "' (own or cublas)");
        };
        g.sgemm(false, false, m, n, k, CudaBackend.ptr(a), k, 0, CudaBackend.ptr(b), n, 0, CudaBackend.ptr(c), n, 0, 1);
    }
}
