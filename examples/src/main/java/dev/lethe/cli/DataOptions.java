package dev.lethe.cli;

import dev.lethe.cpu.Parallel;
import dev.lethe.data.FashionMnist;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The options every command that reads Fashion-MNIST and runs kernels shares: {@code --data}, {@code --threads}. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "IDX folder (train-images-idx3-ubyte[.gz] ...), e.g. /usr/share/datasets/fashion-mnist. Default: the bundled 10k/2k subset.")
    Path data;

    @Option(names = "--threads", description = "Kernel threads (default: all cores). Results are identical for every count.")
    Integer threads;

    /** Applies {@code --threads} (checked) to the kernels. */
    void applyThreads() {
        if (threads == null) return;
        if (threads < 1) throw new IllegalArgumentException("--threads must be ≥ 1, got " + threads);
        Parallel.setThreads(threads);
    }

    /** The data set {@code --data} names, or the bundled subset. */
    FashionMnist load() throws IOException {
        if (data != null && !Files.isDirectory(data)) throw new IllegalArgumentException("--data " + data + " is not a folder");
        return data == null ? FashionMnist.bundled() : FashionMnist.load(data);
    }

    /** One line on the data, for logs and reports. */
    String describe(FashionMnist fm) {
        return String.format(Locale.ROOT, "Fashion-MNIST, %s: %,d train / %,d test", data == null ? "the bundled subset" : data.toString(),
                fm.train().size(), fm.test().size());
    }
}
