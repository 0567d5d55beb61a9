package dev.deploybot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How much CPU a JVM's JIT compiler threads used so far. On two cores the compiler keeps a core busy far longer
 * than one would guess; the benchmarks warm a program up until it goes quiet, so their figures are the program's
 * steady state, not its compiler's first minutes.
 */
final class JitCompiler {
    /** Quiet enough: the compiler threads busy on at most a tenth of a core meanwhile. */
    static final double QUIET_CORES = 0.1;

    private JitCompiler() {
    }

    /** Of this JVM. */
    static long cpuNanos() {
        return Files.isDirectory(Path.of("/proc/self/task")) ? cpuNanos("self")
                : ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000L;
    }

    /** Of another process; 0 where Linux's per-thread accounting cannot be read. */
    static long cpuNanos(long pid) {
        return cpuNanos(Long.toString(pid));
    }

    /**
     * Read from Linux's per-thread accounting (in ticks of 10 ms); elsewhere the JVM reports only its own
     * compilation time, which counts waiting for a core too.
     */
    private static long cpuNanos(String process) {
        long ticks = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", process, "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                        // After "(comm)": fields 14 and 15 of the line are user and system time.
                        String stat = Files.readString(thread.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException gone) {
                    // A compiler thread can end between listing and reading.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }
}
