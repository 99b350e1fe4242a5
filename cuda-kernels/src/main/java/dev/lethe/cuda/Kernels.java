package dev.lethe.cuda;

import jcuda.driver.CUfunction;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** The kernels loaded into one context: each module is loaded on first use, each function looked up once. */
final class Kernels {
    private final CudaContext context;
    private final Map<String, PtxModule> modules = new HashMap<>();
    private final EnumMap<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    Kernels(CudaContext context) {
        this.context = context;
    }

    synchronized CUfunction function(Kernel k) {
        CUfunction f = functions.get(k);
        if (f == null) {
            PtxModule m = modules.computeIfAbsent(k.module(), name -> PtxModule.load(context, name));
            f = m.function(k.entry());
            functions.put(k, f);
        }
        return f;
    }
}
