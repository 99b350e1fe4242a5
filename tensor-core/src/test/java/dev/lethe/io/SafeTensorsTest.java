package dev.lethe.io;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** safetensors: exact round trips, the byte layout, and a clear error for every inconsistency a file can have. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file from a header text and a data section, the header length written as given. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private String failure(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        return assertThrows(IOException.class, () -> SafeTensors.read(p)).getMessage();
    }

    static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("layer.weight", Tensor.randn(3, 4, 5));
        m.put("layer.bias", Tensor.randn(4, DType.FLOAT64, 5));
        m.put("step", Tensor.fromArray(new double[] {12, -3}, 2));
        m.put("scalar", Tensor.scalar(2.5));
        m.put("empty", Tensor.zeros(0, 3));
        return m;
    }

    @Test
    void roundTripsValuesDtypesShapesOrderAndMetadata() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Map<String, Tensor> in = sample();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", "3");
        meta.put("odd \"key\"\n", "välue ☃");
        SafeTensors.write(p, in, meta, Set.of("step"));
        SafeTensors.Contents c = SafeTensors.read(p);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(c.tensors().keySet()));
        assertEquals(meta, c.metadata());
        assertEquals(Set.of("step"), c.int64());
        for (String name : in.keySet()) {
            Tensor a = in.get(name), b = c.tensors().get(name);
            assertEquals(a.dtype(), b.dtype(), name);
            assertArrayEquals(a.shape(), b.shape(), name);
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), name);
        }
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        Path p = dir.resolve("layout.safetensors");
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).t()); // a view: written row-major as [1, 3, 2, 4]
        in.put("n", Tensor.fromArray(new float[] {-2}, 1));
        SafeTensors.write(p, in, Map.of("k", "v"), Set.of("n"));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8);
        String header = new String(b.array(), 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).isBlank());
        b.position(8 + (int) n);
        assertEquals(1f, b.getFloat());
        assertEquals(3f, b.getFloat());
        assertEquals(2f, b.getFloat());
        assertEquals(4f, b.getFloat());
        assertEquals(-2L, b.getLong());
        assertFalse(b.hasRemaining());
    }

    @Test
    void aFailureMidWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("keep.safetensors");
        SafeTensors.write(p, sample(), Map.of("version", "1"));
        byte[] before = Files.readAllBytes(p);
        Map<String, Tensor> next = new LinkedHashMap<>();
        next.put("big", Tensor.zeros(64, 1024)); // 256 KiB written to the temporary file first
        next.put("counts", Tensor.fromArray(new double[] {1, 2, 2.5}, 3)); // not an integer: fails while writing
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, next, Map.of(), Set.of("counts")));
        assertEquals("safetensors: tensor counts is marked I64 but element 2 is 2.5, not an integer in the 64-bit range", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
    }

    @Test
    void aSuccessfulWriteReplacesTheFile() throws IOException {
        Path p = dir.resolve("r.safetensors");
        SafeTensors.write(p, sample(), Map.of());
        SafeTensors.write(p, Map.of("only", Tensor.ones(2)), Map.of());
        assertEquals(Set.of("only"), SafeTensors.read(p).tensors().keySet());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writeRejectsReservedAndUnknownNames() {
        Path p = dir.resolve("x.safetensors");
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, Map.of("__metadata__", Tensor.ones(1)), Map.of()));
        assertEquals("safetensors: __metadata__ is reserved, not a tensor name", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, Map.of("a", Tensor.ones(1)), Map.of(), Set.of("b")));
        assertEquals("safetensors: b is marked I64 but is not among the tensors", e.getMessage());
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, Map.of("a", Tensor.ones(1)), nullValue));
        assertEquals("safetensors: metadata entry k = null holds a null", e.getMessage());
        assertFalse(Files.exists(p));
    }

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void headerLengthMustFitTheFile() throws IOException {
        assertEquals("bad.safetensors: 3 bytes, too short for the 8-byte header length", failure(new byte[3]));
        byte[] f = file("{" + A + "}", new byte[8]);
        f[0] = (byte) 0xF0; // header length now far beyond the file
        long n = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals("bad.safetensors: header length " + n + " is impossible (the file has " + f.length
                + " bytes, headers may have at most 100000000)", failure(f));
        f = file("{}", new byte[0]);
        f[7] = (byte) 0x80; // negative as a signed long
        assertTrue(failure(f).startsWith("bad.safetensors: header length 9223372036854775810 is impossible"));
    }

    @Test
    void headerMustBeAWellFormedObject() throws IOException {
        assertTrue(failure(file("{\"a\":", new byte[0])).startsWith("bad.safetensors: header is not valid JSON (JSON: unexpected end"));
        assertEquals("bad.safetensors: header is not a JSON object", failure(file("[1, 2]  ", new byte[0])));
        assertEquals("bad.safetensors: header is not valid JSON (JSON: duplicate key \"a\" at offset 54)",
                failure(file("{" + A + "," + A + "}", new byte[8])));
        byte[] f = file("{\"\u00e9\":1}", new byte[0]);
        f[10] = (byte) 0xC3; // a lone UTF-8 lead byte
        f[11] = (byte) '"';
        assertEquals("bad.safetensors: header is not valid UTF-8", failure(f));
    }

    @Test
    void eachTensorEntryIsChecked() throws IOException {
        assertEquals("bad.safetensors: tensor \"a\" has dtype BF16; supported are F32, F64 and I64",
                failure(file("{\"a\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has shape [3] of F32 (12 bytes) but data_offsets [0, 8] hold 8 bytes",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has data_offsets [0, 16] outside the data section of 8 bytes",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has shape [65536, 65536] with more than 2^31-1 elements",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has shape [-1] with a size that is not an integer in [0, 2^31)",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has data_offsets [0], expected [begin, end]",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", new byte[8])));
        assertEquals("bad.safetensors: tensor \"a\" has unknown field \"offsets\" (expected dtype, shape, data_offsets)",
                failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"offsets\":[0,8]}}", new byte[8])));
        assertEquals("bad.safetensors: __metadata__ value of \"k\" is not a string",
                failure(file("{\"__metadata__\":{\"k\":1}}", new byte[0])));
    }

    @Test
    void byteRangesMustTileTheDataSection() throws IOException {
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}";
        assertEquals("bad.safetensors: tensors \"a\" [0, 8] and \"b\" [4, 12] overlap", failure(file("{" + A + "," + b + "}", new byte[12])));
        String c = "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}";
        assertEquals("bad.safetensors: bytes [8, 12) of the data section belong to no tensor (next is \"c\")",
                failure(file("{" + A + "," + c + "}", new byte[16])));
        assertEquals("bad.safetensors: the data section has 12 bytes but the tensors cover only 8", failure(file("{" + A + "}", new byte[12])));
    }

    @Test
    void int64BeyondFloat64PrecisionIsRefused() throws IOException {
        byte[] data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 53).putLong((1L << 53) + 1).array();
        String m = failure(file("{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data));
        assertEquals("bad.safetensors: tensor \"n\" is I64 and element 1 is 9007199254740993, beyond 2^53 where float64 stops holding every integer", m);
    }
}
