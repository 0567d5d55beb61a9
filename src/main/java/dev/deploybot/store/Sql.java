package dev.deploybot.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The little JDBC the adapters need: parameters bound in order, rows mapped by a lambda. */
final class Sql {
    private final DataSource dataSource;

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
        try (Connection connection = dataSource.getConnection()) {
            return update(connection, sql, parameters);
        } catch (SQLException e) {
            throw new StoreFailure(sql, e);
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
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

    /** Runs the work on one connection, committed together or not at all. */
    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(new Transaction() {
                    @Override
                    public int update(String sql, Object... parameters) throws SQLException {
                        return Sql.update(connection, sql, parameters);
                    }

                    @Override
                    public <R> List<R> query(String sql, RowMapper<R> mapper, Object... parameters) throws SQLException {
                        return Sql.query(connection, sql, mapper, parameters);
                    }
                });
                connection.commit();
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
