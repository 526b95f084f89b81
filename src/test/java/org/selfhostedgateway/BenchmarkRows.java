package org.selfhostedgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Figures for {@code benchmarks/run-all.sh}: each benchmark records its rows ({@code key<TAB>value}) in the file that
 * {@code BENCH_ROWS_FILE} names, as the shell benchmarks do with {@code sg_bench_row}. Without it, nothing is written.
 */
public final class BenchmarkRows {

    private BenchmarkRows() {
    }

    public static void record(String key, String value) {
        String file = System.getenv("BENCH_ROWS_FILE");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), key + "\t" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
