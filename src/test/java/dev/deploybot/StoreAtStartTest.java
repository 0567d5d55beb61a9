package dev.deploybot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.events.DeliveryLoop;
import dev.deploybot.events.Housekeeping;
import dev.deploybot.pipeline.ReleaseHousekeeping;
import dev.deploybot.release.EnvironmentLocks;
import dev.deploybot.store.MigrationGate;
import dev.deploybot.testing.BotEnvironment;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.FakeSocketMode;
import dev.deploybot.testing.HeldMigration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The database opens and migrates while the server starts: what needs no records is answered at once, what needs
 * them waits for the migration, and gets a plain answer (never a 5xx) when the database is not there in time or not
 * at all.
 */
class StoreAtStartTest {
    /**
     * Well under the minute that work answering nobody waits for the migration (and {@link HeldMigration} holds it),
     * well over the short wait on a loaded machine.
     */
    private static final Duration SHORTER_THAN_THE_LONG_WAIT = Duration.ofSeconds(20);
    @TempDir
    Path directory;
    private FakeSlack slack;
    private FakeAws aws;
    private DeploybotApp app;
    private FakeSocketMode socket;

    @BeforeEach
    void fakes() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
    }

    @AfterEach
    void stop() {
        HeldMigration.release();
        if (app != null) {
            app.close();
        }
        if (socket != null) {
            socket.close();
        }
        aws.close();
        slack.close();
    }

    @Test
    void helpIsAnsweredWhileTheDatabaseMigratesAndACommandThatNeedsItWaitsForIt() throws Exception {
        HeldMigration.hold();
        app = DeploybotApp.startWhileMigrating(slack, aws, configuration(directory.resolve("data")));

        HttpResponse<String> help = app.slack().slashCommand("U0ALICE", "C0STG", "/deploy", "help");
        assertThat(help.statusCode()).isEqualTo(200);
        assertThat(help.body()).contains("stg");

        CompletableFuture<HttpResponse<String>> lock = CompletableFuture.supplyAsync(
                () -> app.slack().slashCommand("U0ALICE", "C0STG", "/deploy", "lock stg while the database migrates"));
        assertThatThrownBy(() -> lock.get(300, TimeUnit.MILLISECONDS)).as("no answer while the migration is held")
                .isInstanceOf(TimeoutException.class);
        HeldMigration.release();
        HttpResponse<String> locked = lock.get(30, TimeUnit.SECONDS);
        assertThat(locked.statusCode()).isEqualTo(200);
        assertThat(locked.body()).contains("stg is locked");
    }

    @Test
    void aCommandThatNeedsTheDatabaseIsToldToTryAgainWhenItIsNotMigratedInTime() {
        HeldMigration.hold();
        app = DeploybotApp.startWhileMigrating(slack, aws, configuration(directory.resolve("data")));

        HttpResponse<String> lock = app.slack().slashCommand("U0ALICE", "C0STG", "/deploy", "lock stg too early");

        assertThat(lock.statusCode()).isEqualTo(200);
        assertThat(lock.body()).contains("still starting").contains("nothing was done").doesNotContain("internal error");
    }

    /** Over Socket Mode no HTTP request is in flight, yet Slack still wants the envelope acked within 3 seconds. */
    @Test
    void aCommandOverTheSocketThatNeedsTheDatabaseIsToldToTryAgainAsSoonAsOverHttp() throws Exception {
        socket = FakeSocketMode.start(slack);
        HeldMigration.hold();
        Map<String, Object> configuration = configuration(directory.resolve("data"));
        configuration.put("deploybot.slack.app-token", "xapp-1-A0TEST-socket");
        configuration.put("deploybot.slack.http-enabled", false);
        app = DeploybotApp.startWhileMigrating(slack, aws, configuration);
        await().until(socket::connectionsOpened, opened -> opened >= 1);
        int awsCalls = aws.calls().size();

        String early = socket.slashCommand("U0ALICE", "C0STG", "/deploy", "lock stg while the database migrates");
        JsonNode refused = await().atMost(SHORTER_THAN_THE_LONG_WAIT).until(() -> socket.ack(early), Optional::isPresent).orElseThrow();

        assertThat(refused.path("payload").path("text").asText()).contains("still starting").contains("nothing was done")
                .doesNotContain("internal error");
        HeldMigration.release();
        app.bean(MigrationGate.class).migrated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        EnvironmentLocks locks = app.bean(EnvironmentLocks.class);
        assertThat(locks.lockOf("stg")).as("the refused command locked nothing").isEmpty();

        String again = socket.slashCommand("U0ALICE", "C0STG", "/deploy", "lock stg while the database migrates");
        JsonNode locked = await().until(() -> socket.ack(again), Optional::isPresent).orElseThrow();
        assertThat(locked.path("payload").path("text").asText()).contains("stg is locked");
        assertThat(locks.lockOf("stg")).hasValueSatisfying(lock -> assertThat(lock.holder()).isEqualTo("U0ALICE"));
        assertThat(aws.calls()).as("nothing reached AWS").hasSize(awsCalls);
    }

    @Test
    void aCommandThatNeedsTheDatabaseIsToldWhenItCannotBeOpened() throws Exception {
        Path notADirectory = Files.createFile(directory.resolve("not-a-directory"));
        app = DeploybotApp.startWhileMigrating(slack, aws, configuration(notADirectory.resolve("data")));

        HttpResponse<String> lock = app.slack().slashCommand("U0ALICE", "C0STG", "/deploy", "lock stg without a database");

        assertThat(lock.statusCode()).isEqualTo(200);
        assertThat(lock.body()).contains("cannot open its database").contains("nothing was done");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.url().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("DOWN");
    }

    /**
     * Until the process exits (see {@link Application}), the loops that ask the store keep running: the database's
     * failure is the gate's one error, and each loop says in one line, without a stack trace, that its round was skipped.
     */
    @Test
    void theLoopsThatNeedTheDatabaseSayInOneLineThatItCannotBeOpened() throws Exception {
        List<Logger> loops = List.of(logger(DeliveryLoop.class), logger(Housekeeping.class), logger(ReleaseHousekeeping.class),
                (Logger) LoggerFactory.getLogger("dev.deploybot.slack.OutboxDelivery"));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        loops.forEach(loop -> loop.addAppender(log));
        try {
            Map<String, Object> configuration = configuration(Files.createFile(directory.resolve("not-a-directory")).resolve("data"));
            configuration.put("deploybot.events.delivery.interval", "100ms");
            configuration.put("deploybot.events.reconcile.interval", "100ms");
            configuration.put("deploybot.events.http.retry-delay", "100ms");
            configuration.put("deploybot.release.housekeeping-delay", "100ms");
            configuration.put("deploybot.release.housekeeping-interval", "100ms");
            app = DeploybotApp.startWhileMigrating(slack, aws, configuration);

            await().untilAsserted(() -> assertThat(List.copyOf(log.list)).extracting(ILoggingEvent::getLoggerName)
                    .as("every loop has had a round since").contains(loops.stream().map(Logger::getName).toArray(String[]::new)));
            assertThat(List.copyOf(log.list)).allSatisfy(line -> {
                assertThat(line.getThrowableProxy()).as("stack trace of: %s", line.getFormattedMessage()).isNull();
                assertThat(line.getLevel()).as(line.getFormattedMessage()).isNotEqualTo(ch.qos.logback.classic.Level.ERROR);
                assertThat(line.getFormattedMessage()).contains("database").doesNotContain("\n");
            });
        } finally {
            loops.forEach(loop -> loop.detachAppender(log));
        }
    }

    /**
     * The process as the README's run command starts it: the database's error once, one line saying the bot stopped,
     * exit code 1, and no round left waiting for a database that will never come (when the failure came after the start
     * had returned, the stop used to wait 40 s for them; whether it does here depends on which comes first).
     */
    @Test
    void aDatabaseThatCannotBeOpenedStopsTheProcessWithExitCode1() throws Exception {
        Path notADirectory = Files.createFile(directory.resolve("not-a-directory"));
        Path file = Files.writeString(directory.resolve("deploybot.yml"),
                "deploybot:\n  environments:\n    stg:\n      channel: C0STG\n      build:\n        project: app-stg\n");
        Path output = directory.resolve("output.txt");
        ProcessBuilder bot = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        bot.environment().putAll(BotEnvironment.of(slack, aws, notADirectory.resolve("data"), file));
        bot.environment().put("PORT", "-1");
        Process process = bot.start();
        try {
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the process ends").isTrue();
            String log = Files.readString(output);
            assertThat(process.exitValue()).as(log).isEqualTo(Application.STORE_EXIT_CODE).isEqualTo(1);
            assertThat(log)
                    .contains("the database default could not be opened or migrated")
                    .contains("deploybot stopped: its database could not be opened or migrated")
                    .doesNotContain("a scheduled round is still running", "interrupted while waiting for the database");
        } finally {
            process.destroyForcibly();
        }
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }

    private static Map<String, Object> configuration(Path data) {
        Map<String, Object> configuration = new HashMap<>(HeldMigration.PROPERTIES);
        configuration.put("deploybot.store.directory", data.toString());
        configuration.put("deploybot.environments.stg.channel", "C0STG");
        configuration.put("deploybot.environments.stg.build.project", "app-stg");
        return configuration;
    }
}
