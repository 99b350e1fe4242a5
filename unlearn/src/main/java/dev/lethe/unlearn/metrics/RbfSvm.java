package dev.lethe.unlearn.metrics;

import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * A binary soft-margin SVM with the RBF kernel k(x, x′) = exp(−γ‖x − x′‖²), trained by
 * LIBSVM (the solver scikit-learn's {@code SVC} wraps) with scikit-learn's defaults besides
 * C and γ: C-SVC, tolerance ε = 1e-3, shrinking on, no probability estimates, 100 MB kernel
 * cache. It solves min_α ½αᵀQα − 1ᵀα, 0 ≤ α_i ≤ C, yᵀα = 0 (Q_ij = y_i y_j k(x_i, x_j)) and
 * predicts sign(Σ_i α_i y_i k(x_i, x) + b). Deterministic: without probability estimates
 * LIBSVM draws no random numbers.
 */
public final class RbfSvm {
    static {
        // LIBSVM prints its optimisation trace to stdout by default; a library must stay quiet.
        svm.svm_set_print_string_function(s -> {});
    }

    private final svm_model model;
    private final int features;

    private RbfSvm(svm_model model, int features) {
        this.model = model;
        this.features = features;
    }

    /**
     * Trains on rows {@code x} (each of the same length d ≥ 1) with labels {@code y} ∈ {0, 1}.
     *
     * @param c     the box constraint C &gt; 0
     * @param gamma the kernel width γ &gt; 0
     * @throws IllegalArgumentException if the rows are ragged or empty, a label is not 0 or 1,
     *         only one label occurs, or C or γ is not positive
     */
    public static RbfSvm fit(double[][] x, int[] y, double c, double gamma) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("svm: need as many labels as rows, at least one, got " + x.length + " rows and " + y.length + " labels");
        }
        if (!(c > 0) || !(gamma > 0)) throw new IllegalArgumentException("svm: C and γ must be positive, got C = " + c + ", γ = " + gamma);
        int d = x[0].length;
        boolean[] seen = new boolean[2];
        svm_problem p = new svm_problem();
        p.l = x.length;
        p.y = new double[x.length];
        p.x = new svm_node[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d || d == 0) {
                throw new IllegalArgumentException("svm: row " + i + " has " + x[i].length + " features, row 0 has " + d + " (need ≥ 1)");
            }
            if (y[i] != 0 && y[i] != 1) throw new IllegalArgumentException("svm: label " + i + " is " + y[i] + ", expected 0 or 1");
            seen[y[i]] = true;
            p.y[i] = y[i];
            p.x[i] = nodes(x[i]);
        }
        if (!seen[0] || !seen[1]) throw new IllegalArgumentException("svm: the training rows carry only label " + (seen[0] ? 0 : 1));
        svm_parameter param = parameters(c, gamma);
        String problem = svm.svm_check_parameter(p, param);
        if (problem != null) throw new IllegalArgumentException("svm: " + problem);
        return new RbfSvm(svm.svm_train(p, param), d);
    }

    /** scikit-learn's SVC defaults with the given C and γ. */
    static svm_parameter parameters(double c, double gamma) {
        svm_parameter param = new svm_parameter();
        param.svm_type = svm_parameter.C_SVC;
        param.kernel_type = svm_parameter.RBF;
        param.C = c;
        param.gamma = gamma;
        param.eps = 1e-3;
        param.cache_size = 100;
        param.shrinking = 1;
        param.probability = 0;
        param.nr_weight = 0;
        param.weight_label = new int[0];
        param.weight = new double[0];
        return param;
    }

    /** LIBSVM's sparse row: feature j (1-based index) for every j, zeros included. */
    private static svm_node[] nodes(double[] row) {
        svm_node[] out = new svm_node[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = new svm_node();
            out[j].index = j + 1;
            out[j].value = row[j];
        }
        return out;
    }

    /** The predicted label, 0 or 1, of one row. Thread-safe: the model is only read. */
    public int predict(double[] row) {
        if (row.length != features) throw new IllegalArgumentException("svm: row has " + row.length + " features, the model " + features);
        return (int) svm.svm_predict(model, nodes(row));
    }

    /**
     * The predicted label of every row, the rows spread over the common fork-join pool: each
     * prediction sums one kernel term per support vector, and an attacker on overlapping data
     * keeps nearly every training row as one, so this is where the time goes. The labels do
     * not depend on the split: every row is predicted on its own.
     */
    public int[] predictAll(double[][] rows) {
        return java.util.stream.IntStream.range(0, rows.length).parallel().map(i -> predict(rows[i])).toArray();
    }

    /** Number of support vectors (rows with α_i &gt; 0). */
    public int supportVectors() {
        return svm.svm_get_nr_sv(model);
    }
}
