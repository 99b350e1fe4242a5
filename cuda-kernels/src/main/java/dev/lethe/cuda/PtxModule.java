package dev.lethe.cuda;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PTX module from the resources ({@code /dev/lethe/cuda/ptx/<name>.ptx}), loaded into a
 * context with {@code cuModuleLoadData} (the driver compiles the PTX for the GPU at hand).
 */
public final class PtxModule {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private final String name;
    private final CUmodule module = new CUmodule();
    private final List<String> entries;

    private PtxModule(CudaContext context, String name) {
        this.name = name;
        byte[] text = text(name);
        entries = entries(new String(text, StandardCharsets.US_ASCII));
        context.makeCurrent();
        CudaException.check(JCudaDriver.cuModuleLoadData(module, nulTerminated(text)), "cuModuleLoadData(" + name + ".ptx)");
    }

    /** Loads module {@code name} into {@code context}. */
    static PtxModule load(CudaContext context, String name) {
        return new PtxModule(context, name);
    }

    /**
     * The kernel {@code entry}.
     *
     * @throws IllegalArgumentException naming the module and its entries when there is none
     */
    CUfunction function(String entry) {
        CUfunction f = new CUfunction();
        int r = JCudaDriver.cuModuleGetFunction(f, module, entry);
        if (r == CUresult.CUDA_ERROR_NOT_FOUND) {
            throw new IllegalArgumentException("kernel '" + entry + "' not found in " + name + ".ptx (its entries: " + String.join(", ", entries) + ")");
        }
        CudaException.check(r, "cuModuleGetFunction(" + name + ".ptx, " + entry + ")");
        return f;
    }

    /** The PTX text of module {@code name} from the resources, as bytes. */
    static byte[] text(String name) {
        String path = "/dev/lethe/cuda/ptx/" + name + ".ptx";
        try (InputStream in = PtxModule.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no PTX module " + path + " in the resources");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    /** The entry names declared in PTX text, in order. */
    static List<String> entries(String ptx) {
        List<String> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /**
     * {@code text} with a NUL byte appended: {@code cuModuleLoadData} reads a PTX image as a
     * C string, and without the terminator it reads past the array.
     */
    static byte[] nulTerminated(byte[] text) {
        if (text.length > 0 && text[text.length - 1] == 0) return text;
        return Arrays.copyOf(text, text.length + 1);
    }
}
