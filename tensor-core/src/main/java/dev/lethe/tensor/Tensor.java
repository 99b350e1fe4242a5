package dev.lethe.tensor;

import dev.lethe.autograd.Autograd;
import dev.lethe.autograd.GradHook;
import dev.lethe.autograd.NoGrad;
import dev.lethe.autograd.Node;
import dev.lethe.backend.Backend;
import dev.lethe.backend.Backends;
import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.UnaryOp;
import dev.lethe.ops.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32 or float64: a shape, strides and an offset over a flat
 * {@link Storage}, plus what autograd needs (requiresGrad, .grad, the op that made it, hooks).
 *
 * <p>Element {@code (i₀, …, iₙ₋₁)} lives at {@code storage[offset + Σ iₖ·strides[k]]}. Views
 * (reshape of contiguous data, permute, transpose, narrow, expand, squeeze, unsqueeze) share
 * storage; {@link #contiguous()} copies when needed. Ops never modify their inputs; the
 * methods ending in {@code _} write in place, bump the storage version, and refuse to touch
 * a leaf that requires grad while grad mode is on.
 *
 * <p>Each op method here is a one-line delegate to the op's own class in {@code
 * dev.lethe.ops}, where its forward, backward, shape rule and formula sit together.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private boolean requiresGrad;
    private boolean retainGrad;
    private Tensor grad;
    private Node gradFn;
    private List<GradHook> hooks;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- construction

    /**
     * A tensor over existing storage (no copy). Low-level: backends and view ops use it.
     *
     * @throws IllegalArgumentException if the view reaches outside the storage
     */
    public static Tensor wrap(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("wrap: shape " + Shapes.str(shape) + " and strides " + Shapes.str(strides) + " differ in rank");
        }
        Shapes.validate("wrap", shape);
        long lo = offset, hi = offset;
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) empty = true;
            long span = (long) (shape[d] - 1) * strides[d];
            if (span < 0) lo += span; else hi += span;
        }
        if (!empty && (lo < 0 || hi >= storage.length())) {
            throw new IllegalArgumentException("wrap: view shape " + Shapes.str(shape) + " strides " + Shapes.str(strides)
                    + " offset " + offset + " reaches outside storage of length " + storage.length());
        }
        return new Tensor(storage, shape.clone(), strides.clone(), offset);
    }

    /** A contiguous tensor over {@code storage} from its start. */
    public static Tensor wrap(Storage storage, int... shape) {
        return wrap(storage, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** Zeros of {@code shape}, float32. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    /** Zeros of {@code shape}. */
    public static Tensor zeros(DType dtype, int... shape) {
        Shapes.validate("zeros", shape);
        return wrap(Storage.allocate(dtype, Shapes.numel(shape)), shape);
    }

    /**
     * Zeros of {@code shape} on {@code device}.
     *
     * @throws IllegalStateException "no CUDA device: …" when the device cannot be used
     */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        return full(0.0, dtype, device, shape);
    }

    /** {@code value} everywhere, on {@code device}. */
    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        if (device.isCpu()) return full(value, dtype, shape);
        Shapes.validate("full", shape);
        return wrap(DeviceTransfer.allocate(device, dtype, Shapes.numel(shape), value), shape);
    }

    /** Ones of {@code shape}, float32. */
    public static Tensor ones(int... shape) {
        return full(1.0, DType.FLOAT32, shape);
    }

    /** Ones of {@code shape}. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(1.0, dtype, shape);
    }

    /** {@code value} everywhere, float32. */
    public static Tensor full(double value, int... shape) {
        return full(value, DType.FLOAT32, shape);
    }

    /** {@code value} everywhere. */
    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (value != 0) {
            if (dtype == DType.FLOAT32) Arrays.fill(t.storage.floats(), (float) value);
            else Arrays.fill(t.storage.doubles(), value);
        }
        return t;
    }

    /** A 0-dimensional tensor holding {@code value}. */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** A 0-dimensional float32 tensor holding {@code value}. */
    public static Tensor scalar(double value) {
        return full(value, DType.FLOAT32);
    }

    /** [0, 1, …, n−1], float32. */
    public static Tensor arange(int n) {
        return arange(0, n, 1, DType.FLOAT32);
    }

    /**
     * start, start+step, … while below {@code end} (above it for a negative step).
     *
     * @throws IllegalArgumentException if step is 0 or not finite
     */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: need finite start/end and a non-zero step, got start " + start
                    + ", end " + end + ", step " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        Tensor t = zeros(dtype, n);
        for (int i = 0; i < n; i++) t.storage.set(i, start + i * step);
        return t;
    }

    /** The n×n identity, float32. */
    public static Tensor eye(int n) {
        return eye(n, DType.FLOAT32);
    }

    /** The n×n identity. */
    public static Tensor eye(int n, DType dtype) {
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) t.storage.set(i * n + i, 1.0);
        return t;
    }

    /**
     * A float32 tensor holding a copy of {@code data} in row-major order.
     *
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public static Tensor fromArray(float[] data, int... shape) {
        checkLength("fromArray", data.length, shape);
        return wrap(Storage.wrap(data.clone()), shape);
    }

    /** A float64 tensor holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(double[] data, int... shape) {
        checkLength("fromArray", data.length, shape);
        return wrap(Storage.wrap(data.clone()), shape);
    }

    private static void checkLength(String op, int length, int[] shape) {
        Shapes.validate(op, shape);
        if (length != Shapes.numel(shape)) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    /** Uniform in [0, 1), element i drawn from {@link CounterRandom#uniform(long, long)}(seed, i). */
    public static Tensor rand(long seed, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.numel(); i++) t.storage.set(i, CounterRandom.uniform(seed, i));
        return t;
    }

    /** Uniform in [0, 1), float32. */
    public static Tensor rand(long seed, int... shape) {
        return rand(seed, DType.FLOAT32, shape);
    }

    /** Standard normal, element i from {@link CounterRandom#normal(long, long)}(seed, i). */
    public static Tensor randn(long seed, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.numel(); i++) t.storage.set(i, CounterRandom.normal(seed, i));
        return t;
    }

    /** Standard normal, float32. */
    public static Tensor randn(long seed, int... shape) {
        return randn(seed, DType.FLOAT32, shape);
    }

    // ---------------------------------------------------------------- layout

    public DType dtype() {
        return storage.dtype();
    }

    /** Where the elements live: {@link Device#CPU} or a device such as cuda:0. */
    public Device device() {
        return storage.device();
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** Where element (0, …, 0) sits in the storage. */
    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shapes.dim("size", d, shape)];
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** The backend that runs this tensor's kernels. */
    public Backend backend() {
        return Backends.of(this);
    }

    // ---------------------------------------------------------------- element access

    private int flatIndex(int[] idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(idx) + " has " + idx.length
                    + " coordinates for shape " + Shapes.str(shape));
        }
        int off = offset;
        for (int d = 0; d < idx.length; d++) {
            int i = idx[d];
            if (i < -shape[d] || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of bounds for shape " + Shapes.str(shape));
            }
            off += (i < 0 ? i + shape[d] : i) * strides[d];
        }
        return off;
    }

    /** The element at {@code idx} (negative indices count from the end), widened to double. */
    public double get(int... idx) {
        return storage.get(flatIndex(idx));
    }

    /** Writes the element at {@code idx} in place. */
    public Tensor set(double value, int... idx) {
        checkInPlace("set");
        storage.set(flatIndex(idx), value);
        storage.bumpVersion();
        return this;
    }

    /**
     * The single value of a one-element tensor.
     *
     * @throws IllegalStateException if the tensor has more than one element
     */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + numel() + " elements, not 1");
        return storage.get(offset);
    }

    /** The elements in row-major order, rounded to float. */
    public float[] toFloatArray() {
        if (storage.deviceMemory() != null) return DeviceTransfer.copy(this, Device.CPU).toFloatArray();
        Tensor c = dtype() == DType.FLOAT32 ? contiguous() : to(DType.FLOAT32);
        return Arrays.copyOfRange(c.storage.floats(), c.offset, c.offset + c.numel());
    }

    /** The elements in row-major order, widened to double. */
    public double[] toDoubleArray() {
        if (storage.deviceMemory() != null) return DeviceTransfer.copy(this, Device.CPU).toDoubleArray();
        Tensor c = dtype() == DType.FLOAT64 ? contiguous() : to(DType.FLOAT64);
        return Arrays.copyOfRange(c.storage.doubles(), c.offset, c.offset + c.numel());
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf as needing a gradient (or not).
     *
     * @throws IllegalStateException on a non-leaf, whose flag follows from its inputs
     */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad: only leaves can be changed; this tensor was made by '" + gradFn.name()
                    + "' (use detach() for a new leaf)");
        }
        requiresGrad = value;
        return this;
    }

    /** True for a tensor no recorded op produced. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** ∂L/∂this accumulated by backward, or null. Only leaves (and retainGrad tensors) get one. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the stored gradient (null clears it). */
    public Tensor setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape) + " does not match " + Shapes.str(shape));
        }
        grad = g;
        return this;
    }

    /** Clears the stored gradient. */
    public Tensor zeroGrad() {
        grad = null;
        return this;
    }

    /** The recorded op that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** Asks backward to store this non-leaf tensor's gradient in {@link #grad()} too. */
    public Tensor retainGrad() {
        retainGrad = true;
        return this;
    }

    /** True if backward stores this tensor's gradient although it is not a leaf. */
    public boolean retainsGrad() {
        return retainGrad;
    }

    /**
     * Adds a hook run on this tensor's gradient during backward, in registration order.
     *
     * @return a handle whose {@code close()} removes the hook
     */
    public AutoCloseable registerHook(GradHook hook) {
        if (!requiresGrad) throw new IllegalStateException("registerHook: tensor of shape " + Shapes.str(shape) + " does not require grad");
        if (hooks == null) hooks = new ArrayList<>();
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Whether gradient hooks are registered on this tensor. */
    public boolean hasHooks() {
        return hooks != null && !hooks.isEmpty();
    }

    /** Runs the hooks on {@code g}; the engine calls it. */
    public Tensor runHooks(Tensor g) {
        if (hooks == null) return g;
        for (GradHook h : List.copyOf(hooks)) {
            Tensor r = h.apply(g);
            if (r == null || !Arrays.equals(r.shape, g.shape)) {
                throw new IllegalStateException("a gradient hook returned " + (r == null ? "null" : "shape " + Shapes.str(r.shape))
                        + " for a gradient of shape " + Shapes.str(g.shape));
            }
            g = r;
        }
        return g;
    }

    /** Adds {@code g} into {@link #grad()}; the engine calls it. The stored gradient never aliases g. */
    public void accumulateGrad(Tensor g) {
        accumulateGrad(g, false);
    }

    /**
     * Adds {@code g} into {@link #grad()}; the engine calls it. When {@code exclusive} (nothing
     * but the caller can reach g or its storage) a first gradient that is compact (contiguous
     * and the whole of its storage, not a view into something larger) and outside any graph is
     * kept as it is instead of copied; otherwise the stored gradient never aliases g.
     */
    public void accumulateGrad(Tensor g, boolean exclusive) {
        if (grad != null) {
            grad = grad.add(g);
            return;
        }
        boolean compact = g.offset == 0 && g.isContiguous() && g.numel() == g.storage.length();
        grad = exclusive && compact && !g.requiresGrad() ? g : g.clone();
    }

    /** Links this fresh op output to the node that made it; {@link Autograd#record} calls it. */
    public void attachGradFn(Node node) {
        if (gradFn != null || requiresGrad) throw new IllegalStateException("attachGradFn: tensor already part of a graph");
        gradFn = node;
        requiresGrad = true;
    }

    /** Backpropagates from this one-element tensor (∂L/∂L = 1) and releases the graph. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("backward: only a one-element tensor can be the loss without an explicit gradient; shape is "
                    + Shapes.str(shape));
        }
        backward(Tensor.full(1.0, dtype(), device(), shape), false);
    }

    /** Backpropagates {@code gradOut} (this tensor's shape) and releases the graph. */
    public void backward(Tensor gradOut) {
        backward(gradOut, false);
    }

    /** Backpropagates {@code gradOut}; keeps the graph for another backward when {@code retainGraph}. */
    public void backward(Tensor gradOut, boolean retainGraph) {
        Autograd.backward(this, gradOut, retainGraph);
    }

    /** A new leaf sharing this tensor's storage, outside any graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    // ---------------------------------------------------------------- in place

    private void checkInPlace(String op) {
        if (requiresGrad && gradFn == null && NoGrad.gradEnabled()) {
            throw new IllegalStateException(op + ": in-place write to a leaf that requires grad; do it inside NoGrad.enter()");
        }
        if (gradFn != null && NoGrad.gradEnabled()) {
            throw new IllegalStateException(op + ": in-place write to a tensor that is part of a graph (made by '" + gradFn.name()
                    + "'); use the out-of-place op");
        }
    }

    /** Copies {@code src} (broadcast to this shape, any dtype) into this tensor in place. */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        if (!Arrays.equals(Shapes.broadcast("copy_", src.shape, shape), shape)) {
            throw new IllegalArgumentException("copy_: source shape " + Shapes.str(src.shape) + " does not broadcast to " + Shapes.str(shape));
        }
        Backends.of(this, src).copyInto(this, src);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to {@code value} in place. */
    public Tensor fill_(double value) {
        return copy_(Tensor.scalar(value, dtype()));
    }

    /** this += alpha·other in place (other broadcast to this shape). */
    public Tensor addScaled_(Tensor other, double alpha) {
        checkInPlace("addScaled_");
        Tensor sum;
        try (NoGrad g = NoGrad.enter()) {
            sum = add(other.mul(alpha));
        }
        return copy_(sum);
    }

    // ---------------------------------------------------------------- views and copies

    /** A contiguous tensor with the same values (this one if already contiguous). Differentiable. */
    public Tensor contiguous() {
        return isContiguous() ? this : Contiguous.apply(this);
    }

    /** A contiguous copy that owns its storage. Differentiable. */
    @Override
    public Tensor clone() {
        return Contiguous.apply(this);
    }

    /** This tensor in {@code dtype} (this one if it already is). Differentiable. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Cast.apply(this, dtype);
    }

    /**
     * This tensor on {@code device} (this one if it is there already): a contiguous copy whose
     * gradient is copied back. Only float32 tensors live on a GPU.
     *
     * @throws IllegalStateException "no CUDA device: &lt;reason&gt;" when the device cannot be used
     */
    public Tensor to(Device device) {
        return DeviceTransfer.apply(this, device);
    }

    /** Same elements, new shape (one size may be −1); a view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) {
        return Reshape.apply(this, newShape);
    }

    /** Reorders dimensions: result dim i is this tensor's dim {@code order[i]}. A view. */
    public Tensor permute(int... order) {
        return Permute.apply(this, order);
    }

    /** Swaps two dims. A view. */
    public Tensor transpose(int d0, int d1) {
        int r = dim();
        int a = Shapes.dim("transpose", d0, shape), b = Shapes.dim("transpose", d1, shape);
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The transpose of a 2-D tensor. A view. */
    public Tensor t() {
        if (dim() != 2) throw new IllegalArgumentException("t: expected a 2-D tensor, got shape " + Shapes.str(shape));
        return transpose(0, 1);
    }

    /** Elements {@code start .. start+length−1} along {@code dim}. A view. */
    public Tensor narrow(int dim, int start, int length) {
        return Narrow.apply(this, dim, start, length);
    }

    /** Broadcasts size-1 dims (and new leading dims) to {@code newShape} without copying; −1 keeps a size. */
    public Tensor expand(int... newShape) {
        return Expand.apply(this, newShape);
    }

    /** Inserts a size-1 dim at {@code dim}. A view. */
    public Tensor unsqueeze(int dim) {
        int r = dim();
        int d = dim < 0 ? dim + r + 1 : dim;
        if (d < 0 || d > r) {
            throw new IllegalArgumentException("unsqueeze: dim " + dim + " out of range for shape " + Shapes.str(shape)
                    + " (expected " + (-r - 1) + " ≤ dim ≤ " + r + ")");
        }
        int[] s = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) s[i] = i == d ? 1 : shape[j++];
        return reshape(s);
    }

    /** Removes dim {@code dim}, which must have size 1. A view. */
    public Tensor squeeze(int dim) {
        int d = Shapes.dim("squeeze", dim, shape);
        if (shape[d] != 1) throw new IllegalArgumentException("squeeze: dim " + dim + " of shape " + Shapes.str(shape) + " has size " + shape[d] + ", not 1");
        int[] s = new int[dim() - 1];
        for (int i = 0, j = 0; i < dim(); i++) if (i != d) s[j++] = shape[i];
        return reshape(s);
    }

    /** Removes every size-1 dim. A view. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(shape).filter(s -> s != 1).toArray());
    }

    /** A 1-D view of all elements (a copy if not contiguous). */
    public Tensor flatten() {
        return reshape(numel());
    }

    /**
     * Sums broadcast dims away so the result has {@code target} shape: the adjoint of
     * broadcasting {@code target} to this shape.
     */
    public Tensor sumToShape(int[] target) {
        if (Arrays.equals(shape, target)) return this;
        int lead = dim() - target.length;
        if (lead < 0) throw new IllegalArgumentException("sumToShape: cannot reduce " + Shapes.str(shape) + " to " + Shapes.str(target));
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < dim(); i++) {
            if (i < lead) dims.add(i);
            else if (target[i - lead] == 1 && shape[i] != 1) dims.add(i);
            else if (target[i - lead] != shape[i]) {
                throw new IllegalArgumentException("sumToShape: cannot reduce " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        Tensor s = dims.isEmpty() ? this : sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(target);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) { return Add.apply(this, other); }
    public Tensor add(double c) { return ScaleShift.apply(this, 1.0, c); }
    public Tensor sub(Tensor other) { return Sub.apply(this, other); }
    public Tensor sub(double c) { return ScaleShift.apply(this, 1.0, -c); }
    public Tensor mul(Tensor other) { return Mul.apply(this, other); }
    public Tensor mul(double c) { return ScaleShift.apply(this, c, 0.0); }
    public Tensor div(Tensor other) { return Div.apply(this, other); }
    public Tensor div(double c) { return ScaleShift.apply(this, 1.0 / c, 0.0); }
    public Tensor neg() { return Neg.apply(this); }
    public Tensor exp() { return Exp.apply(this); }
    public Tensor log() { return Log.apply(this); }

    // ---------------------------------------------------------------- elementwise into out

    // PyTorch's out=: the result is written into out (the result's shape and dtype, any
    // strides; it may be this very view, or an operand's), which is returned. No graph is
    // recorded, so no operand may require grad unless inside NoGrad.enter(); out must be
    // writable in place. For large tensors this saves allocating (and the JVM zeroing) the
    // result. See OutArgument for the checks.

    /** out = this + other (broadcast), written into {@code out}. */
    public Tensor add(Tensor other, Tensor out) { return binaryInto("add", BinaryOp.ADD, other, out); }
    /** out = this − other (broadcast), written into {@code out}. */
    public Tensor sub(Tensor other, Tensor out) { return binaryInto("sub", BinaryOp.SUB, other, out); }
    /** out = this ⊙ other (broadcast), written into {@code out}. */
    public Tensor mul(Tensor other, Tensor out) { return binaryInto("mul", BinaryOp.MUL, other, out); }
    /** out = this / other (broadcast), written into {@code out}. */
    public Tensor div(Tensor other, Tensor out) { return binaryInto("div", BinaryOp.DIV, other, out); }
    /** out = this + c, written into {@code out}. */
    public Tensor add(double c, Tensor out) { return unaryInto("add", UnaryOp.SCALE_SHIFT, 1.0, c, out); }
    /** out = c·this, written into {@code out}. */
    public Tensor mul(double c, Tensor out) { return unaryInto("mul", UnaryOp.SCALE_SHIFT, c, 0.0, out); }
    /** out = −this, written into {@code out}. */
    public Tensor neg(Tensor out) { return unaryInto("neg", UnaryOp.NEG, 0, 0, out); }
    /** out = eˣ, written into {@code out}. */
    public Tensor exp(Tensor out) { return unaryInto("exp", UnaryOp.EXP, 0, 0, out); }
    /** out = ln x, written into {@code out}. */
    public Tensor log(Tensor out) { return unaryInto("log", UnaryOp.LOG, 0, 0, out); }
    /** out = √x, written into {@code out}. */
    public Tensor sqrt(Tensor out) { return unaryInto("sqrt", UnaryOp.SQRT, 0, 0, out); }
    /** out = |x|, written into {@code out}. */
    public Tensor abs(Tensor out) { return unaryInto("abs", UnaryOp.ABS, 0, 0, out); }
    /** out = max(x, 0), written into {@code out}. */
    public Tensor relu(Tensor out) { return unaryInto("relu", UnaryOp.RELU, 0, 0, out); }
    /** out = σ(x), written into {@code out}. */
    public Tensor sigmoid(Tensor out) { return unaryInto("sigmoid", UnaryOp.SIGMOID, 0, 0, out); }
    /** out = tanh x, written into {@code out}. */
    public Tensor tanh(Tensor out) { return unaryInto("tanh", UnaryOp.TANH, 0, 0, out); }

    private Tensor binaryInto(String op, BinaryOp kind, Tensor other, Tensor out) {
        out.checkInPlace(op);
        return Elementwise.binaryInto(op, kind, this, other, out);
    }

    private Tensor unaryInto(String op, UnaryOp kind, double p, double q, Tensor out) {
        out.checkInPlace(op);
        return Elementwise.unaryInto(op, kind, this, p, q, out);
    }

    // (elementwise ops: more below, added by the elementwise work)
    /** xᵖ elementwise, scalar exponent. */
    public Tensor pow(double p) { return Pow.apply(this, p); }
    /** x² elementwise (x ⊙ x). */
    public Tensor square() { return Mul.apply(this, this); }
    public Tensor sqrt() { return Sqrt.apply(this); }
    public Tensor abs() { return Abs.apply(this); }
    public Tensor relu() { return Relu.apply(this); }
    public Tensor sigmoid() { return Sigmoid.apply(this); }
    public Tensor tanh() { return Tanh.apply(this); }
    /** GELU, tanh approximation. */
    public Tensor gelu() { return Gelu.apply(this); }
    /** min(max(x, lo), hi) elementwise. */
    public Tensor clamp(double lo, double hi) { return Clamp.apply(this, lo, hi); }
    /** max(this, other) elementwise, broadcast. */
    public Tensor maximum(Tensor other) { return Maximum.apply(this, other); }
    /** min(this, other) elementwise, broadcast. */
    public Tensor minimum(Tensor other) { return Minimum.apply(this, other); }
    /** cond ≠ 0 ? a : b elementwise, all three broadcast; cond gets no gradient. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Where.apply(cond, a, b); }

    // comparisons: 0/1 in this dtype, broadcast, never requiring grad
    public Tensor gt(Tensor other) { return Compare.gt(this, other); }
    public Tensor gt(double c) { return Compare.gt(this, c); }
    public Tensor ge(Tensor other) { return Compare.ge(this, other); }
    public Tensor ge(double c) { return Compare.ge(this, c); }
    public Tensor lt(Tensor other) { return Compare.lt(this, other); }
    public Tensor lt(double c) { return Compare.lt(this, c); }
    public Tensor le(Tensor other) { return Compare.le(this, other); }
    public Tensor le(double c) { return Compare.le(this, c); }
    public Tensor eq(Tensor other) { return Compare.eq(this, other); }
    public Tensor eq(double c) { return Compare.eq(this, c); }
    public Tensor ne(Tensor other) { return Compare.ne(this, other); }
    public Tensor ne(double c) { return Compare.ne(this, c); }


    // ---------------------------------------------------------------- reductions

    /** Sum over {@code dims} (all dims when empty). */
    public Tensor sum(int[] dims, boolean keepDim) { return Sum.apply(this, dims, keepDim); }
    /** Sum of all elements, a 0-dim tensor. */
    public Tensor sum() { return Sum.apply(this, new int[0], false); }
    /** Mean over {@code dims} (all dims when empty). */
    public Tensor mean(int[] dims, boolean keepDim) { return Mean.apply(this, dims, keepDim); }
    /** Mean of all elements, a 0-dim tensor. */
    public Tensor mean() { return Mean.apply(this, new int[0], false); }
    /** Maximum over {@code dims} (all dims when empty). */
    public Tensor max(int[] dims, boolean keepDim) { return Max.apply(this, dims, keepDim); }
    /** Maximum of all elements, a 0-dim tensor. */
    public Tensor max() { return Max.apply(this, new int[0], false); }
    /** Minimum over {@code dims} (all dims when empty). */
    public Tensor min(int[] dims, boolean keepDim) { return Min.apply(this, dims, keepDim); }
    /** Minimum of all elements, a 0-dim tensor. */
    public Tensor min() { return Min.apply(this, new int[0], false); }

    // (reductions: more below, added by the reductions work)
    /** Variance over {@code dims} with Bessel's correction (divides by n − 1). */
    public Tensor var(int[] dims, boolean keepDim) { return Variance.apply(this, dims, keepDim, 1); }
    /** Variance over {@code dims}, dividing by n − {@code correction}. */
    public Tensor var(int[] dims, boolean keepDim, int correction) { return Variance.apply(this, dims, keepDim, correction); }
    /** Unbiased variance of all elements, a 0-dim tensor. */
    public Tensor var() { return Variance.apply(this, new int[0], false, 1); }
    /** log Σ exp over {@code dims} (all dims when empty), computed stably. */
    public Tensor logSumExp(int[] dims, boolean keepDim) { return LogSumExp.apply(this, dims, keepDim); }
    /** Index of the first maximum along {@code dim}, in this dtype; no gradient. */
    public Tensor argmax(int dim, boolean keepDim) { return ArgReduce.argmax(this, dim, keepDim); }
    /** Row-major index of the first maximum over all elements, a 0-dim tensor; no gradient. */
    public Tensor argmax() { return ArgReduce.argmax(this); }
    /** Index of the first minimum along {@code dim}, in this dtype; no gradient. */
    public Tensor argmin(int dim, boolean keepDim) { return ArgReduce.argmin(this, dim, keepDim); }
    /** Row-major index of the first minimum over all elements, a 0-dim tensor; no gradient. */
    public Tensor argmin() { return ArgReduce.argmin(this); }


    // ---------------------------------------------------------------- linear algebra

    /** Matrix product with NumPy rules: 1-D operands are promoted, batch dims broadcast. */
    public Tensor matmul(Tensor other) { return Matmul.apply(this, other); }

    // ---------------------------------------------------------------- neural-network ops

    /** Slices {@code index} along {@code dim}: y[…, i, …] = x[…, index[i], …]. */
    public Tensor indexSelect(int dim, int... index) { return IndexSelect.apply(this, dim, index); }
    /** y[i][j][k] = x[i][index[i][j][k]][k] for dim 1; index holds integers, same rank as x. */
    public Tensor gather(int dim, Tensor index) { return Gather.apply(this, dim, index); }
    /** Rows {@code ids} of the [V, D] table {@code weight}: [ids.length, D]. */
    public static Tensor embedding(Tensor weight, int... ids) { return Embedding.apply(weight, ids); }
    /** Rows of {@code weight} for integer-valued {@code ids} of any shape: [ids.shape..., D]. */
    public static Tensor embedding(Tensor weight, Tensor ids) { return Embedding.apply(weight, ids); }
    /** The tensors laid end to end along {@code dim}. */
    public static Tensor concat(int dim, Tensor... ts) { return Concat.apply(dim, ts); }
    /** Same-shaped tensors stacked along a new dim {@code dim}. */
    public static Tensor stack(int dim, Tensor... ts) { return Stack.apply(dim, ts); }
    /** e^x / Σ_dim e^x, computed stably. */
    public Tensor softmax(int dim) { return Softmax.apply(this, dim); }
    /** x − log Σ_dim e^x, computed stably. */
    public Tensor logSoftmax(int dim) { return LogSoftmax.apply(this, dim); }
    /** Mean of −this[i, targets[i]] for log-probabilities [N, C]. */
    public Tensor nllLoss(int... targets) { return NllLoss.apply(this, targets); }
    /** −this[i, targets[i]] for log-probabilities [N, C], reduced. */
    public Tensor nllLoss(int[] targets, Reduction reduction) { return NllLoss.apply(this, targets, reduction); }
    /** Mean cross-entropy of logits [N, C] against class targets. */
    public Tensor crossEntropy(int... targets) { return CrossEntropy.apply(this, targets); }
    /** Cross-entropy of logits [N, C], reduced, with label smoothing ε ∈ [0, 1]. */
    public Tensor crossEntropy(int[] targets, Reduction reduction, double labelSmoothing) {
        return CrossEntropy.apply(this, targets, reduction, labelSmoothing);
    }
    /** Cross-entropy against integer-valued targets [N], reduced, with label smoothing ε. */
    public Tensor crossEntropy(Tensor targets, Reduction reduction, double labelSmoothing) {
        return CrossEntropy.apply(this, targets, reduction, labelSmoothing);
    }
    /** Mean of (this − target)². */
    public Tensor mseLoss(Tensor target) { return MseLoss.apply(this, target); }
    /** (this − target)², reduced. */
    public Tensor mseLoss(Tensor target, Reduction reduction) { return MseLoss.apply(this, target, reduction); }
    /** Mean of |this − target|. */
    public Tensor l1Loss(Tensor target) { return L1Loss.apply(this, target); }
    /** |this − target|, reduced. */
    public Tensor l1Loss(Tensor target, Reduction reduction) { return L1Loss.apply(this, target, reduction); }
    /** 2-D convolution of [N, C, H, W] with weight [O, C, kh, kw] and bias [O] (or null). */
    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding) { return Conv2d.apply(this, weight, bias, stride, padding); }
    /** 2-D convolution with separate vertical/horizontal stride and padding. */
    public Tensor conv2d(Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        return Conv2d.apply(this, weight, bias, sh, sw, ph, pw);
    }
    /** Max over k×k windows at stride k of [N, C, H, W]. */
    public Tensor maxPool2d(int k) { return MaxPool2d.apply(this, k); }
    /** Max over k×k windows at {@code stride}. */
    public Tensor maxPool2d(int k, int stride) { return MaxPool2d.apply(this, k, stride); }
    /** Mean over k×k windows at stride k of [N, C, H, W]. */
    public Tensor avgPool2d(int k) { return AvgPool2d.apply(this, k); }
    /** Mean over k×k windows at {@code stride}. */
    public Tensor avgPool2d(int k, int stride) { return AvgPool2d.apply(this, k, stride); }
    /** Normalises over the trailing {@code normalizedShape} dims (ε = 1e-5), then weight ⊙ · + bias (each may be null). */
    public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias) { return LayerNorm.apply(this, normalizedShape, weight, bias); }
    /** Layer norm with an explicit ε. */
    public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNorm.apply(this, normalizedShape, weight, bias, eps);
    }
    /** Zeroes each element with probability p (seeded) and scales the rest by 1/(1−p) when training. */
    public Tensor dropout(double p, long seed, boolean training) { return Dropout.apply(this, p, seed, training); }


    // ---------------------------------------------------------------- text

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
