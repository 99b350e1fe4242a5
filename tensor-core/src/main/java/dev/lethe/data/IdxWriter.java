package dev.lethe.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files, the inverse of {@link IdxReader}: magic {@code 0x0000080d}
 * (d = number of dimensions), the d sizes big-endian, then the bytes. A name ending in
 * {@code .gz} is gzipped at the strongest level (9); Java writes a zero modification time
 * in the gzip header, so the same input gives the same bytes.
 */
public final class IdxWriter {
    private IdxWriter() {}

    /** Writes {@code idx} to {@code file}, gzipped when the name ends in {@code .gz}. */
    public static void write(Path file, Idx idx) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (GZIPOutputStream gz = new BestGzip(out)) {
                    write(gz, idx);
                }
            } else {
                write(out, idx);
            }
        }
    }

    /** Writes {@code idx} uncompressed to {@code out} (not closed). */
    public static void write(OutputStream out, Idx idx) throws IOException {
        int[] dims = idx.dims();
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        data.writeInt((IdxReader.UBYTE << 8) | dims.length);
        for (int d : dims) data.writeInt(d);
        data.write(idx.data());
        data.flush();
    }

    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
