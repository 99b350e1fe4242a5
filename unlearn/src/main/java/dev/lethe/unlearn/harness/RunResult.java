package dev.lethe.unlearn.harness;

import java.util.List;

/**
 * Every row for one (seed, scenario, request).
 *
 * @param seed                   the run's seed
 * @param scenario               the scenario spec, e.g. {@code random:0.1}
 * @param request                0-based index of the request within the scenario
 * @param requests               how many requests the scenario makes (1 unless a sequence)
 * @param forgetSize             |D_f|
 * @param retainSize             |D_r|
 * @param testSize               |D_t|
 * @param forgottenClass         the class of a class-wise request, or −1
 * @param miaSamples             n, the attacker's members and non-members each
 * @param originalTrainSeconds   how long training θ0 took (NaN when it was supplied)
 * @param results                the rows: the original first, then each method in the order given, then the noise floor
 */
public record RunResult(long seed, String scenario, int request, int requests, int forgetSize, int retainSize, int testSize, int forgottenClass,
                        int miaSamples, double originalTrainSeconds, List<MethodResult> results) {
    public RunResult {
        results = List.copyOf(results);
    }

    /** The row of {@code method}, or null. */
    public MethodResult row(String method) {
        for (MethodResult r : results) if (r.method().equals(method)) return r;
        return null;
    }

    /** {@code scenario}, with {@code (request i/n)} for a sequence. */
    public String label() {
        return requests == 1 ? scenario : scenario + " (request " + (request + 1) + "/" + requests + ")";
    }
}
