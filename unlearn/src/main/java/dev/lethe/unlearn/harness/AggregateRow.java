package dev.lethe.unlearn.harness;

import java.util.Map;

/**
 * One method on one request of one scenario, over every seed.
 *
 * @param scenario        the scenario spec
 * @param request         0-based request index
 * @param requests        the scenario's number of requests
 * @param method          the row's name
 * @param role            what it stands for
 * @param seeds           how many seeds have this row (failed ones included)
 * @param ua              UA over seeds
 * @param ra              RA over seeds
 * @param ta              TA over seeds
 * @param miaEfficacy     MIA-efficacy over seeds
 * @param seconds         unlearning seconds over seeds
 * @param avgGap          average gap to Retrain over seeds
 * @param perClassTestAcc per-class test accuracy, mean over seeds
 * @param notes           each note key with its distinct values over seeds, joined by {@code ", "}
 * @param failures        how many seeds the method failed on
 */
public record AggregateRow(String scenario, int request, int requests, String method, Role role, int seeds, Stat ua, Stat ra, Stat ta, Stat miaEfficacy,
                           Stat seconds, Stat avgGap, double[] perClassTestAcc, Map<String, String> notes, int failures) {
    public AggregateRow {
        perClassTestAcc = perClassTestAcc.clone();
        notes = Map.copyOf(notes);
    }

    @Override
    public double[] perClassTestAcc() {
        return perClassTestAcc.clone();
    }

    /** {@code scenario}, with {@code (request i/n)} for a sequence. */
    public String label() {
        return requests == 1 ? scenario : scenario + " (request " + (request + 1) + "/" + requests + ")";
    }
}
