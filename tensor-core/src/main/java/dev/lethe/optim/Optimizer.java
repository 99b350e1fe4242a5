package dev.lethe.optim;

import dev.lethe.autograd.NoGrad;
import dev.lethe.backend.OptimizerKernels;
import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.MemoryScope;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimiser over a fixed list of float32 parameters. {@link #step()} updates every
 * parameter that has a gradient, in place, under {@link NoGrad}, with a loop over its float[]
 * in which each entry's update reads and writes that entry alone; a large parameter's loop is
 * cut into fixed ranges run on the kernel threads, which changes no bit, so the result does
 * not depend on the thread count. A parameter on a device whose backend offers {@link
 * OptimizerKernels} is updated there by them, its state kept on that device (the same
 * operations, which a device may contract into fused multiply-adds: equal to float32
 * rounding); on any other device it is updated through a host copy, with the CPU's bits.
 *
 * <p>Per parameter it keeps named state buffers (the momentum buffer, Adam's moments; each
 * parameter-shaped, created zero on first use) and a step count. A parameter may carry a 0/1
 * mask ({@link #setMask}): entries where the mask is 0 are skipped entirely, so neither the
 * gradient, the state nor weight decay ever moves them, and their state stays 0.
 */
public abstract class Optimizer {
    private final String name;
    private final List<Tensor> params;
    private final String[] stateNames;
    private final float[][][] state;
    /**
     * State kept on the parameter's device, for the fused kernels. A buffer lives here or in
     * {@link #state}, never both; a parameter tensor never changes device ({@code Module.to}
     * makes new ones), so neither does its state.
     */
    private final Tensor[][] deviceState;
    /** masks[i] as 0/1 floats on parameter i's device, made on first use. */
    private final Tensor[] deviceMasks;
    private final long[] steps;
    private final boolean[][] masks;
    private double lr;

    /**
     * @param stateNames the per-parameter buffers this optimiser keeps, e.g. "momentum_buffer"
     * @throws IllegalArgumentException if a parameter is not a contiguous float32 leaf, is
     *         listed twice, or lr is negative or not finite
     */
    protected Optimizer(String name, List<Tensor> params, double lr, String... stateNames) {
        this.name = name;
        this.params = List.copyOf(params);
        for (int i = 0; i < this.params.size(); i++) {
            Tensor p = this.params.get(i);
            if (p.dtype() != DType.FLOAT32 || !p.isContiguous() || !p.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + Shapes.str(p.shape()) + " must be a contiguous float32 leaf (is "
                        + p.dtype() + (p.isContiguous() ? "" : ", not contiguous") + (p.isLeaf() ? "" : ", not a leaf") + ")");
            }
            for (int j = 0; j < i; j++) {
                if (this.params.get(j) == p) throw new IllegalArgumentException(name + ": parameters " + j + " and " + i + " are the same tensor");
            }
        }
        this.stateNames = stateNames.clone();
        state = new float[this.params.size()][stateNames.length][];
        deviceState = new Tensor[this.params.size()][stateNames.length];
        deviceMasks = new Tensor[this.params.size()];
        steps = new long[this.params.size()];
        masks = new boolean[this.params.size()][];
        setLr(lr);
    }

    /**
     * Updates parameter {@code index} in place: {@code p[po + j]} from {@code g[go + j]} for
     * j in [0, n), skipping j where {@code mask != null && !mask[j]}. {@code step} is this
     * parameter's step count including this one (1 on the first step).
     */
    protected abstract void update(int index, long step, float[] p, int po, float[] g, int go, int n, boolean[] mask);

    /**
     * Updates parameter {@code index}, which lives on a device, in place with that device's
     * fused {@code kernels}, its state from {@link #deviceState}; {@code mask} is the
     * parameter's mask as 0/1 floats on the device, or null. Returns false where this
     * optimiser has no fused form (the default); the parameter then goes through the host.
     */
    protected boolean updateOnDevice(int index, long step, Tensor p, Tensor g, Tensor mask, OptimizerKernels kernels) {
        return false;
    }

    /**
     * Entries per parallel chunk of an update: a multiple of every vector length, so chunks
     * start on vector boundaries. Each entry's update reads and writes only that entry, so the
     * split never changes a bit; it only spreads a large parameter's pass over the threads.
     */
    static final int RANGE = 1 << 15;

    /**
     * Runs {@code body} over the ranges of [0, n) of {@value #RANGE} entries, on the kernel
     * threads ({@link Parallel#forChunks}): for an update whose entries are independent.
     */
    protected static void forRanges(int n, Parallel.RangeBody body) {
        Parallel.forChunks(n, RANGE, body);
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor g = p.grad();
                if (g == null) continue;
                if (g.dtype() != DType.FLOAT32) throw new IllegalStateException(name + ": gradient of parameter " + i + " is " + g.dtype());
                // A gradient may live elsewhere than its parameter (a host zero set on a device parameter, say).
                g = g.device().equals(p.device()) ? g.contiguous() : g.to(p.device());
                long step = steps[i] + 1;
                if (p.storage().deviceMemory() == null) {
                    update(i, step, p.storage().floats(), p.offset(), g.storage().floats(), g.offset(), p.numel(), masks[i]);
                } else {
                    OptimizerKernels kernels = p.backend().optimizerKernels();
                    if (kernels == null || !updateOnDevice(i, step, p, g, deviceMask(i), kernels)) updateThroughHost(i, step, p, g);
                }
                steps[i] = step;
                p.storage().bumpVersion();
            }
        }
    }

    /**
     * The update of a parameter on a device without fused kernels: its values and gradient
     * come to the host, take the same update as on the CPU (same bits), and go back.
     */
    private void updateThroughHost(int i, long step, Tensor p, Tensor g) {
        float[] pv = p.toFloatArray(), gv = g.toFloatArray();
        update(i, step, pv, 0, gv, 0, pv.length, masks[i]);
        p.storage().deviceMemory().write(p.offset(), pv, 0, pv.length);
    }

    /**
     * Parameter i's mask as 0/1 floats on its device (null without a mask), made once per mask,
     * outside any {@link MemoryScope} (it lives as long as the mask).
     */
    private Tensor deviceMask(int i) {
        if (masks[i] == null) return null;
        if (deviceMasks[i] == null) {
            float[] m = new float[masks[i].length];
            for (int j = 0; j < m.length; j++) m[j] = masks[i][j] ? 1 : 0;
            Tensor p = params.get(i);
            deviceMasks[i] = MemoryScope.outside(() -> Tensor.fromArray(m, p.shape()).to(p.device()));
        }
        return deviceMasks[i];
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public double lr() {
        return lr;
    }

    /** @throws IllegalArgumentException if lr is negative or not finite */
    public void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException(name + ": learning rate must be finite and ≥ 0, got " + lr);
        this.lr = lr;
    }

    /** The parameters, in the order state is indexed by. */
    public List<Tensor> parameters() {
        return params;
    }

    /**
     * Restricts updates of {@code param} to the entries where {@code mask} is 1 (null removes
     * the mask). The mask is copied.
     *
     * @throws IllegalArgumentException if param is not one of this optimiser's parameters, or
     *         the mask has another shape or a value other than 0 and 1
     */
    public void setMask(Tensor param, Tensor mask) {
        int i = indexOf(param);
        if (mask == null) {
            masks[i] = null;
            deviceMasks[i] = null;
            return;
        }
        if (!Arrays.equals(mask.shape(), param.shape())) {
            throw new IllegalArgumentException(name + ".setMask: mask shape " + Shapes.str(mask.shape()) + " differs from parameter " + i + " shape "
                    + Shapes.str(param.shape()));
        }
        double[] m = mask.toDoubleArray();
        boolean[] keep = new boolean[m.length];
        for (int j = 0; j < m.length; j++) {
            if (m[j] != 0 && m[j] != 1) throw new IllegalArgumentException(name + ".setMask: mask values must be 0 or 1, element " + j + " is " + m[j]);
            keep[j] = m[j] == 1;
        }
        masks[i] = keep;
        deviceMasks[i] = null;
    }

    private int indexOf(Tensor param) {
        for (int i = 0; i < params.size(); i++) if (params.get(i) == param) return i;
        throw new IllegalArgumentException(name + ": tensor of shape " + Shapes.str(param.shape()) + " is not one of its parameters");
    }

    /** State buffer {@code s} (an index into the stateNames) of parameter {@code i} on the host, created zero on first use. */
    protected final float[] state(int i, int s) {
        if (state[i][s] == null) state[i][s] = new float[params.get(i).numel()];
        return state[i][s];
    }

    /**
     * State buffer {@code s} of parameter {@code i} on the parameter's device, for {@link
     * #updateOnDevice}: created zero on first use, or uploaded from the host where {@link
     * #loadStateDict} put it. It lives as long as the optimiser, outside any {@link MemoryScope}
     * open around the step that first asks for it.
     */
    protected final Tensor deviceState(int i, int s) {
        if (deviceState[i][s] == null) {
            Tensor p = params.get(i);
            float[] loaded = state[i][s];
            deviceState[i][s] = MemoryScope.outside(() -> loaded == null ? Tensor.zeros(DType.FLOAT32, p.device(), p.shape())
                    : Tensor.fromArray(loaded, p.shape()).to(p.device()));
            state[i][s] = null;
        }
        return deviceState[i][s];
    }

    /** True if state buffer {@code s} of parameter {@code i} exists yet (on the host or a device). */
    protected final boolean hasState(int i, int s) {
        return state[i][s] != null || deviceState[i][s] != null;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * The optimiser's state: "lr" (float64 scalar), and per parameter index i that has been
     * stepped "state.i.step" (float64 scalar) and "state.i.&lt;buffer&gt;" (float32, the
     * parameter's shape) for each buffer that exists. Copies.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        out.put("lr", Tensor.scalar(lr, DType.FLOAT64));
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] > 0) out.put("state." + i + ".step", Tensor.scalar(steps[i], DType.FLOAT64));
            for (int s = 0; s < stateNames.length; s++) {
                float[] kept = deviceState[i][s] != null ? deviceState[i][s].toFloatArray() : state[i][s];
                if (kept != null) out.put("state." + i + "." + stateNames[s], Tensor.fromArray(kept, params.get(i).shape()));
            }
        }
        return out;
    }

    /**
     * Replaces the state with {@code dict} (as {@link #stateDict()} writes it; parameters
     * without entries start fresh). Nothing changes unless every key is valid.
     *
     * @throws IllegalArgumentException naming an unknown key, a missing "lr", or a shape mismatch
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        List<String> problems = new ArrayList<>();
        if (!dict.containsKey("lr")) problems.add("missing key 'lr'");
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String k = e.getKey();
            if (k.equals("lr")) continue;
            String[] parts = k.split("\\.");
            int i = parts.length == 3 && parts[0].equals("state") ? parseIndex(parts[1]) : -1;
            int s = i < 0 ? -1 : Arrays.asList(stateNames).indexOf(parts[2]);
            if (i < 0 || (s < 0 && !parts[2].equals("step"))) {
                problems.add("unexpected key '" + k + "'");
                continue;
            }
            int[] want = s < 0 ? new int[0] : params.get(i).shape();
            if (e.getValue().numel() != Shapes.numel(want) || (s >= 0 && !Arrays.equals(e.getValue().shape(), want))) {
                problems.add("shape mismatch for '" + k + "': state has " + Shapes.str(e.getValue().shape()) + ", expected " + Shapes.str(want));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(name + ".loadStateDict: " + String.join("; ", problems));
        setLr(dict.get("lr").item());
        for (int i = 0; i < params.size(); i++) {
            Tensor st = dict.get("state." + i + ".step");
            steps[i] = st == null ? 0 : (long) st.item();
            for (int s = 0; s < stateNames.length; s++) {
                Tensor b = dict.get("state." + i + "." + stateNames[s]);
                state[i][s] = b == null ? null : b.toFloatArray();
                deviceState[i][s] = null;
            }
        }
    }

    private int parseIndex(String s) {
        try {
            int i = Integer.parseInt(s);
            return i < params.size() ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
