package dev.lethe.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed PTX is what generate-ptx.sh makes of the committed sources, when an nvcc of
 * the version that made it is here; and ptxas, when here, assembles every module for sm_90
 * (the H100/H200). Skipped, saying why, without those tools.
 */
class PtxUpToDateTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path PTX = MODULE.resolve("src/main/resources/dev/lethe/cuda/ptx");

    /** An executable {@code name} from $PATH (or /usr/local/bin, /usr/local/cuda/bin), or null. */
    private static Path tool(String name) {
        String env = System.getenv(name.toUpperCase());
        if (env != null && Files.isExecutable(Path.of(env))) return Path.of(env);
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/local/bin" + File.pathSeparator + "/usr/local/cuda/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    /** The "Cuda compilation tools, release …" line a PTX file or nvcc --version names. */
    private static String release(String text) {
        return text.lines().map(String::strip).map(l -> l.replaceFirst("^//\\s*", "")).filter(l -> l.startsWith("Cuda compilation tools")).findFirst().orElse("?");
    }

    private static List<Path> committed() throws IOException {
        try (Stream<Path> s = Files.list(PTX)) {
            return s.filter(p -> p.toString().endsWith(".ptx")).sorted().toList();
        }
    }

    @Test
    void committedPtxMatchesTheSources(@TempDir Path tmp) throws Exception {
        Path nvcc = tool("nvcc");
        assumeTrue(nvcc != null, "no nvcc here: the committed PTX cannot be regenerated");
        String have = release(run(List.of(nvcc.toString(), "--version"), MODULE));
        String made = release(Files.readString(PTX.resolve("gemm.ptx")));
        assumeTrue(have.equals(made), "the committed PTX was made by '" + made + "', this nvcc is '" + have + "': outputs may differ in more than the header");
        run(List.of("bash", MODULE.resolve("generate-ptx.sh").toString(), tmp.toString()), MODULE);
        List<Path> mine = committed();
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(mine.stream().map(p -> p.getFileName().toString()).toList(),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "one PTX per CUDA source");
        }
        for (Path p : mine) {
            assertEquals(Files.readString(p), Files.readString(tmp.resolve(p.getFileName())),
                    p.getFileName() + " is stale: run cuda-kernels/generate-ptx.sh and commit the result");
        }
    }

    @Test
    void everyModuleAssemblesForHopper() throws Exception {
        Path ptxas = tool("ptxas");
        assumeTrue(ptxas != null, "no ptxas here");
        for (Path p : committed()) run(List.of(ptxas.toString(), "-arch=sm_90", p.toString(), "-o", "/dev/null"), MODULE);
    }
}
