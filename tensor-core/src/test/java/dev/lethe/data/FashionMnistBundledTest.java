package dev.lethe.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundled subset: it loads, it is class-balanced, and — where Debian's
 * dataset-fashion-mnist is installed — it is exactly the selection its README describes.
 */
class FashionMnistBundledTest {
    private static final Path FULL = Path.of("/usr/share/datasets/fashion-mnist");
    private static FashionMnist bundled;

    @BeforeAll
    static void load() throws IOException {
        bundled = FashionMnist.bundled();
    }

    @Test
    void loadsWithTheDocumentedShapes() {
        assertArrayEquals(new int[] {10000, 1, 28, 28}, bundled.train().inputs().shape());
        assertArrayEquals(new int[] {2000, 1, 28, 28}, bundled.test().inputs().shape());
        float[] px = bundled.test().inputs().toFloatArray();
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : px) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(0f, lo);
        assertEquals(1f, hi);
    }

    @Test
    void isClassBalanced() {
        int[] train = bundled.train().classCounts(10), test = bundled.test().classCounts(10);
        for (int k = 0; k < 10; k++) {
            assertEquals(1000, train[k], "train class " + k);
            assertEquals(200, test[k], "test class " + k);
        }
    }

    @Test
    void isTheFirstItemsOfEachClassOfTheFullSet() throws IOException {
        assumeTrue(Files.isDirectory(FULL), "Debian's dataset-fashion-mnist is not installed");
        checkSplit(FashionMnist.TEST_IMAGES, FashionMnist.TEST_LABELS, 200, bundled.test());
        checkSplit(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, 1000, bundled.train());
    }

    private static void checkSplit(String images, String labels, int perClass, Dataset loaded) throws IOException {
        Idx fullImages = IdxReader.readImages(FashionMnist.find(FULL, images));
        Idx fullLabels = IdxReader.readLabels(FashionMnist.find(FULL, labels));
        int[] ls = new int[fullLabels.count()];
        for (int i = 0; i < ls.length; i++) ls[i] = fullLabels.unsigned(i);
        int[] keep = Dataset.firstPerClass(ls, perClass);
        assertArrayEquals(fullImages.select(keep).data(), bundledIdx(images + ".gz", 3).data(), images);
        assertArrayEquals(fullLabels.select(keep).data(), bundledIdx(labels + ".gz", 1).data(), labels);
        // The first loaded image is the full set's first (index 0 is always kept), scaled by 1/255.
        assertEquals(0, keep[0]);
        float[] first = loaded.subset(new int[] {0}).inputs().toFloatArray();
        for (int j = 0; j < 784; j++) assertEquals(fullImages.unsigned(j) / 255f, first[j], images + " pixel " + j);
        assertEquals(ls[0], loaded.label(0));
    }

    private static Idx bundledIdx(String file, int rank) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(FashionMnist.BUNDLED + file)) {
            assertNotNull(in, file);
            return IdxReader.read(file, in, rank);
        }
    }
}
