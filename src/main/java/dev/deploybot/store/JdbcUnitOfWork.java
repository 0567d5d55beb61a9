package dev.deploybot.store;

import dev.deploybot.activity.UnitOfWork;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.function.Supplier;

/** One database transaction that the other JDBC adapters' statements on this thread join. */
@Singleton
public class JdbcUnitOfWork implements UnitOfWork {
    private final Sql sql;

    public JdbcUnitOfWork(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public <T> T together(Supplier<T> work) {
        return sql.together(work);
    }
}
