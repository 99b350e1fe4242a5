/**
 * Lethe's engine: tensors, reverse-mode autograd, the SIMD CPU kernels and their float64
 * reference. No runtime dependencies beyond the JDK's incubating Vector API.
 */
module dev.lethe.core {
    requires jdk.incubator.vector;

    // Device backends (cuda-kernels) plug in through this interface, found at run time.
    uses dev.lethe.backend.DeviceProvider;

    exports dev.lethe.tensor;
    exports dev.lethe.autograd;
    exports dev.lethe.backend;
    exports dev.lethe.ops;
    exports dev.lethe.cpu;
    exports dev.lethe.reference;
    exports dev.lethe.nn;
    exports dev.lethe.optim;
    exports dev.lethe.data;
    exports dev.lethe.io;
    exports dev.lethe.train;
    exports dev.lethe.surgery;
}
