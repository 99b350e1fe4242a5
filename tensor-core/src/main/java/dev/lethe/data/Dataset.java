package dev.lethe.data;

import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Tensor;

import java.util.Arrays;

/**
 * A labelled data set held in memory: an inputs tensor {@code [N, …]} (item i is
 * {@code inputs[i]}) and one class label per item. Immutable: every method that changes the
 * selection returns a new data set with freshly copied rows, in the order asked for.
 *
 * <p>The inputs never require grad and are kept contiguous, so selecting items is a plain
 * array copy per row.
 */
public final class Dataset {
    private final Tensor inputs;
    private final int[] labels;

    /**
     * @param inputs {@code [N, …]}, float32 or float64 (copied to a contiguous tensor if it is a strided view)
     * @param labels N class labels, each ≥ 0 (copied)
     * @throws IllegalArgumentException if inputs is a scalar, the counts differ or a label is negative
     */
    public Dataset(Tensor inputs, int[] labels) {
        if (inputs.dim() == 0) throw new IllegalArgumentException("dataset: inputs must be [N, ...], got a scalar");
        if (inputs.size(0) != labels.length) {
            throw new IllegalArgumentException("dataset: inputs " + Shapes.str(inputs.shape()) + " hold " + inputs.size(0)
                    + " items but there are " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) throw new IllegalArgumentException("dataset: label " + i + " is negative (" + labels[i] + ")");
        }
        this.inputs = inputs.detach().contiguous();
        this.labels = labels.clone();
    }

    /** Number of items N. */
    public int size() {
        return labels.length;
    }

    /** The inputs {@code [N, …]}, contiguous; treat as read-only (it is shared, not copied). */
    public Tensor inputs() {
        return inputs;
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The label of item {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** The shape of one item: the inputs' shape without its first dimension. */
    public int[] itemShape() {
        int[] s = inputs.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** 1 + the largest label (0 for an empty data set). */
    public int numClasses() {
        int max = -1;
        for (int l : labels) max = Math.max(max, l);
        return max + 1;
    }

    /** How many items carry each label 0 … numClasses−1. */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            if (l >= numClasses) throw new IllegalArgumentException("classCounts: label " + l + " is not below " + numClasses);
            counts[l]++;
        }
        return counts;
    }

    /**
     * The items at {@code indices}, in that order (repeats allowed).
     *
     * @throws IndexOutOfBoundsException naming an index outside [0, N)
     */
    public Dataset subset(int[] indices) {
        Tensor rows = Rows.gather(inputs, indices);
        int[] ls = new int[indices.length];
        for (int r = 0; r < indices.length; r++) ls[r] = labels[indices[r]];
        return new Dataset(rows, ls);
    }

    /** Indices of the items labelled {@code k}, ascending. */
    public int[] classIndices(int k) {
        return indicesWhere(k, true);
    }

    /** This data set without the items labelled {@code k}, order kept. */
    public Dataset withoutClass(int k) {
        return subset(indicesWhere(k, false));
    }

    private int[] indicesWhere(int k, boolean equal) {
        int n = 0;
        for (int l : labels) if ((l == k) == equal) n++;
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < labels.length; i++) if ((labels[i] == k) == equal) out[j++] = i;
        return out;
    }

    /**
     * The same items with each reshaped to {@code itemShape} (one size may be −1), e.g.
     * {@code withItemShape(784)} flattens {@code [N, 1, 28, 28]} images to {@code [N, 784]}.
     * A view: no data is copied.
     */
    public Dataset withItemShape(int... itemShape) {
        int[] shape = new int[itemShape.length + 1];
        shape[0] = size();
        System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
        return new Dataset(inputs.reshape(shape), labels);
    }

    /** The same items with inputs {@code (x − mean) / std}. */
    public Dataset normalized(Normalization n) {
        return new Dataset(inputs.sub(n.mean()).div(n.std()), labels);
    }

    /**
     * The parts one after the other.
     *
     * @throws IllegalArgumentException if the parts' item shapes or dtypes differ, or none is given
     */
    public static Dataset concat(Dataset... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no data sets given");
        Tensor[] ts = new Tensor[parts.length];
        int n = 0;
        for (int p = 0; p < parts.length; p++) {
            if (!Arrays.equals(parts[p].itemShape(), parts[0].itemShape()) || parts[p].inputs.dtype() != parts[0].inputs.dtype()) {
                throw new IllegalArgumentException("concat: part " + p + " has items " + Shapes.str(parts[p].itemShape()) + " "
                        + parts[p].inputs.dtype() + ", part 0 has " + Shapes.str(parts[0].itemShape()) + " " + parts[0].inputs.dtype());
            }
            ts[p] = parts[p].inputs;
            n += parts[p].size();
        }
        int[] ls = new int[n];
        int at = 0;
        for (Dataset d : parts) {
            System.arraycopy(d.labels, 0, ls, at, d.size());
            at += d.size();
        }
        return new Dataset(Tensor.concat(0, ts), ls);
    }

    /**
     * Indices of the first {@code perClass} items of each class, in their original order:
     * the class-balanced subset that keeps whatever order the source had.
     *
     * @throws IllegalArgumentException if some class present in {@code labels} has fewer than {@code perClass} items
     */
    public static int[] firstPerClass(int[] labels, int perClass) {
        int classes = 0;
        for (int l : labels) classes = Math.max(classes, l + 1);
        int[] taken = new int[classes];
        int[] out = new int[classes * perClass];
        int j = 0;
        for (int i = 0; i < labels.length && j < out.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                out[j++] = i;
            }
        }
        for (int k = 0; k < classes; k++) {
            if (taken[k] < perClass) {
                throw new IllegalArgumentException("firstPerClass: class " + k + " has " + taken[k] + " items, fewer than " + perClass);
            }
        }
        return out;
    }
}
