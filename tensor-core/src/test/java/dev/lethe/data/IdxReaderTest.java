package dev.lethe.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** IDX reading: raw and gzip, and a precise error, naming the file, for every way a file can be wrong. */
class IdxReaderTest {
    /** Header bytes: magic 0x0000 08 rank, then the sizes, big-endian. */
    static byte[] header(int dtype, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) dtype).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static Idx read(String name, byte[] file, int rank) throws IOException {
        return IdxReader.read(name, new ByteArrayInputStream(file), rank);
    }

    private static String failure(String name, byte[] file, int rank) {
        return assertThrows(IOException.class, () -> read(name, file, rank)).getMessage();
    }

    private static byte[] images(int n, int rows, int cols) {
        byte[] px = new byte[n * rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 37 + 11);
        return concat(header(0x08, n, rows, cols), px);
    }

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] raw = images(3, 2, 5);
        Idx a = read("raw", raw, 3), b = read("gz", gzip(raw), 3);
        assertArrayEquals(new int[] {3, 2, 5}, a.dims());
        assertEquals(3, a.count());
        assertEquals(10, a.itemSize());
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), a.data());
        assertArrayEquals(a.data(), b.data());
        assertEquals(0xFF & raw[16 + 7], a.unsigned(7));
    }

    @Test
    void writerAndReaderRoundTripThroughFiles(@TempDir Path dir) throws IOException {
        Idx labels = new Idx(new int[] {5}, new byte[] {9, 0, 3, (byte) 255, 1});
        for (String name : new String[] {"labels", "labels.gz"}) {
            IdxWriter.write(dir.resolve(name), labels);
            Idx back = IdxReader.readLabels(dir.resolve(name));
            assertArrayEquals(labels.data(), back.data());
            assertArrayEquals(labels.dims(), back.dims());
        }
        byte[] gz = Files.readAllBytes(dir.resolve("labels.gz"));
        assertEquals(0x1f, gz[0] & 0xFF);
        assertEquals(0x8b, gz[1] & 0xFF);
    }

    @Test
    void truncatedLabelsSayHowManyArrived() throws IOException {
        byte[] file = gzip(concat(header(0x08, 10000), new byte[9999]));
        assertEquals("t10k-labels-idx1-ubyte.gz: expected 10000 labels, file ends after 9999",
                failure("t10k-labels-idx1-ubyte.gz", file, 1));
    }

    @Test
    void truncatedImagesCountWholeImages() {
        byte[] full = images(4, 3, 3);
        String m = failure("imgs", Arrays.copyOf(full, full.length - 10), 3);
        assertEquals("imgs: expected 4 images of 9 bytes, file ends after 2 (26 of 36 payload bytes)", m);
    }

    @Test
    void extraBytesAfterThePayloadAreAnError() {
        String m = failure("labels", concat(header(0x08, 3), new byte[4]), 1);
        assertEquals("labels: file continues after the 3 payload bytes its header [3] announces", m);
    }

    @Test
    void wrongMagicDtypeAndRankAreNamed() {
        assertEquals("x: not an IDX file (magic number 0x01000801, expected 0x00000801)",
                failure("x", new byte[] {1, 0, 8, 1, 0, 0, 0, 0}, 1));
        assertEquals("x: dtype byte is 0x0d, only unsigned bytes (0x08) are supported",
                failure("x", concat(header(0x0D, 1), new byte[4]), 1));
        assertEquals("x: has 3 dimensions (magic 0x00000803), expected 1 (labels, magic 0x00000801)",
                failure("x", images(1, 1, 1), 1));
        assertEquals("x: file ends after 2 bytes, inside the 4-byte magic number", failure("x", new byte[] {0, 0}, 1));
        assertEquals("x: file ends inside the size of dimension 1 of 3", failure("x", Arrays.copyOf(header(8, 1, 2, 3), 9), 3));
    }

    @Test
    void absurdHeadersAreRefusedBeforeAllocating() {
        assertEquals("big: header sizes [65536, 65536, …] give more than 2^31-1 elements",
                failure("big", header(0x08, 65536, 65536, 1), 3));
        assertEquals("big: header sizes [4294967295] give more than 2^31-1 elements",
                failure("big", header(0x08, -1), 1));
        // Just under the limit: the header is legal, the data is not there; the buffer grows only with what arrives.
        String m = failure("big", concat(header(0x08, Integer.MAX_VALUE - 8), new byte[100]), 1);
        assertEquals("big: expected 2147483639 labels, file ends after 100", m);
    }

    @Test
    void damagedGzipIsReportedWithTheFileName() throws IOException {
        byte[] gz = gzip(images(8, 8, 8));
        gz[gz.length - 6] ^= 0x55; // inside the CRC-32 trailer
        String m = failure("imgs.gz", gz, 3);
        assertTrue(m.startsWith("imgs.gz: damaged gzip data"), m);
        byte[] cut = Arrays.copyOf(gzip(images(8, 8, 8)), 30);
        assertTrue(failure("imgs.gz", cut, 3).startsWith("imgs.gz: "));
    }

    /**
     * Random damage to valid files (byte changes, truncation, insertion) either still reads or
     * fails with an IOException; nothing else escapes and nothing allocates beyond the input.
     */
    @Test
    void fuzzedFilesFailCleanly() throws IOException {
        byte[] raw = images(6, 4, 4);
        byte[] gz = gzip(raw);
        SplittableRandom rnd = new SplittableRandom(2024);
        int failures = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] base = round % 2 == 0 ? raw : gz;
            byte[] file = ByteMutations.mutate(base, rnd);
            try {
                read("fuzz", file, 3);
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
                failures++;
            } catch (IllegalArgumentException expected) {
                failures++;
            }
        }
        assertTrue(failures > 500, "most damaged files must be refused, got " + failures);
        for (int cut = 0; cut < raw.length; cut++) {
            int c = cut;
            assertThrows(IOException.class, () -> read("cut", Arrays.copyOf(raw, c), 3), "truncated at " + cut);
        }
    }
}
