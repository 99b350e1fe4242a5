package dev.lethe.cuda;

/**
 * Every kernel of {@code src/main/cuda}: the PTX module (file name without {@code .ptx}) it
 * sits in and its entry name. KernelCatalogTest checks that each entry exists in the
 * committed PTX and that each PTX entry is listed here.
 */
public enum Kernel {
    UNARY("elementwise", "unary_f32"),
    BINARY("elementwise", "binary_f32"),
    BINARY_STRIDED("elementwise", "binary_strided_f32"),
    WHERE_STRIDED("elementwise", "where_strided_f32"),
    COPY_STRIDED("elementwise", "copy_strided_f32"),
    REDUCE_ROWS("reduce", "reduce_rows_f32"),
    REDUCE_COLS("reduce", "reduce_cols_f32"),
    ARG_REDUCE("reduce", "argreduce_f32"),
    DOT_PARTIALS("reduce", "dot_partials_f32"),
    SOFTMAX_ROWS("softmax", "softmax_rows_f32"),
    SOFTMAX_XENT("softmax", "softmax_xent_f32"),
    SOFTMAX_XENT_BACKWARD("softmax", "softmax_xent_backward_f32"),
    IM2COL("conv", "im2col_f32"),
    COL2IM("conv", "col2im_f32"),
    MAXPOOL_FORWARD("pool", "maxpool_forward_f32"),
    MAXPOOL_BACKWARD("pool", "maxpool_backward_f32"),
    INDEX_SELECT("index", "index_select_f32"),
    INDEX_ADD("index", "index_add_f32"),
    GATHER("index", "gather_f32"),
    SCATTER_ADD("index", "scatter_add_f32"),
    SGD_STEP("optim", "sgd_step_f32"),
    ADAM_STEP("optim", "adam_step_f32"),
    RADIX_HISTOGRAM("select", "radix_histogram_f32"),
    COUNT_TIES("select", "count_ties_f32"),
    TOPK_MASK("select", "topk_mask_f32"),
    SAMPLE_KEYS("select", "sample_keys_f32"),
    BRACKET_MASK("select", "bracket_mask_f32"),
    MARK_CANDIDATES("select", "mark_candidates_f32"),
    PRUNE("surgery", "prune_f32"),
    APPLY_MASK("surgery", "apply_mask_f32"),
    AXPY("surgery", "axpy_f32"),
    FISHER_ADD("surgery", "fisher_add_f32"),
    DOTS3_PARTIALS("surgery", "dots3_partials_f64"),
    SURGERY_COMBINE("surgery", "surgery_combine_f32"),
    SSD_DAMPEN("surgery", "ssd_dampen_f32"),
    SGEMM_TILED("gemm", "sgemm_tiled_f32");

    private final String module;
    private final String entry;

    Kernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }

    /** The PTX module, e.g. "elementwise" for {@code elementwise.ptx}. */
    public String module() {
        return module;
    }

    /** The kernel's PTX entry name. */
    public String entry() {
        return entry;
    }
}
