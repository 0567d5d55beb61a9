package dev.deploybot.store;

import dev.deploybot.core.StoreUnavailable;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.configuration.jdbc.hikari.DatasourceFactory;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.EachBean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data source every adapter gets. The database opens, fills its pool and is migrated by Flyway (which first
 * validates every migration already applied) on a thread of its own, started right after the configuration is
 * checked, while the rest of the application and the HTTP server start: on the main thread that was the largest
 * part of the start-up. A connection is handed out only once the schema is migrated. A caller before that waits for it: at most
 * {@link #WAIT} once the server takes requests (long enough for a migration that is nearly done, short enough to
 * still answer Slack within its 3 seconds), and, before then, while nobody can be waiting for an answer (work that
 * starts with the application, such as the delivery loop), until {@link #WAIT} after the server started, or at most
 * {@link #MAX_WAIT}. It is then refused with an {@link SQLException} whose cause is a {@link StoreUnavailable}:
 * retryable while the database is still being migrated, not when opening or migrating failed.
 */
public final class MigrationGate implements DataSource {
    static final Duration WAIT = Duration.ofSeconds(2);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** How often a caller waiting from before the server started looks again at how long it may still wait. */
    private static final Duration RECHECK = Duration.ofMillis(100);
    /** How long stopping waits for an opening or migration in progress before closing the pool under it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MigrationGate.class);
    private final String name;
    private final CompletableFuture<DataSource> migrated = new CompletableFuture<>();
    /** Set once migrated: the fast path of every later call. */
    private volatile DataSource ready;
    /** Set once the pool exists, so that stopping closes it even when the migration failed. */
    private volatile AutoCloseable pool;
    /** When the server started taking requests ({@link System#nanoTime()}); 0 before. */
    private volatile long serving;

    private MigrationGate(String name) {
        this.name = name;
    }

    /** Completes once the database is open and migrated; fails with the reason it could not be. */
    public CompletionStage<Void> migrated() {
        return migrated.thenApply(dataSource -> null);
    }

    private void open(DatasourceFactory pools, DatasourceConfiguration configuration, FlywayMigrator migrator, BeanLocator beans) {
        long started = System.nanoTime();
        try {
            DataSource opened = pools.dataSource(configuration);
            pool = (AutoCloseable) opened;
            beans.findBean(FlywayConfigurationProperties.class, Qualifiers.byName(name))
                    .ifPresent(flyway -> migrator.run(flyway, opened));
            ready = opened;
            migrated.complete(opened);
            LOG.info("database {} open and migrated in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException | Error e) {
            LOG.error("the database {} could not be opened or migrated", name, e);
            migrated.completeExceptionally(e);
        }
    }

    private DataSource migratedDataSource() throws SQLException {
        DataSource known = ready;
        if (known != null) {
            return known;
        }
        long called = System.nanoTime();
        try {
            while (true) {
                long since = serving;
                long deadline = since == 0 ? called + MAX_WAIT.toNanos() : Math.max(called, since) + WAIT.toNanos();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SQLTransientConnectionException("the database is still being opened and migrated", "08001",
                            new StoreUnavailable("Starting", "still being opened and migrated after start-up", true, null));
                }
                try {
                    return migrated.get(since == 0 ? Math.min(left, RECHECK.toNanos()) : left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException notYet) {
                    // look again: the server may have started meanwhile
                }
            }
        } catch (ExecutionException e) {
            throw new SQLNonTransientConnectionException("the database could not be opened or migrated", "08001",
                    new StoreUnavailable("Unavailable", String.valueOf(e.getCause()), false, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for the database to be migrated", "08001", e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return migratedDataSource().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return migratedDataSource().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return migratedDataSource().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        migratedDataSource().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        migratedDataSource().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return migratedDataSource().getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("not used");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : migratedDataSource().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || migratedDataSource().isWrapperFor(type);
    }

    private void serving() {
        serving = System.nanoTime();
    }

    /** Waits for an opening still in progress (interrupting H2's file I/O would close its files), then closes the pool. */
    void close() throws Exception {
        try {
            migrated.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closed as far as it was opened
        }
        AutoCloseable opened = pool;
        if (opened != null) {
            opened.close();
        }
    }

    @Override
    public String toString() {
        return "MigrationGate[" + name + (ready != null ? ", migrated" : migrated.isCompletedExceptionally() ? ", failed" : ", opening") + "]";
    }

    /**
     * In place of Micronaut's own data source bean (the same Hikari pool, built by the same factory, on another
     * thread): built right after the configuration gate and the Slack token check, so the opening starts as early
     * as it may. Flyway's own automatic run is off ({@code flyway.datasources.default.enabled: false}), since it
     * would migrate on the main thread; this runs the same migration, with the same configuration, afterwards.
     */
    @Factory
    static class Opening implements ApplicationEventListener<ServerStartupEvent> {
        private final List<MigrationGate> gates = new CopyOnWriteArrayList<>();

        @Context
        @Order(Ordered.HIGHEST_PRECEDENCE + 2)
        @EachBean(DatasourceConfiguration.class)
        @Replaces(bean = DataSource.class, factory = DatasourceFactory.class)
        @Bean(preDestroy = "close")
        MigrationGate dataSource(DatasourceConfiguration configuration, DatasourceFactory pools, FlywayMigrator migrator,
                                 BeanLocator beans) {
            MigrationGate gate = new MigrationGate(configuration.getName());
            Thread opening = new Thread(() -> gate.open(pools, configuration, migrator, beans), "store-open-" + configuration.getName());
            opening.setDaemon(true);
            opening.start();
            gates.add(gate);
            return gate;
        }

        @Override
        public void onApplicationEvent(ServerStartupEvent started) {
            gates.forEach(MigrationGate::serving);
        }
    }
}
