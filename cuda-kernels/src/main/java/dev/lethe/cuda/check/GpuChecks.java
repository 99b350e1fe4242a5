package dev.lethe.cuda.check;

import java.util.ArrayList;
import java.util.List;

/** Every GPU check, in the order they run: kernels first, then fused kernels, unlearning kernels, training, leaks. */
public final class GpuChecks {
    private GpuChecks() {}

    public static List<Check> all() {
        List<Check> all = new ArrayList<>();
        all.addAll(BackendChecks.all());
        all.addAll(FusedChecks.all());
        all.addAll(SurgeryChecks.all());
        all.addAll(TrainingChecks.all());
        all.addAll(LeakChecks.all());
        return all;
    }
}
