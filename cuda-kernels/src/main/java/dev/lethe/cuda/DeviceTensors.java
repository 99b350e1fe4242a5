package dev.lethe.cuda;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/** Argument checks for the kernels that work in place on whole CUDA tensors. */
final class DeviceTensors {
    private DeviceTensors() {}

    /**
     * The backend of {@code t}, a contiguous CUDA tensor.
     *
     * @throws IllegalArgumentException naming the op and the argument otherwise
     */
    static CudaBackend backend(String op, String name, Tensor t) {
        if (!(t.storage().deviceMemory() instanceof CudaMemory m)) {
            throw new IllegalArgumentException(op + ": " + name + " must live on a CUDA device, it is on " + t.device());
        }
        if (!t.isContiguous()) throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " must be contiguous");
        return (CudaBackend) m.backend();
    }

    /** Checks that {@code t} (when not null) is a contiguous CUDA tensor of {@code like}'s shape on the same GPU. */
    static void sameShape(String op, String name, Tensor t, String likeName, Tensor like) {
        if (t == null) return;
        CudaBackend b = backend(op, name, t);
        if (b != backend(op, likeName, like)) throw new IllegalArgumentException(op + ": " + name + " is on " + t.device() + ", " + likeName + " on " + like.device());
        if (!Arrays.equals(t.shape(), like.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " differs from " + likeName + " " + Shapes.str(like.shape()));
        }
    }
}
