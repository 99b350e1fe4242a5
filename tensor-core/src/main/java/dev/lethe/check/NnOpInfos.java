package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import dev.lethe.ops.Matmul;
import dev.lethe.tensor.Tensor;

import java.util.List;

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
                                "matmul", "[32, 784]", "[128, 10]"))));
    }
}
