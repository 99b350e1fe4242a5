package dev.lethe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** FashionMnist.load on small hand-made folders: layout, pixel scaling, and the errors a broken folder gives. */
class FashionMnistTest {
    /** Writes a split of n images (rows × cols) whose pixel j of image i is (i + j) % 256, labels i % 10. */
    private static void writeSplit(Path dir, String images, String labels, int n, int rows, int cols) throws IOException {
        byte[] px = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) for (int j = 0; j < rows * cols; j++) px[i * rows * cols + j] = (byte) (i + j);
        byte[] ls = new byte[n];
        for (int i = 0; i < n; i++) ls[i] = (byte) (i % 10);
        IdxWriter.write(dir.resolve(images), new Idx(new int[] {n, rows, cols}, px));
        IdxWriter.write(dir.resolve(labels), new Idx(new int[] {n}, ls));
    }

    @Test
    void loadsRawAndGzippedFilesAsScaledImages(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte.gz", 12, 28, 28);
        writeSplit(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte", 3, 28, 28);
        FashionMnist f = FashionMnist.load(dir);
        assertArrayEquals(new int[] {12, 1, 28, 28}, f.train().inputs().shape());
        assertArrayEquals(new int[] {3, 1, 28, 28}, f.test().inputs().shape());
        assertEquals((5 + 300) % 256 / 255f, (float) f.train().inputs().get(5, 0, 300 / 28, 300 % 28));
        assertEquals(1f, (float) f.train().inputs().get(0, 0, 255 / 28, 255 % 28));
        assertEquals(11 % 10, f.train().label(11));
        assertArrayEquals(new int[] {3, 784}, f.test().withItemShape(784).inputs().shape());
    }

    @Test
    void namesTheClasses() {
        assertEquals(10, FashionMnist.CLASSES.size());
        assertEquals("T-shirt/top", FashionMnist.CLASSES.get(0));
        assertEquals("Ankle boot", FashionMnist.CLASSES.get(9));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 2, 28, 28);
        var e = assertThrows(IOException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": has neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 4, 28, 28);
        writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 2, 28, 28);
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte"), new Idx(new int[] {3}, new byte[3]));
        var e = assertThrows(IOException.class, () -> FashionMnist.load(dir));
        assertEquals("t10k-images-idx3-ubyte holds 2 images but t10k-labels-idx1-ubyte holds 3 labels", e.getMessage());
    }

    @Test
    void labelsMustBeClasses(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 4, 28, 28);
        writeSplit(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 2, 28, 28);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 4, 1, 2, 10, 3});
        var e = assertThrows(IOException.class, () -> FashionMnist.load(dir));
        assertEquals("train-labels-idx1-ubyte: label 2 is 10, not a class 0..9", e.getMessage());
    }
}
