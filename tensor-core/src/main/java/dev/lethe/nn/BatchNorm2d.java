package dev.lethe.nn;

/** {@link BatchNorm} over [N, C, H, W]: statistics per channel C over N, H and W. */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels) {
        super(channels);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedShape() {
        return "[N, C, H, W]";
    }
}
