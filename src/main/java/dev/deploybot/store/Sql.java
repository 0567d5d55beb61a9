package dev.deploybot.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The little JDBC the adapters need: parameters bound in order, rows mapped by a lambda. Statements run inside
 * a unit of work ({@link #together}) on the same thread share its connection and commit with it.
 */
final class Sql {
    /** The connection of the unit of work running on this thread, with the data source it came from. */
    private static final ThreadLocal<Bound> BOUND = new ThreadLocal<>();
    private final DataSource dataSource;
    /** Whether commits wait in memory for the database's next store (H2); known from the first write on. */
    private volatile Boolean storesLater;

    private record Bound(DataSource source, Connection connection) {
    }

    Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Statements that share one connection and commit together. */
    interface Transaction {
        int update(String sql, Object... parameters) throws SQLException;

        <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) throws SQLException;
    }

    interface Work<T> {
        T run(Transaction transaction) throws SQLException;
    }

    int update(String sql, Object... parameters) {
        Connection bound = bound();
        if (bound != null) {
            try {
                return update(bound, sql, parameters);
            } catch (SQLException e) {
                throw new StoreFailure(sql, e);
            }
        }
        return updateOnItsOwn(sql, parameters);
    }

    /** Runs the statement on a connection of its own, committed at once even inside a unit of work on this thread. */
    int updateOnItsOwn(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection()) {
            int changed = update(connection, sql, parameters);
            if (changed > 0) {
                written(connection);
            }
            return changed;
        } catch (SQLException e) {
            throw new StoreFailure(sql, e);
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        Connection bound = bound();
        if (bound != null) {
            try {
                return query(bound, sql, mapper, parameters);
            } catch (SQLException e) {
                throw new StoreFailure(sql, e);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql, mapper, parameters);
        } catch (SQLException e) {
            throw new StoreFailure(sql, e);
        }
    }

    private static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    /** Runs the work on one connection, committed together or not at all; inside a unit of work, as part of it. */
    <T> T inTransaction(Work<T> work) {
        Connection bound = bound();
        if (bound != null) {
            try {
                return work.run(transactionOn(bound));
            } catch (SQLException e) {
                throw new StoreFailure("transaction", e);
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(transactionOn(connection));
                connection.commit();
                written(connection);
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreFailure("transaction", e);
        }
    }

    /**
     * Runs the work with every statement of every adapter on this thread (and this data source) in one
     * transaction: one commit for all of it, or nothing kept when it throws. Nested, it joins the outer one.
     */
    <T> T together(Supplier<T> work) {
        return together(work, true);
    }

    /**
     * As {@link #together}, but returns once committed, whether or not the database has written it to its file yet:
     * for a caller that keeps what it must not lose elsewhere until it is ({@link AcceptedEventLog}).
     */
    <T> T togetherUnwritten(Supplier<T> work) {
        return together(work, false);
    }

    private <T> T together(Supplier<T> work, boolean waitForWrite) {
        if (bound() != null) {
            return work.get();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            BOUND.set(new Bound(dataSource, connection));
            try {
                T result = work.get();
                connection.commit();
                if (waitForWrite) {
                    written(connection);
                }
                return result;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                BOUND.remove();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreFailure("transaction", e);
        }
    }

    /**
     * Inside {@link #together}: runs the work so that, when it throws, only its own statements are undone (a
     * savepoint) and the unit of work goes on without them.
     */
    <T> T undoneAloneOnFailure(Supplier<T> work) {
        Connection bound = bound();
        if (bound == null) {
            throw new IllegalStateException("a savepoint needs a unit of work");
        }
        Savepoint savepoint;
        try {
            savepoint = bound.setSavepoint();
        } catch (SQLException e) {
            throw new StoreFailure("savepoint", e);
        }
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            try {
                bound.rollback(savepoint);
            } catch (SQLException rollbackFailed) {
                e.addSuppressed(new StoreFailure("rollback to savepoint", rollbackFailed));
            }
            throw e;
        }
        try {
            bound.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new StoreFailure("release savepoint", e);
        }
        return result;
    }

    /**
     * Returns once what this connection committed is in the database's file, where the death of the process cannot
     * take it. H2 keeps commits in memory and writes them with its next store, which its own thread makes every
     * half second; the bot acts on a commit (answers a sender, calls AWS, posts to Slack) only after it asked for
     * that store itself, or kept what it answered in the {@link AcceptedEventLog} (the HTTP door's events). A store
     * writes every commit made since the last one, so the commits waiting for it at the same moment share it, and one
     * with nothing new costs nothing. PostgreSQL's commit is durable by itself.
     */
    private void written(Connection connection) throws SQLException {
        Boolean later = storesLater;
        if (later == null) {
            later = connection.getMetaData().getURL().startsWith("jdbc:h2:");
            storesLater = later;
        }
        if (later) {
            try (Statement store = connection.createStatement()) {
                store.execute("CHECKPOINT");
            }
        }
    }

    /** Returns once everything committed so far is in the database's file (see {@link #written}). */
    void writeCommitted() {
        try (Connection connection = dataSource.getConnection()) {
            written(connection);
        } catch (SQLException e) {
            throw new StoreFailure("CHECKPOINT", e);
        }
    }

    /** The database's JDBC URL, as its driver gives it. */
    String url() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new StoreFailure("database URL", e);
        }
    }

    /** True inside {@link #together} on this thread: statements are kept by its commit. */
    boolean inUnitOfWork() {
        return bound() != null;
    }

    private Connection bound() {
        Bound bound = BOUND.get();
        return bound != null && bound.source() == dataSource ? bound.connection() : null;
    }

    private static Transaction transactionOn(Connection connection) {
        return new Transaction() {
            @Override
            public int update(String sql, Object... parameters) throws SQLException {
                return Sql.update(connection, sql, parameters);
            }

            @Override
            public <R> List<R> query(String sql, RowMapper<R> mapper, Object... parameters) throws SQLException {
                return Sql.query(connection, sql, mapper, parameters);
            }
        };
    }

    static boolean isUniqueViolation(StoreFailure failure) {
        // 23505 is unique_violation in PostgreSQL and in H2.
        return failure.getCause() instanceof SQLException e && "23505".equals(e.getSQLState());
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            statement.setObject(i + 1, parameter instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : parameter);
        }
        return statement;
    }
}
