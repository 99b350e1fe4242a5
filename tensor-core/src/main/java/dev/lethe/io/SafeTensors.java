package dev.lethe.io;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Shapes;
import dev.lethe.tensor.Storage;
import dev.lethe.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format of Hugging Face, which PyTorch, JAX and NumPy read and write:
 *
 * <pre>
 * [8 bytes]  N, unsigned little-endian: the header length
 * [N bytes]  UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …,
 *                         "__metadata__": {"key": "value", …}}, padded with spaces to a multiple of 8
 * [rest]     the data section: each tensor's elements row-major, little-endian, at [begin, end)
 * </pre>
 *
 * <p>Element types: F32 ↔ float32 tensors and F64 ↔ float64 tensors. I64 (PyTorch's
 * {@code torch.long}: step counters, label tensors) is read as a <em>float64 tensor of
 * integer values</em>, which keeps one tensor type throughout the engine and is exact for
 * |v| ≤ 2⁵³; larger values are refused rather than rounded. Which tensors were I64 is
 * reported in {@link Contents#int64()}, and passing that set back to
 * {@link #write(Path, Map, Map, Set)} writes them as I64 again.
 *
 * <p>Reading trusts nothing: the header length must be at most {@value #MAX_HEADER_BYTES}
 * bytes and fit the file, the JSON must be well formed (no duplicate names), every dtype
 * known, every shape's element count × element size equal to end − begin, and the tensors'
 * byte ranges must tile the data section exactly (in bounds, no overlap, no gap). Since
 * every buffer is bounded by the file's size, a damaged file cannot exhaust memory. Problems
 * are {@link IOException}s naming the file, the tensor and what is wrong.
 *
 * <p>Writing is atomic (see {@link AtomicWrite}): after a failure the previous file is unchanged.
 */
public final class SafeTensors {
    /** The largest header accepted when reading, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA = "__metadata__";
    private static final int CHUNK = 1 << 16;
    private static final double TWO_53 = 0x1p53;

    /**
     * What a file holds.
     *
     * @param tensors  by name, in header order
     * @param metadata the {@code __metadata__} strings (empty if absent)
     * @param int64    names of the tensors stored as I64 (read as float64 of integer values)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int64) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            int64 = Collections.unmodifiableSet(new LinkedHashSet<>(int64));
        }
    }

    private enum Kind {
        F32(4), F64(8), I64(8);

        final int bytes;

        Kind(int bytes) {
            this.bytes = bytes;
        }
    }

    private SafeTensors() {}

    /** Writes {@code tensors} (in map order) with their own dtypes, F32 or F64. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, Set.of());
    }

    /**
     * Writes {@code tensors} in map order; those named in {@code asInt64} as I64 (their values
     * must be integers in the 64-bit range), the rest as F32 or F64 after their dtype.
     *
     * @throws IllegalArgumentException for a null name, tensor or metadata string, the reserved name {@code __metadata__}, a name in
     *     {@code asInt64} that is not a tensor, or a non-integer value of an I64 tensor (found
     *     while writing: the previous file then stays as it was)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> asInt64) throws IOException {
        for (String n : asInt64) {
            if (!tensors.containsKey(n)) throw new IllegalArgumentException("safetensors: " + n + " is marked I64 but is not among the tensors");
        }
        metadata.forEach((k, v) -> {
            if (k == null || v == null) throw new IllegalArgumentException("safetensors: metadata entry " + k + " = " + v + " holds a null");
        });
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put(METADATA, new LinkedHashMap<>(metadata));
        List<String> names = new ArrayList<>();
        List<Tensor> data = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || e.getValue() == null) throw new IllegalArgumentException("safetensors: tensor " + name + " is null");
            if (name.equals(METADATA)) throw new IllegalArgumentException("safetensors: " + METADATA + " is reserved, not a tensor name");
            Tensor t = e.getValue().detach();
            Kind kind = asInt64.contains(name) ? Kind.I64 : t.dtype() == DType.FLOAT32 ? Kind.F32 : Kind.F64;
            long bytes = (long) t.numel() * kind.bytes;
            List<Long> shape = new ArrayList<>();
            for (int s : t.shape()) shape.add((long) s);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", kind.name());
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, info);
            offset += bytes;
            names.add(name);
            data.add(t);
            kinds.add(kind);
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        AtomicWrite.write(file, out -> {
            AtomicWrite.writeFully(out, head);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.size(); i++) writeData(out, buf, names.get(i), data.get(i), kinds.get(i));
        });
    }

    private static void writeData(FileChannel out, ByteBuffer buf, String name, Tensor t, Kind kind) throws IOException {
        Tensor c = t.contiguous();
        Storage s = c.storage();
        int off = c.offset(), n = c.numel();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < kind.bytes) flush(out, buf);
            double v = s.get(off + i);
            switch (kind) {
                case F32 -> buf.putFloat((float) v);
                case F64 -> buf.putDouble(v);
                case I64 -> {
                    if (v != Math.rint(v) || Math.abs(v) >= 0x1p63) {
                        throw new IllegalArgumentException("safetensors: tensor " + name + " is marked I64 but element " + i + " is " + v
                                + ", not an integer in the 64-bit range");
                    }
                    buf.putLong((long) v);
                }
            }
        }
        flush(out, buf);
    }

    private static void flush(FileChannel out, ByteBuffer buf) throws IOException {
        buf.flip();
        AtomicWrite.writeFully(out, buf);
        buf.clear();
    }

    /**
     * Reads a safetensors file.
     *
     * @throws IOException naming the file, the tensor and the problem when the file is
     *     malformed (see the class comment for everything checked)
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file.getFileName().toString(), ch);
        }
    }

    /** Reads from {@code ch} (positioned reads; not closed); {@code where} starts every error message. */
    static Contents read(String where, SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) throw new IOException(where + ": " + size + " bytes, too short for the 8-byte header length");
        ByteBuffer lenBuf = readAt(ch, 0, 8, where, "the header length");
        long n = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
            throw new IOException(where + ": header length " + Long.toUnsignedString(n) + " is impossible (the file has "
                    + size + " bytes, headers may have at most " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headBytes = readAt(ch, 8, (int) n, where, "the header");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headBytes).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + ": header is not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": header is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new IOException(where + ": header is not a JSON object");
        long dataStart = 8 + n, dataLength = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) metadata = metadata(where, e.getValue());
            else entries.add(entry(where, name, e.getValue(), dataLength));
        }
        checkTiling(where, entries, dataLength);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Set<String> int64 = new LinkedHashSet<>();
        for (Entry en : entries) {
            ByteBuffer bytes = readAt(ch, dataStart + en.begin, (int) (en.end - en.begin), where, "tensor " + en.name);
            tensors.put(en.name, decode(where, en, bytes.order(ByteOrder.LITTLE_ENDIAN)));
            if (en.kind == Kind.I64) int64.add(en.name);
        }
        return new Contents(tensors, metadata, int64);
    }

    private record Entry(String name, Kind kind, int[] shape, long begin, long end) {}

    private static Map<String, String> metadata(String where, Object value) throws IOException {
        if (!(value instanceof Map<?, ?> m)) throw new IOException(where + ": " + METADATA + " is not an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new IOException(where + ": " + METADATA + " value of \"" + e.getKey() + "\" is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(String where, String name, Object value, long dataLength) throws IOException {
        String at = where + ": tensor \"" + name + "\"";
        if (!(value instanceof Map<?, ?> info)) throw new IOException(at + " is described by " + describe(value) + ", not an object");
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new IOException(at + " has unknown field \"" + key + "\" (expected dtype, shape, data_offsets)");
            }
        }
        if (!(info.get("dtype") instanceof String dtype)) throw new IOException(at + " has no dtype string");
        Kind kind;
        try {
            kind = Kind.valueOf(dtype);
        } catch (IllegalArgumentException e) {
            throw new IOException(at + " has dtype " + dtype + "; supported are F32, F64 and I64");
        }
        if (!(info.get("shape") instanceof List<?> dims)) throw new IOException(at + " has no shape list");
        int[] shape = new int[dims.size()];
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            if (!(dims.get(d) instanceof Long s) || s < 0 || s > Integer.MAX_VALUE) {
                throw new IOException(at + " has shape " + dims + " with a size that is not an integer in [0, 2^31)");
            }
            shape[d] = (int) (long) s;
            numel *= s;
            if (numel > Integer.MAX_VALUE) throw new IOException(at + " has shape " + dims + " with more than 2^31-1 elements");
        }
        if (!(info.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw new IOException(at + " has data_offsets " + describe(info.get("data_offsets")) + ", expected [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataLength) {
            throw new IOException(at + " has data_offsets [" + begin + ", " + end + "] outside the data section of " + dataLength + " bytes");
        }
        if (numel * kind.bytes != end - begin) {
            throw new IOException(at + " has shape " + Shapes.str(shape) + " of " + kind + " (" + numel * kind.bytes + " bytes) but data_offsets ["
                    + begin + ", " + end + "] hold " + (end - begin) + " bytes");
        }
        return new Entry(name, kind, shape, begin, end);
    }

    /** The byte ranges, sorted, must cover [0, dataLength) with neither gap nor overlap. */
    private static void checkTiling(String where, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw new IOException(where + ": tensors \"" + previous.name + "\" [" + previous.begin + ", " + previous.end + "] and \""
                        + e.name + "\" [" + e.begin + ", " + e.end + "] overlap");
            }
            if (e.begin > expected) {
                throw new IOException(where + ": bytes [" + expected + ", " + e.begin + ") of the data section belong to no tensor (next is \""
                        + e.name + "\")");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataLength) {
            throw new IOException(where + ": the data section has " + dataLength + " bytes but the tensors cover only " + expected);
        }
    }

    private static Tensor decode(String where, Entry e, ByteBuffer b) throws IOException {
        int n = (int) ((e.end - e.begin) / e.kind.bytes);
        return switch (e.kind) {
            case F32 -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield Tensor.wrap(Storage.wrap(v), e.shape);
            }
            case F64 -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield Tensor.wrap(Storage.wrap(v), e.shape);
            }
            case I64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    long x = b.getLong(8 * i);
                    if (x > (long) TWO_53 || x < -(long) TWO_53) {
                        throw new IOException(where + ": tensor \"" + e.name + "\" is I64 and element " + i + " is " + x
                                + ", beyond 2^53 where float64 stops holding every integer");
                    }
                    v[i] = x;
                }
                yield Tensor.wrap(Storage.wrap(v), e.shape);
            }
        };
    }

    private static ByteBuffer readAt(SeekableByteChannel ch, long position, int length, String where, String what) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        ch.position(position);
        while (buf.hasRemaining()) {
            int r = ch.read(buf);
            if (r < 0) throw new IOException(where + ": file ends inside " + what);
        }
        return buf.flip();
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v instanceof String s ? "\"" + s + "\"" : v.toString();
    }
}
