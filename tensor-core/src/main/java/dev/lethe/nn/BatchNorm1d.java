package dev.lethe.nn;

/** {@link BatchNorm} over [N, C] or [N, C, L]: statistics per feature C. */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        super(features);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedShape() {
        return "[N, C] or [N, C, L]";
    }
}
