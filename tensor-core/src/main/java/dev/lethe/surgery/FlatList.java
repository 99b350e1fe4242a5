package dev.lethe.surgery;

import dev.lethe.cpu.Parallel;
import dev.lethe.tensor.DType;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A list of float32 tensors seen as one flattened vector: tensor 0's elements in row-major
 * order, then tensor 1's, and so on. Holds each tensor's backing array and offset, and runs
 * kernels over fixed chunks of the flattened index space.
 *
 * <p>Chunks are {@code [c·grain, (c+1)·grain)} of the flattened index, cut from the sizes
 * alone; a chunk that spans tensors is visited as several pieces, in order, by one thread.
 * A kernel that keeps one partial result per chunk and combines them in chunk order thus
 * gives the same bits on any number of threads.
 *
 * <p>These kernels run on the CPU (gradient surgery and the Fisher diagonal run on a device's
 * own kernels where it offers them; see {@link DeviceSurgery}). A tensor on a device is
 * otherwise copied to the host: an input as a
 * read-only copy, an output as a staged copy that {@link #bumpVersions()} writes back to the
 * device. Every writer into tensors a caller gave calls it when done; the writers into fresh
 * tensors they make on the host (Fisher sums, WAGLE scores, scratch masks) need not.
 */
final class FlatList {
    /** The tensors, contiguous (inputs that were not have been copied). */
    final List<Tensor> tensors;
    final float[][] arrays;
    final int[] offsets;
    final int[] lengths;
    /** starts[t] = flattened index of tensor t's first element; starts[size] = total. */
    final long[] starts;
    final long total;
    /** The index of tensors.get(0) in the list the caller passed (non-zero for {@link #single}), for messages. */
    final int firstIndex;
    /** For an output staged on the host: the device tensor of each staged tensor (else null); null when none is staged. */
    private final Tensor[] deviceTargets;

    private FlatList(List<Tensor> tensors, int firstIndex, Tensor[] deviceTargets) {
        this.tensors = tensors;
        this.firstIndex = firstIndex;
        this.deviceTargets = deviceTargets;
        int n = tensors.size();
        arrays = new float[n][];
        offsets = new int[n];
        lengths = new int[n];
        starts = new long[n + 1];
        for (int t = 0; t < n; t++) {
            Tensor x = tensors.get(t);
            arrays[t] = x.storage().floats();
            offsets[t] = x.offset();
            lengths[t] = x.numel();
            starts[t + 1] = starts[t] + lengths[t];
        }
        total = starts[n];
    }

    /**
     * A read-only view of {@code list}: float32 tensors, copied to contiguous form where they
     * are not, and to the host where they live on a device (these kernels run on the CPU).
     *
     * @throws IllegalArgumentException naming {@code op}, {@code what} and the index of a null
     *         or non-float32 tensor
     */
    static FlatList input(String op, String what, List<Tensor> list) {
        Tensor[] out = new Tensor[checkedSize(op, what, list)];
        for (int t = 0; t < out.length; t++) {
            Tensor x = checkFloat(op, what, list, t);
            out[t] = x.device().isCpu() ? x.contiguous() : x.to(Device.CPU);
        }
        return new FlatList(List.of(out), 0, null);
    }

    /**
     * A view of {@code list} for writing in place: every tensor must be float32 and contiguous
     * (a copy would swallow the writes). A tensor on a device is staged as a host copy, which
     * {@link #bumpVersions()} writes back.
     *
     * @throws IllegalArgumentException naming the index of a null, non-float32 or
     *         non-contiguous tensor
     */
    static FlatList output(String op, String what, List<Tensor> list) {
        requireWritable(op, what, list);
        Tensor[] out = new Tensor[list.size()];
        Tensor[] targets = null;
        for (int t = 0; t < out.length; t++) {
            Tensor x = list.get(t);
            if (x.device().isCpu()) {
                out[t] = x;
            } else {
                if (targets == null) targets = new Tensor[out.length];
                targets[t] = x;
                out[t] = x.to(Device.CPU);
            }
        }
        return new FlatList(List.of(out), 0, targets);
    }

    /**
     * Checks that every tensor of {@code list} can be written in place, tensor by tensor: float32,
     * contiguous, and on a device not sharing elements with an earlier one (written there one
     * tensor after another, or staged and written back, shared elements would take whichever
     * write came last).
     *
     * @throws IllegalArgumentException naming the index of the first tensor that cannot
     */
    static void requireWritable(String op, String what, List<Tensor> list) {
        int n = checkedSize(op, what, list);
        for (int t = 0; t < n; t++) {
            Tensor x = checkFloat(op, what, list, t);
            if (!x.isContiguous()) {
                throw new IllegalArgumentException(op + ": " + what + " tensor " + t + " " + Shapes.str(x.shape())
                        + " is written in place and must be contiguous");
            }
            if (x.device().isCpu()) continue;
            for (int u = 0; u < t; u++) {
                Tensor y = list.get(u);
                if (y.storage() == x.storage() && overlap(y.offset(), y.numel(), x.offset(), x.numel())) {
                    throw new IllegalArgumentException(op + ": " + what + " tensors " + u + " and " + t
                            + " share elements in one device storage; list each tensor once to write it in place");
                }
            }
        }
    }

    /** Whether elements [a, a + aLen) and [b, b + bLen) of one storage share any element. */
    static boolean overlap(int a, int aLen, int b, int bLen) {
        return aLen > 0 && bLen > 0 && a < b + bLen && b < a + aLen;
    }

    private static int checkedSize(String op, String what, List<Tensor> list) {
        if (list == null) throw new IllegalArgumentException(op + ": the list of " + what + " is null");
        return list.size();
    }

    private static Tensor checkFloat(String op, String what, List<Tensor> list, int t) {
        Tensor x = list.get(t);
        if (x == null) throw new IllegalArgumentException(op + ": " + what + " tensor " + t + " is null");
        if (x.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": " + what + " tensor " + t + " " + Shapes.str(x.shape()) + " is " + x.dtype()
                    + "; expected float32");
        }
        return x;
    }

    /**
     * Checks that {@code other} has as many tensors as this list, each of the same shape.
     *
     * @throws IllegalArgumentException naming both lists, the first differing tensor and both shapes
     */
    void requireSameShapes(String op, String what, FlatList other, String otherWhat) {
        requireSameShapes(op, what, tensors, other.tensors, otherWhat, firstIndex);
    }

    /**
     * {@link #requireSameShapes(String, String, FlatList, String)} on the caller's lists
     * themselves (tensor t named t + firstIndex), for passes that need no host copy.
     */
    static void requireSameShapes(String op, String what, List<Tensor> list, List<Tensor> other, String otherWhat, int firstIndex) {
        if (other.size() != list.size()) {
            throw new IllegalArgumentException(op + ": " + what + " has " + list.size() + " tensors but " + otherWhat + " has " + other.size());
        }
        for (int t = 0; t < list.size(); t++) {
            int[] a = list.get(t).shape(), b = other.get(t).shape();
            if (!Arrays.equals(a, b)) {
                throw new IllegalArgumentException(op + ": tensor " + (firstIndex + t) + " shapes differ, " + what + " is " + Shapes.str(a) + ", "
                        + otherWhat + " is " + Shapes.str(b));
            }
        }
    }

    /** Tensor {@code t} alone, as a list whose messages still call it tensor t. */
    FlatList single(int t) {
        return new FlatList(List.of(tensors.get(t)), firstIndex + t, deviceTargets == null ? null : new Tensor[] {deviceTargets[t]});
    }

    /** Where a {@link Scope} selects: this whole list for GLOBAL, each tensor alone for PER_TENSOR. */
    FlatList[] groups(Scope scope) {
        if (scope == Scope.GLOBAL) return new FlatList[] {this};
        FlatList[] out = new FlatList[size()];
        for (int t = 0; t < out.length; t++) out[t] = single(t);
        return out;
    }

    /** The caller's index of tensor {@code t}. */
    int index(int t) {
        return firstIndex + t;
    }

    int size() {
        return tensors.size();
    }

    /**
     * Marks every tensor as written in place (autograd then refuses stale saved copies), and
     * writes staged host copies back to their device tensors: every writer calls it when done.
     */
    void bumpVersions() {
        for (int t = 0; t < tensors.size(); t++) {
            tensors.get(t).storage().bumpVersion();
            Tensor target = deviceTargets == null ? null : deviceTargets[t];
            if (target != null) {
                target.storage().deviceMemory().write(target.offset(), arrays[t], offsets[t], lengths[t]);
                target.storage().bumpVersion();
            }
        }
    }

    /** One piece of a chunk: elements {@code [from, to)} of tensor {@code tensor}. */
    @FunctionalInterface
    interface PieceBody {
        void run(int chunk, int tensor, int from, int to);
    }

    /** How many chunks of {@code grain} cover the flattened list. */
    int chunkCount(int grain) {
        return (int) ((total + grain - 1) / grain);
    }

    /**
     * Runs {@code body} over every piece of every chunk of {@code grain} flattened elements.
     * Chunks run in parallel ({@link Parallel}); the pieces of one chunk run in order on one
     * thread.
     */
    void forPieces(int grain, PieceBody body) {
        int chunks = chunkCount(grain);
        Parallel.forChunks(chunks, 1, (cs, ce) -> {
            for (int c = cs; c < ce; c++) piecesOf(c, grain, body);
        });
    }

    /** Runs {@code body} over the pieces of chunk {@code c}, in order, on this thread. */
    void piecesOf(int c, int grain, PieceBody body) {
        long s = (long) c * grain, e = Math.min(total, s + grain);
        int t = tensorAt(s);
        while (s < e) {
            int from = (int) (s - starts[t]);
            int to = (int) (Math.min(e, starts[t + 1]) - starts[t]);
            if (to > from) body.run(c, t, from, to);
            s = starts[t] + to;
            t++;
        }
    }

    /** The tensor holding flattened element {@code i}: the last one starting at or before i (empty tensors are skipped). */
    int tensorAt(long i) {
        int lo = 0, hi = tensors.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
