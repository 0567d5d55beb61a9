package dev.deploybot.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresSupportTest {

    @Test
    void eachNewDatabaseIsIndependent() throws SQLException {
        String first = EmbeddedPostgresSupport.newDatabase();
        String second = EmbeddedPostgresSupport.newDatabase();
        assertThat(first).startsWith("jdbc:postgresql://localhost:").isNotEqualTo(second);

        try (Connection a = connect(first); Statement s = a.createStatement()) {
            s.execute("CREATE TABLE deployment (id serial PRIMARY KEY, service text NOT NULL)");
            assertThat(s.executeUpdate("INSERT INTO deployment (service) VALUES ('api'), ('worker')")).isEqualTo(2);
            assertThat(strings(s, "SELECT service FROM deployment ORDER BY id")).containsExactly("api", "worker");
        }
        try (Connection b = connect(second); Statement s = b.createStatement()) {
            assertThat(strings(s, "SELECT coalesce(to_regclass('deployment')::text, 'absent')")).containsExactly("absent");
        }
    }

    @Test
    void connectsAsTheAdvertisedUser() throws SQLException {
        try (Connection c = connect(EmbeddedPostgresSupport.newDatabase()); Statement s = c.createStatement()) {
            assertThat(strings(s, "SELECT current_user")).containsExactly(EmbeddedPostgresSupport.user());
        }
    }

    @Test
    void newDatabaseIsSafeToCallConcurrently() throws Exception {
        int threads = 6;
        CountDownLatch go = new CountDownLatch(1);
        Callable<String> createAndName = () -> {
            go.await();
            try (Connection c = connect(EmbeddedPostgresSupport.newDatabase()); Statement s = c.createStatement()) {
                return strings(s, "SELECT current_database()").get(0);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> names = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                names.add(pool.submit(createAndName));
            }
            go.countDown(); // all at once: the calls race each other (and the lazy cluster start, when this runs first)
            List<String> databases = new ArrayList<>();
            for (Future<String> name : names) {
                databases.add(name.get(2, TimeUnit.MINUTES));
            }
            assertThat(databases).doesNotHaveDuplicates().hasSize(threads);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresSupport.user(), "");
    }

    private static List<String> strings(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
