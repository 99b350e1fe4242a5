package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.RunResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One request of one scenario as the report shows it: the runs of every seed and the rows
 * aggregated over them, ranked ({@link RankedRows}).
 */
record Section(String label, List<RunResult> runs, List<RankedRows.Ranked> ranked) {
    /** The sections of a result, in run order. */
    static List<Section> of(ExperimentResult r) {
        List<AggregateRow> all = r.aggregate();
        List<Section> out = new ArrayList<>();
        for (List<RunResult> group : r.groups()) {
            RunResult first = group.get(0);
            List<AggregateRow> rows = all.stream().filter(a -> a.scenario().equals(first.scenario()) && a.request() == first.request()).toList();
            out.add(new Section(first.label(), group, RankedRows.of(rows)));
        }
        return out;
    }

    /** The rows in report order. */
    List<AggregateRow> rows() {
        return ranked.stream().map(RankedRows.Ranked::row).toList();
    }
}
