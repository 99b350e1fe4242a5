package dev.lethe.data;

import dev.lethe.backend.TestDeviceProvider;
import dev.lethe.tensor.CounterRandom;
import dev.lethe.tensor.Device;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** DataLoader: batches cover the data set, and each epoch's order is a pure function of (seed, epoch). */
class DataLoaderTest {
    private static int[] visited(DataLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        for (DataLoader.Batch b : loader.epoch(epoch)) for (int i : b.indices()) seen.add(i);
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchesHoldTheRowsAndLabelsOfTheirIndices() {
        Dataset d = DatasetTest.numbered(10);
        DataLoader loader = new DataLoader(d, 4, true, 7, false);
        int batches = 0;
        for (DataLoader.Batch b : loader) {
            batches++;
            assertArrayEquals(new int[] {b.size(), 2}, b.inputs().shape());
            assertTrue(b.inputs().isContiguous());
            float[] x = b.inputs().toFloatArray();
            for (int r = 0; r < b.size(); r++) {
                int i = b.indices()[r];
                assertEquals(i, x[2 * r]);
                assertEquals(10 + i, x[2 * r + 1]);
                assertEquals(i % 3, b.labels()[r]);
            }
        }
        assertEquals(3, batches);
        assertEquals(3, loader.numBatches());
    }

    @Test
    void everyEpochIsAPermutationAndDropLastSkipsTheShortBatch() {
        Dataset d = DatasetTest.numbered(10);
        int[] all = visited(new DataLoader(d, 4, true, 1, false), 3);
        int[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        DataLoader dropping = new DataLoader(d, 4, true, 1, true);
        assertEquals(2, dropping.numBatches());
        assertArrayEquals(Arrays.copyOf(all, 8), visited(dropping, 3));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, visited(new DataLoader(d, 3, false, 1, false), 5));
    }

    @Test
    void theOrderIsAPureFunctionOfSeedAndEpoch() {
        Dataset d = DatasetTest.numbered(50);
        DataLoader a = new DataLoader(d, 8, true, 99, false), b = new DataLoader(d, 5, true, 99, false);
        for (int e = 0; e < 4; e++) b.order(e); // history does not matter
        assertArrayEquals(a.order(3), b.order(3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(0), new DataLoader(d, 8, true, 100, false).order(0)));
        a.setEpoch(2);
        assertArrayEquals(a.order(2), visited(a, 2));
        List<Integer> viaIterator = new ArrayList<>();
        for (DataLoader.Batch batch : a) for (int i : batch.indices()) viaIterator.add(i);
        assertArrayEquals(a.order(2), viaIterator.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The documented shuffle, written out: Fisher–Yates from the top, partner below(seed ^ epoch, i, i + 1). */
    @Test
    void theShuffleIsTheDocumentedFisherYates() {
        int n = 13;
        long seed = 123456789L;
        int epoch = 4;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = CounterRandom.below(seed ^ epoch, i, i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        assertArrayEquals(p, new DataLoader(DatasetTest.numbered(n), 2, true, seed, false).order(epoch));
    }

    /** All 6 orders of 3 items come up about equally often over 6 000 epochs (an off-by-one would rule some out). */
    @Test
    void allOrdersAreEquallyLikely() {
        DataLoader loader = new DataLoader(DatasetTest.numbered(3), 3, true, 5, false);
        Map<String, Integer> counts = new HashMap<>();
        for (int e = 0; e < 6000; e++) counts.merge(Arrays.toString(loader.order(e)), 1, Integer::sum);
        assertEquals(6, counts.size(), counts.toString());
        for (int c : counts.values()) assertTrue(c > 850 && c < 1150, counts.toString()); // ±5σ of a binomial(6000, 1/6)
    }

    @Test
    void rejectsBadArguments() {
        Dataset d = DatasetTest.numbered(3);
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(d, 0, true, 1, false));
        assertEquals("dataLoader: batch size must be at least 1, got 0", e.getMessage());
        DataLoader loader = new DataLoader(d, 2, false, 1, false);
        e = assertThrows(IllegalArgumentException.class, () -> loader.setEpoch(-1));
        assertEquals("dataLoader: epoch must be ≥ 0, got -1", e.getMessage());
    }

    @Test
    void onADeviceTheBatchesAreGatheredThereWithTheSameOrderAndValues() {
        Dataset d = DatasetTest.numbered(11);
        DataLoader host = new DataLoader(d, 4, true, 5, false);
        host.setEpoch(2);
        DataLoader dev = host.on(TestDeviceProvider.DEV0);
        assertSame(dev, dev.on(TestDeviceProvider.DEV0), "already there: no second copy");
        assertSame(host, host.on(Device.CPU));
        assertEquals(2, dev.epoch(), "the selected epoch comes along");
        for (int e = 0; e < 3; e++) {
            List<DataLoader.Batch> a = new ArrayList<>(), b = new ArrayList<>();
            host.epoch(e).forEach(a::add);
            dev.epoch(e).forEach(b::add);
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                assertEquals(TestDeviceProvider.DEV0, b.get(k).inputs().device());
                assertArrayEquals(a.get(k).indices(), b.get(k).indices());
                assertArrayEquals(a.get(k).labels(), b.get(k).labels());
                assertArrayEquals(a.get(k).inputs().shape(), b.get(k).inputs().shape());
                assertArrayEquals(a.get(k).inputs().toFloatArray(), b.get(k).inputs().toFloatArray(), "epoch " + e + " batch " + k);
            }
        }
        assertEquals(Device.CPU, dev.on(Device.CPU).epoch(0).iterator().next().inputs().device());
    }

    @Test
    void loadersOverTheSameInputsShareOneDeviceCopyUntilTheInputsChange() {
        Dataset d = DatasetTest.numbered(9);
        int before = TestDeviceProvider.hostCopies();
        DataLoader a = new DataLoader(d, 4, true, 1, false).on(TestDeviceProvider.DEV0);
        int afterFirst = TestDeviceProvider.hostCopies();
        int[] relabelled = d.labels();
        relabelled[0] = (relabelled[0] + 1) % 3;
        DataLoader b = new DataLoader(new Dataset(d.inputs(), relabelled), 2, true, 2, false).on(TestDeviceProvider.DEV0);
        assertTrue(afterFirst > before, "the first loader copied the inputs");
        assertEquals(afterFirst, TestDeviceProvider.hostCopies(), "a second loader over the same inputs (new labels) copies nothing");
        DataLoader.Batch first = b.epoch(0).iterator().next();
        for (int k = 0; k < first.size(); k++) assertEquals(relabelled[first.indices()[k]], first.labels()[k], "the new labels");
        d.inputs().narrow(0, 0, 1).fill_(-5); // written in place: a stale copy must not be used
        DataLoader c = new DataLoader(d, 9, false, 0, false).on(TestDeviceProvider.DEV0);
        assertEquals(-5f, c.epoch(0).iterator().next().inputs().toFloatArray()[0], "the copy follows the inputs' new values");
        assertEquals(3, a.numBatches(), "the first loader was in use all along (the cache holds copies only while one is)");
    }
}
