package dev.lethe.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST, raw or gzipped
 * (recognised by the gzip magic bytes {@code 1f 8b}, whatever the file is called).
 *
 * <p>Layout (big-endian): two zero bytes, the dtype byte ({@code 0x08} = unsigned byte), the
 * number of dimensions d, then d 32-bit sizes, then exactly Π sizes payload bytes. Images are
 * {@code 0x00000803} (count, rows, cols), labels {@code 0x00000801} (count).
 *
 * <p>Everything is checked before it is trusted: the magic number, the dtype, the dimension
 * count, every size, and that the payload ends exactly where the header says. A header that
 * promises more than a Java array holds is refused before anything is allocated, and the
 * payload buffer grows with the bytes actually read, so a lying header cannot exhaust
 * memory. Problems are {@link IOException}s whose message starts with the file name, e.g.
 * {@code t10k-labels-idx1-ubyte.gz: expected 10000 labels, file ends after 9999}.
 */
public final class IdxReader {
    /** The unsigned-byte dtype code, the only one these data sets use. */
    public static final int UBYTE = 0x08;

    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int FIRST_CHUNK = 1 << 16;

    private IdxReader() {}

    /** Reads an image file (magic {@code 0x00000803}: count, rows, cols). */
    public static Idx readImages(Path file) throws IOException {
        return read(file, 3);
    }

    /** Reads a label file (magic {@code 0x00000801}: count). */
    public static Idx readLabels(Path file) throws IOException {
        return read(file, 1);
    }

    /** Reads {@code file}, which must have {@code rank} dimensions. */
    public static Idx read(Path file, int rank) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.getFileName().toString(), in, rank);
        }
    }

    /**
     * Reads an IDX stream of {@code rank} dimensions; {@code name} prefixes every error
     * message. The stream is read to its end (so that trailing bytes are detected) but not
     * closed.
     *
     * @throws IOException naming {@code name} and the problem when the stream is not a
     *     well-formed IDX file of unsigned bytes with {@code rank} dimensions
     */
    public static Idx read(String name, InputStream raw, int rank) throws IOException {
        if (rank < 1 || rank > 255) throw new IllegalArgumentException("idx: rank must be 1..255, got " + rank);
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        int b0 = buffered.read(), b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return parse(name, in, rank);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            // Corrupt or cut-off gzip data: say which file, as for every other problem.
            throw new IOException(name + ": damaged gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static Idx parse(String name, InputStream in, int rank) throws IOException {
        byte[] head = new byte[4];
        int got = in.readNBytes(head, 0, 4);
        if (got < 4) throw new IOException(name + ": file ends after " + got + " bytes, inside the 4-byte magic number");
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        int expectedMagic = (UBYTE << 8) | rank;
        if (head[0] != 0 || head[1] != 0) {
            throw new IOException(name + ": not an IDX file (magic number " + hex(magic) + ", expected " + hex(expectedMagic) + ")");
        }
        if ((head[2] & 0xFF) != UBYTE) {
            throw new IOException(name + ": dtype byte is " + hex2(head[2] & 0xFF) + ", only unsigned bytes (0x08) are supported");
        }
        if ((head[3] & 0xFF) != rank) {
            throw new IOException(name + ": has " + (head[3] & 0xFF) + " dimensions (magic " + hex(magic) + "), expected "
                    + rank + " (" + what(rank) + ", magic " + hex(expectedMagic) + ")");
        }
        int[] dims = new int[rank];
        long elements = 1;
        byte[] size = new byte[4];
        for (int d = 0; d < rank; d++) {
            got = in.readNBytes(size, 0, 4);
            if (got < 4) throw new IOException(name + ": file ends inside the size of dimension " + d + " of " + rank);
            long s = ((size[0] & 0xFFL) << 24) | ((size[1] & 0xFFL) << 16) | ((size[2] & 0xFFL) << 8) | (size[3] & 0xFFL);
            elements *= s;
            if (s > MAX_ELEMENTS || elements > MAX_ELEMENTS) {
                throw new IOException(name + ": header sizes " + sizes(dims, d, s) + " give more than 2^31-1 elements");
            }
            dims[d] = (int) s;
        }
        byte[] data = readPayload(name, in, (int) elements, dims);
        if (in.read() >= 0) {
            throw new IOException(name + ": file continues after the " + elements + " payload bytes its header "
                    + Arrays.toString(dims) + " announces");
        }
        return new Idx(dims, data);
    }

    /** Reads exactly {@code n} bytes, growing the buffer with what arrives rather than trusting n. */
    private static byte[] readPayload(String name, InputStream in, int n, int[] dims) throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) throw new IOException(name + ": " + shortfall(dims, filled));
            filled += r;
        }
        return buf;
    }

    /** "expected 10000 labels, file ends after 9999" in the units of the file. */
    private static String shortfall(int[] dims, int filled) {
        if (dims.length == 1) return "expected " + dims[0] + " labels, file ends after " + filled;
        int item = 1;
        for (int d = 1; d < dims.length; d++) item *= dims[d];
        String unit = dims.length == 3 ? "images" : "items";
        return "expected " + dims[0] + " " + unit + " of " + item + " bytes, file ends after " + (filled / Math.max(item, 1))
                + " (" + filled + " of " + (long) dims[0] * item + " payload bytes)";
    }

    private static String what(int rank) {
        return rank == 1 ? "labels" : rank == 3 ? "images" : rank + "-d data";
    }

    private static String sizes(int[] dims, int upTo, long last) {
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < upTo; d++) sb.append(dims[d]).append(", ");
        return sb.append(last).append(upTo < dims.length - 1 ? ", …]" : "]").toString();
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String hex2(int v) {
        return String.format("0x%02x", v);
    }
}
