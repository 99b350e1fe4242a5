package dev.lethe.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Every differentiable op with its formula, derivative, samples and error inputs. Tests
 * gradcheck every sample, compare float32 against float64 on it, and fail when an op class
 * in {@code dev.lethe.ops} has no entry; the auditors' view prints it.
 */
public final class OpTable {
    private OpTable() {}

    /** All entries, grouped as the README's op table is. */
    public static List<OpInfo> all() {
        List<OpInfo> all = new ArrayList<>();
        all.addAll(ElementwiseOpInfos.all());
        all.addAll(ReductionOpInfos.all());
        all.addAll(ShapeOpInfos.all());
        all.addAll(NnOpInfos.all());
        all.addAll(IndexingOpInfos.all());
        return all;
    }
}
