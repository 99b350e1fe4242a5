package dev.lethe.surgery;

import dev.lethe.nn.Module;
import dev.lethe.optim.Optimizer;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named 0/1 masks over some of a model's parameters (name → a mask of the parameter's shape,
 * held as a float32 tensor or as bits; names as {@link Module#namedParameters()}), as pruning
 * and saliency produce them.
 *
 * <p>A mask m keeps entry i where m_i = 1 and removes it where m_i = 0:
 * <ul>
 * <li>{@link #applyTo(Module)}: θ ← θ ⊙ m, in place (removed entries become +0, whatever
 *     they held, even ±∞ or NaN);</li>
 * <li>{@link #installOn(Optimizer, Module)}: the optimiser then never moves removed entries
 *     (no gradient, momentum or weight-decay step; their state stays 0), which keeps a pruned
 *     weight at 0, or a SalUn-frozen weight at θ0, through training;</li>
 * <li>{@link #applyToGradients(Module)}: g ← g ⊙ m on the gradients the parameters hold.</li>
 * </ul>
 * Parameters without a mask are left alone. Masks given as tensors are held, not copied; they
 * are checked to be 0/1 when this object is made. Masks made by this package's kernels
 * (pruning, saliency) are held as bits, one per entry (a 32nd of a float32 mask's memory, and
 * of the bytes those kernels write); {@link #get}, {@link #list} and {@link #asMap} make
 * float32 tensors from them when asked, and the other operations read the bits.
 */
public final class ParameterMasks {
    /** The float32 masks given; empty for bit masks. */
    private final LinkedHashMap<String, Tensor> masks;
    /** For masks made as bits: each mask's shape and bits, by name, in order; else null. */
    private final LinkedHashMap<String, Packed> packed;

    /** A mask held as bits: element i is bit {@code base + i} of {@code bits} (see {@link FlatBits}). */
    private record Packed(int[] shape, int numel, long[] bits, long base) {}

    /**
     * @throws IllegalArgumentException if a mask is null, not float32, or holds a value other
     *         than 0 and 1 (naming the mask and element)
     */
    public ParameterMasks(Map<String, Tensor> masks) {
        this.masks = new LinkedHashMap<>();
        this.packed = null;
        masks.forEach((name, m) -> {
            if (m == null) throw new IllegalArgumentException("ParameterMasks: mask '" + name + "' is null");
            if (m.dtype() != DType.FLOAT32) throw new IllegalArgumentException("ParameterMasks: mask '" + name + "' is " + m.dtype() + "; expected float32");
            Tensor c = m.contiguous();
            int bad = VectorPasses.firstNotZeroOrOne(c.storage().floats(), c.offset(), c.numel());
            if (bad >= 0) {
                throw new IllegalArgumentException("ParameterMasks: mask '" + name + "' element " + bad + " is " + c.storage().floats()[c.offset() + bad]
                        + "; expected 0 or 1");
            }
            this.masks.put(name, c);
        });
    }

    /**
     * Masks named by position.
     *
     * @throws IllegalArgumentException if the lists differ in length, or as the constructor
     */
    public static ParameterMasks of(List<String> names, List<Tensor> masks) {
        if (names.size() != masks.size()) {
            throw new IllegalArgumentException("ParameterMasks: " + names.size() + " names but " + masks.size() + " masks");
        }
        LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (map.put(names.get(i), masks.get(i)) != null) throw new IllegalArgumentException("ParameterMasks: name '" + names.get(i) + "' given twice");
        }
        return new ParameterMasks(map);
    }

    private ParameterMasks(LinkedHashMap<String, Packed> packed) {
        this.masks = new LinkedHashMap<>();
        this.packed = packed;
    }

    /**
     * Bit masks a kernel of this package wrote over the tensors of {@code list}, named {@code
     * names}: one array of bits over the whole flattened list (tensor t from bit starts[t]), or
     * one array per tensor (see {@link FlatList#groups}).
     */
    static ParameterMasks ofBits(List<String> names, FlatList list, long[][] groupBits) {
        boolean global = groupBits.length == 1;
        LinkedHashMap<String, Packed> map = new LinkedHashMap<>();
        for (int t = 0; t < list.size(); t++) {
            Packed p = new Packed(list.tensors.get(t).shape(), list.lengths[t], groupBits[global ? 0 : t], global ? list.starts[t] : 0);
            if (map.put(names.get(t), p) != null) throw new IllegalArgumentException("ParameterMasks: name '" + names.get(t) + "' given twice");
        }
        return new ParameterMasks(map);
    }

    /** The masked parameter names, in order. */
    public List<String> names() {
        return List.copyOf(packed != null ? packed.keySet() : masks.keySet());
    }

    /**
     * The mask of parameter {@code name} as a float32 tensor, or null if it has none: the held
     * tensor for masks given as tensors; for bit masks, a fresh tensor made from the bits
     * (changing it changes nothing here).
     */
    public Tensor get(String name) {
        if (packed == null) return masks.get(name);
        Packed p = packed.get(name);
        if (p == null) return null;
        Tensor m = Tensor.zeros(p.shape());
        FlatBits.expand(p.bits(), p.base(), m.storage().floats(), m.offset(), p.numel());
        return m;
    }

    /** The masks by name as float32 tensors, as {@link #get} gives them (an unmodifiable map). */
    public Map<String, Tensor> asMap() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names()) out.put(name, get(name));
        return Collections.unmodifiableMap(out);
    }

    /** The masks in {@link #names()} order, as float32 tensors. */
    public List<Tensor> list() {
        List<Tensor> out = new ArrayList<>();
        for (String name : names()) out.add(get(name));
        return List.copyOf(out);
    }

    /**
     * θ ← θ ⊙ m in place for every masked parameter of {@code model} (removed entries := +0).
     *
     * @throws IllegalArgumentException if the model lacks a masked name or its shape differs
     */
    public void applyTo(Module model) {
        keepWhere(FlatList.output("ParameterMasks.applyTo", "parameters", paramsOf("applyTo", model)), names());
    }

    /** x ← x ⊙ m over {@code x}, whose tensor t is masked by mask {@code names.get(t)}. */
    private void keepWhere(FlatList x, List<String> names) {
        if (packed == null) {
            List<Tensor> ms = new ArrayList<>();
            for (String name : names) ms.add(masks.get(name));
            VectorPasses.keepWhere(x, FlatList.input("ParameterMasks", "masks", ms));
        } else {
            Packed[] ps = new Packed[names.size()];
            for (int t = 0; t < ps.length; t++) ps[t] = packed.get(names.get(t));
            x.forPieces(VectorPasses.GRAIN, (c, t, from, to) ->
                    FlatBits.keepWhere(ps[t].bits(), ps[t].base() + from, x.arrays[t], x.offsets[t] + from, to - from));
        }
        x.bumpVersions();
    }

    /**
     * g ← g ⊙ m in place on the gradient each masked parameter holds (parameters without a
     * gradient are skipped).
     *
     * @throws IllegalArgumentException if the model lacks a masked name or its shape differs
     */
    public void applyToGradients(Module model) {
        List<Tensor> params = paramsOf("applyToGradients", model);
        List<Tensor> grads = new ArrayList<>();
        List<String> all = names(), which = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor g = params.get(i).grad();
            if (g == null) continue;
            if (!g.isContiguous()) {
                g = g.contiguous();
                params.get(i).setGrad(g);
            }
            grads.add(g);
            which.add(all.get(i));
        }
        keepWhere(FlatList.output("ParameterMasks.applyToGradients", "gradients", grads), which);
    }

    /**
     * Holds the masks during training: {@code optimizer.setMask(param, mask)} for every masked
     * parameter of {@code model}, so removed entries never move.
     *
     * @throws IllegalArgumentException if the model lacks a masked name, a shape differs, or
     *         the optimiser does not hold that parameter
     */
    public void installOn(Optimizer optimizer, Module model) {
        List<Tensor> params = paramsOf("installOn", model);
        List<Tensor> all = list();
        for (int i = 0; i < params.size(); i++) optimizer.setMask(params.get(i), all.get(i));
    }

    /** The masked parameters of {@code model}, in {@link #names()} order, checked. */
    private List<Tensor> paramsOf(String op, Module model) {
        Map<String, Tensor> named = model.namedParameters();
        List<Tensor> out = new ArrayList<>();
        for (String name : names()) {
            Tensor p = named.get(name);
            if (p == null) {
                throw new IllegalArgumentException("ParameterMasks." + op + ": the model has no parameter '" + name + "'; it has " + named.keySet());
            }
            int[] shape = shapeOf(name);
            if (!Arrays.equals(p.shape(), shape)) {
                throw new IllegalArgumentException("ParameterMasks." + op + ": parameter '" + name + "' is " + Shapes.str(p.shape()) + " but its mask is "
                        + Shapes.str(shape));
            }
            out.add(p);
        }
        return out;
    }

    private int[] shapeOf(String name) {
        return packed != null ? packed.get(name).shape() : masks.get(name).shape();
    }

    // ---------------------------------------------------------------- report

    /** One masked parameter's counts: {@code size} entries, {@code kept} of them kept. */
    public record LayerSparsity(String name, int[] shape, long size, long kept) {
        /** Removed fraction (size − kept)/size; 0 for an empty tensor. */
        public double sparsity() {
            return size == 0 ? 0 : (size - kept) / (double) size;
        }

        /** Kept fraction kept/size; 0 for an empty tensor. */
        public double keptFraction() {
            return size == 0 ? 0 : kept / (double) size;
        }
    }

    /** Per masked parameter: size and kept count. */
    public List<LayerSparsity> layers() {
        List<LayerSparsity> out = new ArrayList<>();
        if (packed != null) {
            packed.forEach((name, p) -> out.add(new LayerSparsity(name, p.shape().clone(), p.numel(), FlatBits.count(p.bits(), p.base(), p.base() + p.numel()))));
        } else {
            masks.forEach((name, m) -> out.add(new LayerSparsity(name, m.shape(), m.numel(), countOnes(m))));
        }
        return out;
    }

    /** Total entries under a mask. */
    public long size() {
        long n = 0;
        for (String name : names()) n += Shapes.numel(shapeOf(name));
        return n;
    }

    /** Total kept entries. */
    public long kept() {
        long n = 0;
        for (LayerSparsity l : layers()) n += l.kept();
        return n;
    }

    /** Global sparsity: removed entries over all masked entries, (size − kept)/size; 0 when empty. */
    public double sparsity() {
        long size = size();
        return size == 0 ? 0 : (size - kept()) / (double) size;
    }

    /** A plain-text table: per parameter its shape, size, kept count and sparsity, then the global line. */
    public String report() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %-16s %12s %12s %9s%n", "parameter", "shape", "size", "kept", "sparsity"));
        long size = 0, kept = 0;
        for (LayerSparsity l : layers()) {
            sb.append(String.format(Locale.ROOT, "%-32s %-16s %12d %12d %8.2f%%%n", l.name(), Shapes.str(l.shape()), l.size(), l.kept(), 100 * l.sparsity()));
            size += l.size();
            kept += l.kept();
        }
        sb.append(String.format(Locale.ROOT, "%-32s %-16s %12d %12d %8.2f%%%n", "global", "", size, kept, size == 0 ? 0 : 100.0 * (size - kept) / size));
        return sb.toString();
    }

    /** The number of nonzero entries of a float32 tensor. */
    static long countOnes(Tensor m) {
        Tensor c = m.contiguous();
        return VectorPasses.countNonZero(c.storage().floats(), c.offset(), c.numel());
    }

    @Override
    public String toString() {
        return "ParameterMasks" + names() + ", sparsity " + String.format(Locale.ROOT, "%.4f", sparsity());
    }
}
