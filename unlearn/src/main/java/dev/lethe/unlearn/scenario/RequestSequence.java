package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.Scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario as a list of requests applied one after another; a single request is a list
 * of one. Request i (0-based):
 * <ul>
 *   <li>draws its forget set D_f,i from the training samples no earlier request took, with
 *       seed {@code CounterRandom.bits(seed, i)} (so {@code seq:random:0.1x1} and
 *       {@code random:0.1} give the same split);</li>
 *   <li>retain set D_r,i = D minus everything forgotten by requests 0…i, in training order;</li>
 *   <li>test set D_t,i = the test set without every class forgotten by requests 0…i.</li>
 * </ul>
 */
record RequestSequence(String spec, List<Selection> requests) implements Scenario {
    RequestSequence {
        requests = List.copyOf(requests);
        if (requests.isEmpty()) throw new IllegalArgumentException(spec + ": no requests");
    }

    @Override
    public List<ForgetSplit> splits(Dataset train, Dataset test, long seed) {
        int numClasses = Math.max(train.numClasses(), test.numClasses());
        boolean[] gone = new boolean[train.size()];
        boolean[] classGone = new boolean[numClasses];
        int forgotten = 0;
        List<ForgetSplit> out = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            Selection request = requests.get(r);
            String name = requests.size() == 1 ? spec : spec + " request " + (r + 1) + "/" + requests.size();
            int[] forget = request.select(train, gone, numClasses, CounterRandom.bits(seed, r));
            if (forget.length == 0) throw new IllegalArgumentException(name + ": " + request.spec() + " selects no sample");
            for (int i : forget) gone[i] = true;
            forgotten += forget.length;
            if (forgotten == train.size()) {
                throw new IllegalArgumentException(name + ": " + request.spec() + " forgets every remaining training sample; nothing would be retained");
            }
            if (request.forgottenClass() >= 0) classGone[request.forgottenClass()] = true;
            Dataset testLeft = test.subset(keptTestIndices(test, classGone));
            if (testLeft.size() == 0) throw new IllegalArgumentException(name + ": no test sample is left once the forgotten classes are removed");
            out.add(new ForgetSplit(name, train, forget, train.subset(forget), train.subset(remaining(gone, train.size() - forgotten)), testLeft,
                    request.forgottenClass()));
        }
        return List.copyOf(out);
    }

    private static int[] remaining(boolean[] gone, int count) {
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < gone.length; i++) if (!gone[i]) out[j++] = i;
        return out;
    }

    private static int[] keptTestIndices(Dataset test, boolean[] classGone) {
        int[] keep = new int[test.size()];
        int n = 0;
        for (int i = 0; i < test.size(); i++) {
            int label = test.label(i);
            if (label >= classGone.length || !classGone[label]) keep[n++] = i;
        }
        return java.util.Arrays.copyOf(keep, n);
    }
}
