package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.Role;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows of one request in report order: the references first — Retrain (the target), the
 * noise-floor Retrain, the original — then the methods ranked by mean average gap to Retrain,
 * smallest first (rows without a gap last, by name).
 */
final class RankedRows {
    private RankedRows() {}

    /** One row and its rank among the methods (0 for a reference row). */
    record Ranked(AggregateRow row, int rank) {
        /** "ref" for a reference row, "—" for a method without a gap (it failed, or there is no Retrain), else the rank. */
        String label() {
            if (rank == 0) return "ref";
            return Double.isNaN(row.avgGap().mean()) ? Fmt.NONE : Integer.toString(rank);
        }
    }

    static List<Ranked> of(List<AggregateRow> group) {
        List<Ranked> out = new ArrayList<>();
        for (Role role : new Role[] {Role.RETRAIN, Role.NOISE_FLOOR, Role.ORIGINAL}) {
            for (AggregateRow r : group) if (r.role() == role) out.add(new Ranked(r, 0));
        }
        List<AggregateRow> methods = new ArrayList<>();
        for (AggregateRow r : group) if (r.role() == Role.METHOD) methods.add(r);
        methods.sort(Comparator.comparingDouble((AggregateRow r) -> Double.isNaN(r.avgGap().mean()) ? Double.POSITIVE_INFINITY : r.avgGap().mean())
                .thenComparing(AggregateRow::method));
        for (int i = 0; i < methods.size(); i++) out.add(new Ranked(methods.get(i), i + 1));
        return out;
    }

    /** The rows only, in report order. */
    static List<AggregateRow> rows(List<AggregateRow> group) {
        return of(group).stream().map(Ranked::row).toList();
    }
}
