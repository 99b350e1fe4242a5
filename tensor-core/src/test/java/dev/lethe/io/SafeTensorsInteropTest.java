package dev.lethe.io;

import dev.lethe.tensor.DType;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both directions against an independent implementation: safetensors_interop.py (standard
 * library only) writes a file Java must read, and reads a file Java wrote. Skipped without python3.
 */
class SafeTensorsInteropTest {
    private static String python(String mode, Path file) throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(SafeTensorsInteropTest.class.getResource("safetensors_interop.py").toURI());
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), mode, file.toString()).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            assumeTrue(false, "python3 is not available: " + noPython.getMessage());
            throw noPython;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void readsWhatPythonWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("py.safetensors");
        Map<?, ?> expected = (Map<?, ?>) Json.parse(python("write", file));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(expected.get("metadata"), c.metadata());
        List<?> tensors = (List<?>) expected.get("tensors");
        assertEquals(tensors.size(), c.tensors().size());
        int k = 0;
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Map<?, ?> want = (Map<?, ?>) tensors.get(k++);
            assertEquals(want.get("name"), e.getKey());
            String dtype = (String) want.get("dtype");
            assertEquals(dtype.equals("F32") ? DType.FLOAT32 : DType.FLOAT64, e.getValue().dtype(), e.getKey());
            assertEquals(dtype.equals("I64"), c.int64().contains(e.getKey()));
            assertArrayEquals(ints((List<?>) want.get("shape")), e.getValue().shape(), e.getKey());
            assertArrayEquals(doubles((List<?>) want.get("values")), e.getValue().toDoubleArray(), e.getKey());
        }
    }

    @Test
    void pythonReadsWhatJavaWrote(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.fromArray(new float[] {1.5f, -2f, 1e-30f, 3.4e38f, 0.1f, 7f}, 2, 3).t()); // strided view
        tensors.put("b", Tensor.fromArray(new double[] {Math.PI, -0.0, 1e-300}, 3));
        tensors.put("n", Tensor.fromArray(new double[] {-3, 0, 1L << 52}, 3));
        tensors.put("s", Tensor.scalar(5.0));
        tensors.put("z", Tensor.zeros(DType.FLOAT64, 2, 0));
        Map<String, String> metadata = Map.of("why", "tab\there \"quoted\" é ☃ \u0001");
        Path file = dir.resolve("java.safetensors");
        SafeTensors.write(file, tensors, metadata, Set.of("n"));
        Map<?, ?> got = (Map<?, ?>) Json.parse(python("read", file));
        assertEquals(metadata, got.get("metadata"));
        List<?> read = (List<?>) got.get("tensors");
        assertEquals(List.of("w", "b", "n", "s", "z"), read.stream().map(t -> ((Map<?, ?>) t).get("name")).toList());
        String[] dtypes = {"F32", "F64", "I64", "F32", "F64"};
        int k = 0;
        for (Tensor t : tensors.values()) {
            Map<?, ?> r = (Map<?, ?>) read.get(k);
            assertEquals(dtypes[k++], r.get("dtype"));
            assertArrayEquals(t.shape(), ints((List<?>) r.get("shape")));
            assertArrayEquals(t.toDoubleArray(), doubles((List<?>) r.get("values")));
        }
    }

    private static int[] ints(List<?> xs) {
        return xs.stream().mapToInt(x -> ((Long) x).intValue()).toArray();
    }

    private static double[] doubles(List<?> xs) {
        return xs.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
    }
}
