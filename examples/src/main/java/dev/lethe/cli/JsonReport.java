package dev.lethe.cli;

import dev.lethe.io.AtomicWrite;
import dev.lethe.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes a command's report as indented JSON, atomically (NaN becomes null). */
final class JsonReport {
    private JsonReport() {}

    static void write(Path file, Object report) throws IOException {
        AtomicWrite.write(file, Json.writeReport(report).getBytes(StandardCharsets.UTF_8));
    }
}
