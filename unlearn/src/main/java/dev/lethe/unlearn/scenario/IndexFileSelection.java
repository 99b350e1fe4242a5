package dev.lethe.unlearn.scenario;

import dev.lethe.data.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code indices:FILE}: forget the training samples whose indices a text file lists, one per
 * line or separated by commas and/or whitespace (blank lines are fine). The file is read and
 * checked when the spec is parsed — non-numbers, negative numbers, repeats and an empty file
 * are refused there, naming the file, the line and the value; that every index lies inside
 * the training set is checked against the data.
 *
 * @param file    the file as named in the spec
 * @param indices the indices in file order
 * @param lines   the 1-based line of each index, for error messages
 */
record IndexFileSelection(String file, int[] indices, int[] lines) implements Selection {
    /**
     * Reads and checks {@code file}.
     *
     * @throws IllegalArgumentException naming the file (and line and value) when it cannot be read or is malformed
     */
    static IndexFileSelection read(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("indices:" + file + ": cannot read the file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("indices:" + file + ": cannot read the file (" + e.getMessage() + ")", e);
        }
        return parse(file, text);
    }

    /** Parses the text of {@code file} (see the class comment). */
    static IndexFileSelection parse(String file, String text) {
        int[] indices = new int[16];
        int[] lines = new int[16];
        int n = 0;
        Map<Integer, Integer> firstLine = new HashMap<>();
        String[] rows = text.split("\r?\n|\r", -1);
        for (int row = 0; row < rows.length; row++) {
            for (String token : rows[row].split("[,\\s]+")) {
                if (token.isEmpty()) continue;
                int line = row + 1;
                int index = parseIndex(file, line, token);
                Integer earlier = firstLine.putIfAbsent(index, line);
                if (earlier != null) {
                    throw new IllegalArgumentException(file + " line " + line + ": index " + index + " repeats (first on line " + earlier + ")");
                }
                if (n == indices.length) {
                    indices = Arrays.copyOf(indices, 2 * n);
                    lines = Arrays.copyOf(lines, 2 * n);
                }
                indices[n] = index;
                lines[n++] = line;
            }
        }
        if (n == 0) throw new IllegalArgumentException(file + ": holds no indices (expected non-negative integers, one per line or comma/space separated)");
        return new IndexFileSelection(file, Arrays.copyOf(indices, n), Arrays.copyOf(lines, n));
    }

    private static int parseIndex(String file, int line, String token) {
        if (!token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(file + " line " + line + ": '" + token + "' is not an index (a non-negative integer)");
        }
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException(file + " line " + line + ": index " + token + " is too large", tooLarge);
        }
    }

    @Override
    public String spec() {
        return "indices:" + file;
    }

    @Override
    public int[] select(Dataset train, boolean[] gone, int numClasses, long seed) {
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i >= train.size()) {
                throw new IllegalArgumentException(file + " line " + lines[j] + ": index " + i + " is outside the training set [0, " + train.size() + ")");
            }
            if (gone[i]) {
                throw new IllegalArgumentException(file + " line " + lines[j] + ": index " + i + " was already forgotten by an earlier request");
            }
        }
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    @Override
    public int forgottenClass() {
        return -1;
    }
}
