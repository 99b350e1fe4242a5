package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;
import dev.lethe.tensor.Tensor;
import dev.lethe.unlearn.ForgetSplit;
import dev.lethe.unlearn.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ScenariosTest {
    /** 100 training items, item i holds the value i and label i % 10; 30 test items, label i % 10. */
    static final Dataset TRAIN = data(100);
    static final Dataset TEST = data(30);

    static Dataset data(int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        return new Dataset(Tensor.arange(n).reshape(n, 1), labels);
    }

    /** The item values of a data set, which for TRAIN are the training indices. */
    static int[] values(Dataset d) {
        float[] v = d.inputs().toFloatArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    static ForgetSplit only(String spec, long seed) {
        List<ForgetSplit> s = Scenarios.parse(spec).splits(TRAIN, TEST, seed);
        assertEquals(1, s.size());
        return s.get(0);
    }

    static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Scenarios.parse(spec).splits(TRAIN, TEST, 0)).getMessage();
    }

    @Test
    void classForgetsEveryItemOfTheClassAndDropsItFromTheTestSet() {
        ForgetSplit s = only("class:3", 0);
        assertEquals("class:3", s.scenario());
        assertEquals(3, s.forgottenClass());
        assertTrue(s.classWise());
        assertArrayEquals(new int[] {3, 13, 23, 33, 43, 53, 63, 73, 83, 93}, s.forgetIndices());
        assertArrayEquals(s.forgetIndices(), values(s.forget()));
        assertEquals(90, s.retain().size());
        assertTrue(Arrays.stream(s.retain().labels()).noneMatch(l -> l == 3));
        assertEquals(27, s.test().size());
        assertTrue(Arrays.stream(s.test().labels()).noneMatch(l -> l == 3));
        assertSame(TRAIN, s.train());
    }

    @Test
    void classOutsideTheLabelsIsRefusedNamingItAndTheRange() {
        String msg = error("class:10");
        assertTrue(msg.contains("class 10") && msg.contains("[0, 10)"), msg);
        assertTrue(error("class:-1").contains("'-1'"));
        assertTrue(error("class:two").contains("'two'"));
    }

    @Test
    void randomTakesRoundedFractionSortedDistinctAndKeepsTheTestSet() {
        ForgetSplit s = only("random:0.29", 7);
        int[] f = s.forgetIndices();
        assertEquals(29, f.length, "round(0.29·100) although 0.29·100 < 29 in floating point");
        for (int i = 1; i < f.length; i++) assertTrue(f[i - 1] < f[i]);
        assertArrayEquals(f, values(s.forget()));
        Set<Integer> forgotten = new HashSet<>();
        for (int i : f) forgotten.add(i);
        for (int v : values(s.retain())) assertFalse(forgotten.contains(v));
        assertEquals(71, s.retain().size());
        assertEquals(TEST.size(), s.test().size());
        assertEquals(-1, s.forgottenClass());
    }

    @Test
    void randomIsAFunctionOfTheSeed() {
        assertArrayEquals(only("random:0.1", 42).forgetIndices(), only("random:0.1", 42).forgetIndices());
        assertFalse(Arrays.equals(only("random:0.1", 42).forgetIndices(), only("random:0.1", 43).forgetIndices()));
    }

    @Test
    void randomFractionOutsideTheOpenIntervalOrTooSmallIsRefused() {
        assertTrue(error("random:0").contains("outside (0, 1)"));
        assertTrue(error("random:1").contains("outside (0, 1)"));
        assertTrue(error("random:abc").contains("'abc' is not a number"));
        assertTrue(error("random:0.001").contains("0 samples"));
        assertTrue(error("random:0.999").contains("nothing would be retained"));
    }

    @Test
    void sequenceOfRandomRequestsDrawsFromWhatRemainsAndRetainShrinks() {
        List<ForgetSplit> seq = Scenarios.parse("seq:random:0.1x4").splits(TRAIN, TEST, 5);
        assertEquals(4, seq.size());
        Set<Integer> all = new HashSet<>();
        for (int r = 0; r < 4; r++) {
            ForgetSplit s = seq.get(r);
            assertEquals("seq:random:0.1x4 request " + (r + 1) + "/4", s.scenario());
            assertEquals(10, s.forgetIndices().length);
            for (int i : s.forgetIndices()) assertTrue(all.add(i), "request " + r + " forgets " + i + " again");
            assertEquals(100 - all.size(), s.retain().size());
            for (int v : values(s.retain())) assertFalse(all.contains(v));
        }
        assertArrayEquals(only("random:0.1", 5).forgetIndices(), seq.get(0).forgetIndices(), "the first request equals the single one");
    }

    @Test
    void sequenceOfClassesDropsEveryForgottenClassFromTheTestSet() {
        List<ForgetSplit> seq = Scenarios.parse("seq:class:0,4,7").splits(TRAIN, TEST, 0);
        assertEquals(List.of(0, 4, 7), seq.stream().map(ForgetSplit::forgottenClass).toList());
        assertEquals(List.of(90, 80, 70), seq.stream().map(s -> s.retain().size()).toList());
        assertEquals(List.of(27, 24, 21), seq.stream().map(s -> s.test().size()).toList());
        for (int l : seq.get(2).test().labels()) assertTrue(l != 0 && l != 4 && l != 7);
    }

    @Test
    void sequenceErrors() {
        assertTrue(error("seq:class:1x2").contains("already forgotten"));
        assertTrue(error("seq:random:0.3x4").contains("only 10 remain"));
        assertTrue(error("seq:random:0.1x0").contains("positive integer"));
        assertTrue(error("seq:seq:random:0.1x2").contains("do not nest"));
        assertTrue(error("seq:class:1,,2").contains("empty item"));
        assertTrue(error("seq:oops").contains("valid forms"));
    }

    @Test
    void unknownKindListsTheValidForms() {
        String msg = error("bogus:3");
        assertTrue(msg.contains("'bogus:3'") && msg.contains(Scenarios.FORMS), msg);
        assertTrue(error("").contains("valid forms"));
    }

    @Test
    void indicesFileAcceptsLinesCommasAndSpaces(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("forget.txt");
        Files.writeString(f, "17\n3, 5 9\n\n  42,\t8\n");
        ForgetSplit s = only("indices:" + f, 0);
        assertArrayEquals(new int[] {3, 5, 8, 9, 17, 42}, s.forgetIndices());
        assertArrayEquals(s.forgetIndices(), values(s.forget()));
        assertEquals(94, s.retain().size());
    }

    @Test
    void indicesFileErrorsNameTheFileLineAndValue(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "1\n2\n1\n");
        String dup = assertThrows(IllegalArgumentException.class, () -> Scenarios.parse("indices:" + f)).getMessage();
        assertTrue(dup.contains("bad.txt line 3") && dup.contains("index 1 repeats (first on line 1)"), dup);

        Files.writeString(f, "1\n2,x7\n");
        String nan = assertThrows(IllegalArgumentException.class, () -> Scenarios.parse("indices:" + f)).getMessage();
        assertTrue(nan.contains("bad.txt line 2") && nan.contains("'x7'"), nan);

        Files.writeString(f, "4\n-3\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenarios.parse("indices:" + f)).getMessage().contains("'-3'"));

        Files.writeString(f, " \n\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenarios.parse("indices:" + f)).getMessage().contains("holds no indices"));

        Files.writeString(f, "5\n100\n");
        String out = error("indices:" + f);
        assertTrue(out.contains("bad.txt line 2") && out.contains("index 100 is outside the training set [0, 100)"), out);

        String missing = assertThrows(IllegalArgumentException.class, () -> Scenarios.parse("indices:" + dir.resolve("nope.txt"))).getMessage();
        assertTrue(missing.contains("nope.txt") && missing.contains("cannot read"), missing);
    }

    @Test
    void scenarioSpecIsKept() {
        Scenario s = Scenarios.parse(" seq:random:0.02x5 ");
        assertEquals("seq:random:0.02x5", s.spec());
    }
}
