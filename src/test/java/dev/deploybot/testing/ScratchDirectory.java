package dev.deploybot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for a bot's database, removed with everything in it once done. {@code deleteOnExit} cannot
 * do that for a directory that is not empty, and a benchmark's database grows to gigabytes: left behind, every run
 * of the suite ate disk until the machine's was full.
 */
public record ScratchDirectory(Path path) implements AutoCloseable {
    public static ScratchDirectory create(String prefix) {
        try {
            return new ScratchDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> everything = Files.walk(path)) {
            for (Path each : everything.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
