package dev.deploybot.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.deploybot.activity.EventInbox.ReceivedEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptedEventLogTest {
    @TempDir
    Path directory;

    @Test
    void onlyAnH2DatabaseInAFileHasALog() {
        assertThat(AcceptedEventLog.beside("jdbc:postgresql://db:5432/deploybot")).isEmpty();
        assertThat(AcceptedEventLog.beside("jdbc:h2:mem:deploybot")).isEmpty();
        assertThat(AcceptedEventLog.beside("jdbc:h2:file:" + directory.resolve("deploybot") + ";MODE=PostgreSQL"))
                .hasValueSatisfying(log -> assertThat(log.toString())
                        .isEqualTo(directory.resolve("deploybot.accepted-*.log").toString()));
    }

    @Test
    void eventsAreReadBackInTheOrderTheyWereAppendedAcrossFiles() throws IOException {
        AcceptedEventLog log = logHere();
        log.append(List.of(event("e1", "{\"one\": \"ü\"}"), event("e2", "{}")));
        List<Path> sealed = log.seal();
        log.append(List.of(event("e3", "{\"three\": 3}")));

        assertThat(sealed).hasSize(1);
        List<Path> files = log.files();
        assertThat(files).hasSize(2).startsWith(sealed.get(0));
        List<ReceivedEvent> read = new ArrayList<>();
        for (Path file : files) {
            read.addAll(AcceptedEventLog.read(file));
        }
        assertThat(read).containsExactly(event("e1", "{\"one\": \"ü\"}"), event("e2", "{}"), event("e3", "{\"three\": 3}"));
    }

    @Test
    void deletingTheSealedFilesLeavesWhatWasAppendedSince() throws IOException {
        AcceptedEventLog log = logHere();
        log.append(List.of(event("e1", "{}")));
        List<Path> sealed = log.seal();
        log.append(List.of(event("e2", "{}")));

        log.delete(sealed);

        assertThat(log.files()).hasSize(1);
        assertThat(AcceptedEventLog.read(log.files().get(0))).containsExactly(event("e2", "{}"));
    }

    @Test
    void readingStopsAtARecordCutShortOrDamaged() throws IOException {
        AcceptedEventLog log = logHere();
        log.append(List.of(event("e1", "{\"a\": 1}"), event("e2", "{\"b\": 2}"), event("e3", "{\"c\": 3}")));
        Path file = log.seal().get(0);
        long size = Files.size(file);

        try (RandomAccessFile cut = new RandomAccessFile(file.toFile(), "rw")) {
            cut.setLength(size - 3); // the process died in the middle of the last write
        }
        assertThat(AcceptedEventLog.read(file)).extracting(ReceivedEvent::id).containsExactly("e1", "e2");

        try (RandomAccessFile damaged = new RandomAccessFile(file.toFile(), "rw")) {
            damaged.seek(size / 2);
            damaged.write('#');
        }
        assertThat(AcceptedEventLog.read(file)).extracting(ReceivedEvent::id).containsExactly("e1");
    }

    /**
     * Threads commit events together, as the HTTP door's handlers do; the database is then closed without writing what
     * it kept in memory, as a killed process leaves it. What the log holds is taken back, unhandled with its body,
     * unless the database had it: nothing answered is missing, nothing is there twice.
     */
    @Test
    void everyEventCommittedTogetherIsInTheDatabaseOrTakenBackAfterACrash() throws Exception {
        List<String> ids = new ArrayList<>();
        try (HikariDataSource store = migratedH2()) {
            JdbcUnitOfWork unitOfWork = new JdbcUnitOfWork(store);
            JdbcEventInbox inbox = new JdbcEventInbox(store);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ReceivedEvent event = event("event-" + i, "{\"n\": " + i + "}");
                ids.add(event.id());
                answers.add(senders.submit(() -> unitOfWork.sharedCommit(
                        () -> inbox.admitHandled(event, "recorded", event.receivedAt()), event)));
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get()).isTrue();
            }
            senders.shutdown();
            // Not closed after: the database it belonged to is gone, and closing it would only say so.
            Connection connection = store.getConnection();
            connection.createStatement().execute("SHUTDOWN IMMEDIATELY");
            unitOfWork.stop();
        }
        try (HikariDataSource store = migratedH2()) {
            AcceptedEventLog log = AcceptedEventLog.beside(new Sql(store).url()).orElseThrow();
            int takenBack = log.takeBackInto(store);

            assertThat(rows(store, "SELECT COUNT(*) FROM aws_events WHERE handled_at IS NOT NULL")
                    + rows(store, "SELECT COUNT(*) FROM aws_events WHERE handled_at IS NULL AND body IS NOT NULL"))
                    .as("events written before the crash, and taken back").isEqualTo(ids.size());
            assertThat(rows(store, "SELECT COUNT(*) FROM aws_events WHERE handled_at IS NULL")).isEqualTo(takenBack);
            assertThat(log.files()).as("the log once taken back").isEmpty();
        }
    }

    private HikariDataSource migratedH2() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("deploybot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=500");
        config.setUsername("sa");
        HikariDataSource store = new HikariDataSource(config);
        Flyway.configure().dataSource(store).load().migrate();
        new Sql(store).writeCommitted(); // as the bot's start does: the crash below is not the migration's
        return store;
    }

    private static int rows(HikariDataSource store, String count) throws Exception {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(count)) {
            row.next();
            return row.getInt(1);
        }
    }

    private AcceptedEventLog logHere() {
        return AcceptedEventLog.beside("jdbc:h2:file:" + directory.resolve("deploybot")).orElseThrow();
    }

    private static ReceivedEvent event(String id, String body) {
        return new ReceivedEvent(id, "CodeBuild Build State Change", body, Instant.parse("2026-11-30T12:00:00.123Z"));
    }
}
