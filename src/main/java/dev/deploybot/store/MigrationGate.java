package dev.deploybot.store;

import dev.deploybot.core.SomeoneWaiting;
import dev.deploybot.core.StoreUnavailable;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.configuration.jdbc.hikari.DatasourceFactory;
import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.EachBean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.flyway.FlywayMigrator;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The data source every adapter gets. The database opens, fills its pool and is migrated by Flyway (which first
 * validates every migration already applied) on a thread of its own, started as soon as the HTTP server takes
 * requests: on the main thread it was the largest part of the start-up, and even on a thread of its own it took the
 * two cores from the start itself. A connection is handed out only once the schema is migrated. A caller before then
 * waits for it: one answering someone who waits (an HTTP request, or a Slack command however it arrived: see
 * {@link SomeoneWaiting}) at most {@link #WAIT} (long enough for a migration that is nearly done, short enough to still
 * answer Slack within its 3 seconds), other work (the delivery loop, the outbox, housekeeping, the SQS poller, the
 * work a command hands on after its answer) at most {@link #MAX_WAIT}. It is then refused with an {@link SQLException} whose cause is a
 * {@link StoreUnavailable}: retryable while the database is still being migrated, not when opening or migrating
 * failed. An application context that starts no server (some tests) opens the database {@link #WITHOUT_SERVER} after
 * it started.
 */
public final class MigrationGate implements DataSource {
    static final Duration WAIT = Duration.ofSeconds(2);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** Longer than a server takes to start once the application context has: a context without one opens the database then. */
    static final Duration WITHOUT_SERVER = Duration.ofSeconds(1);
    /** How long stopping waits for an opening or migration in progress before closing the pool under it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MigrationGate.class);
    private final String name;
    private final Runnable opening;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final CompletableFuture<DataSource> migrated = new CompletableFuture<>();
    /** Set once migrated: the fast path of every later call. */
    private volatile DataSource ready;
    /** Set once the pool exists, so that stopping closes it even when the migration failed. */
    private volatile AutoCloseable pool;

    private MigrationGate(String name, DatasourceFactory pools, DatasourceConfiguration configuration, FlywayMigrator migrator,
                          BeanLocator beans) {
        this.name = name;
        this.opening = () -> open(pools, configuration, migrator, beans);
    }

    /**
     * Completes once the database is open and migrated; fails with the reason it could not be, or with a
     * {@link CancellationException} when the application stopped before it was opened.
     */
    public CompletionStage<Void> migrated() {
        return migrated.thenApply(dataSource -> null);
    }

    /** Starts opening and migrating the database on a thread of its own, once. */
    private void open() {
        if (opened.compareAndSet(false, true)) {
            Thread thread = new Thread(opening, "store-open-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void open(DatasourceFactory pools, DatasourceConfiguration configuration, FlywayMigrator migrator, BeanLocator beans) {
        long started = System.nanoTime();
        try {
            DataSource opened = pools.dataSource(configuration);
            pool = (AutoCloseable) opened;
            beans.findBean(FlywayConfigurationProperties.class, Qualifiers.byName(name))
                    .ifPresent(flyway -> migrator.run(flyway, opened));
            // Written before anything acts on it: killed within H2's write delay, a process would leave the schema
            // changed in the file and Flyway's history of it not.
            new Sql(opened).writeCommitted();
            takeBackAcceptedEvents(opened);
            ready = opened;
            migrated.complete(opened);
            LOG.info("database {} open and migrated in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException | Error e) {
            LOG.error("the database {} could not be opened or migrated", name, e);
            migrated.completeExceptionally(e);
        }
    }

    /** Before anything else uses the database: what a process answered as kept and stopped before H2 wrote. */
    private void takeBackAcceptedEvents(DataSource opened) {
        Optional<AcceptedEventLog> log = AcceptedEventLog.beside(new Sql(opened).url());
        if (log.isEmpty()) {
            return;
        }
        try {
            int takenBack = log.get().takeBackInto(opened);
            if (takenBack > 0) {
                LOG.info("{} accepted events the last process stopped before writing are back in aws_events, to be handled", takenBack);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log.get(), e);
        }
    }

    private DataSource migratedDataSource() throws SQLException {
        DataSource known = ready;
        if (known != null) {
            return known;
        }
        try {
            return migrated.get(patience().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SQLTransientConnectionException("the database is still being opened and migrated", "08001",
                    new StoreUnavailable("Starting", "still being opened and migrated after start-up", true, e));
        } catch (ExecutionException e) {
            throw new SQLNonTransientConnectionException("the database could not be opened or migrated", "08001",
                    new StoreUnavailable("Unavailable", String.valueOf(e.getCause()), false, e.getCause()));
        } catch (CancellationException e) {
            throw new SQLNonTransientConnectionException("the application stopped before the database was opened", "08001",
                    new StoreUnavailable("Stopped", "the application stopped before it was opened", false, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for the database to be migrated", "08001", e);
        }
    }

    /** How long the calling thread waits for the migration. */
    static Duration patience() {
        return ServerRequestContext.currentRequest().isPresent() || SomeoneWaiting.onThisThread() ? WAIT : MAX_WAIT;
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

    /**
     * Waits for an opening still in progress (interrupting H2's file I/O would close its files), then closes the pool;
     * a database not opened yet is not opened any more.
     */
    void close() throws Exception {
        if (opened.compareAndSet(false, true)) {
            migrated.cancel(false);
            return;
        }
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
        String state = ready != null ? "migrated" : migrated.isCompletedExceptionally() ? "failed" : opened.get() ? "opening" : "not opened yet";
        return "MigrationGate[" + name + ", " + state + "]";
    }

    /**
     * In place of Micronaut's own data source bean (the same Hikari pool, built by the same factory, on another
     * thread). Flyway's own automatic run is off ({@code flyway.datasources.default.enabled: false}), since it would
     * migrate on the main thread as the data source is built; this runs the same migration, with the same
     * configuration, once the pool is open.
     */
    @Factory
    static class Opening {
        private final List<MigrationGate> gates = new CopyOnWriteArrayList<>();

        @Context
        @EachBean(DatasourceConfiguration.class)
        @Replaces(bean = DataSource.class, factory = DatasourceFactory.class)
        @Bean(preDestroy = "close")
        MigrationGate dataSource(DatasourceConfiguration configuration, DatasourceFactory pools, FlywayMigrator migrator,
                                 BeanLocator beans) {
            // Switched on, Flyway's own run would wait on this gate on the main thread, for a migration that only starts later.
            beans.findBean(FlywayConfigurationProperties.class, Qualifiers.byName(configuration.getName()))
                    .filter(FlywayConfigurationProperties::isEnabled).ifPresent(flyway -> {
                        throw new IllegalStateException("flyway.datasources." + configuration.getName()
                                + ".enabled must stay false: deploybot migrates the database itself once the server is up");
                    });
            MigrationGate gate = new MigrationGate(configuration.getName(), pools, configuration, migrator, beans);
            gates.add(gate);
            return gate;
        }

        @EventListener
        void contextStarted(StartupEvent started) {
            CompletableFuture.delayedExecutor(WITHOUT_SERVER.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> gates.forEach(MigrationGate::open));
        }

        @EventListener
        void serverStarted(ServerStartupEvent started) {
            gates.forEach(MigrationGate::open);
        }
    }
}
