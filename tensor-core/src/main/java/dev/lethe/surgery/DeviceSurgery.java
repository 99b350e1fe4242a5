package dev.lethe.surgery;

import dev.lethe.backend.SurgeryKernels;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;

import java.util.List;

/**
 * Where this package's per-step passes run when their tensors live on a device: on that
 * device's {@link SurgeryKernels} when it offers them and every tensor of the lists is float32
 * on it. Otherwise ({@link #kernelsFor} returns null) they run on the CPU over host copies
 * ({@link FlatList}), which also gives the errors for null or non-float32 tensors.
 */
final class DeviceSurgery {
    private DeviceSurgery() {}

    /** The device's kernels if every tensor of {@code lists} is float32 on one device that offers them, else null. */
    @SafeVarargs
    static SurgeryKernels kernelsFor(List<Tensor>... lists) {
        Tensor first = null;
        for (List<Tensor> list : lists) {
            if (list == null) return null;
            for (Tensor t : list) {
                if (t == null || t.dtype() != DType.FLOAT32 || t.device().isCpu()) return null;
                if (first == null) first = t;
                else if (!t.device().equals(first.device())) return null;
            }
        }
        return first == null ? null : first.backend().surgeryKernels();
    }

    /** Each tensor of {@code list} as it is when contiguous, else a contiguous copy on its device. */
    static List<Tensor> contiguous(List<Tensor> list) {
        return list.stream().map(Tensor::contiguous).toList();
    }
}
