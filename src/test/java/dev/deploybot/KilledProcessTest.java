package dev.deploybot;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.BotEnvironment;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.WireFakes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the bot answered as kept is handled after its process is killed outright (SIGKILL: no shutdown hook, no
 * closing of the database), as after a crash or an out-of-memory kill, once it starts again. The embedded H2 keeps
 * commits in memory until its next store; the bot keeps the events it answered in a log beside the database until H2
 * has written them, and the next start takes them back from there.
 */
class KilledProcessTest {
    private static final String KEY = "killed-process-key-0123456789abcdef";
    private static final int EVENTS = 40;
    @RegisterExtension
    final WireFakes fakes = new WireFakes();
    @TempDir
    Path directory;

    @Test
    void everyEventAnsweredAsAcceptedIsHandledOnceTheKilledBotStartsAgain() throws Exception {
        Path data = directory.resolve("data");
        int port = freePort();
        Process bot = start(data, port);
        List<String> accepted = new ArrayList<>();
        try {
            EventRequests door = new EventRequests(URI.create("http://localhost:" + port));
            AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json");
            AwsEvent first = failed.forBuild("app-ci:" + UUID.randomUUID()).withNewId();
            // Until the server is up and its database migrated, the door answers 503 or cannot be reached.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> postedOnce(door, first) == 202);
            accepted.add(first.id());
            for (int i = 1; i < EVENTS; i++) {
                AwsEvent event = failed.forBuild("app-ci:" + UUID.randomUUID()).withNewId();
                assertThat(door.post(event.toString(), KEY).statusCode()).as("event %d", i).isEqualTo(202);
                accepted.add(event.id());
            }
        } finally {
            bot.destroyForcibly(); // right after the last answer: nothing gets the chance to write it later
            assertThat(bot.waitFor(1, TimeUnit.MINUTES)).as("the process is gone").isTrue();
        }
        int writtenBeforeTheKill = handledAmong(data, accepted);

        Process again = start(data, port);
        try {
            // The start takes back what H2 never wrote; the events it took back are handled by the next sweep.
            await().atMost(Duration.ofMinutes(1)).until(() -> output().contains("open and migrated"));
            if (writtenBeforeTheKill < EVENTS) {
                await().atMost(Duration.ofMinutes(1)).until(() -> output().contains("left-over events handled"));
            }
            // One more, answered right before a clean stop: the stop has it written and leaves no log behind.
            AwsEvent last = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID()).withNewId();
            assertThat(new EventRequests(URI.create("http://localhost:" + port)).post(last.toString(), KEY).statusCode())
                    .isEqualTo(202);
            accepted.add(last.id());
        } finally {
            again.destroy(); // a clean stop, which closes the database
            assertThat(again.waitFor(1, TimeUnit.MINUTES)).as("the second process stopped").isTrue();
        }
        assertThat(handledAmong(data, accepted)).as("events kept, handled, after the kill and a start").isEqualTo(EVENTS + 1);
        try (var left = Files.list(data)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("files in the data directory")
                    .noneMatch(name -> name.contains("accepted"));
        }
    }

    private String output() throws IOException {
        return Files.readString(directory.resolve("output.txt"));
    }

    private Process start(Path data, int port) throws IOException {
        Path file = Files.writeString(directory.resolve("deploybot.yml"), """
                deploybot:
                  environments:
                    stg:
                      channel: C0STG
                  events:
                    routes:
                      ci:
                        codebuild-project: app-ci
                        channel: C0CI
                """);
        ProcessBuilder bot = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true).redirectOutput(directory.resolve("output.txt").toFile());
        Map<String, String> environment = new HashMap<>(BotEnvironment.of(fakes.slack(), fakes.aws(), data, file));
        environment.put("PORT", String.valueOf(port));
        environment.put("DEPLOYBOT_EVENTS_API_KEY", KEY);
        environment.put("DEPLOYBOT_EVENTS_HTTP_RETRY_DELAY", "1s");
        bot.environment().putAll(environment);
        return bot.start();
    }

    private static int postedOnce(EventRequests door, AwsEvent event) {
        try {
            return door.post(event.toString(), KEY).statusCode();
        } catch (RuntimeException notYetListening) {
            return -1;
        }
    }

    /** Read from the database file the killed process left, as the next start would find it. */
    private static int handledAmong(Path data, List<String> eventIds) throws Exception {
        int handled = 0;
        try (Connection store = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("deploybot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
             PreparedStatement statement = store.prepareStatement(
                     "SELECT handled_at FROM aws_events WHERE event_id = ?")) {
            for (String id : eventIds) {
                statement.setString(1, id);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getObject(1) != null) {
                        handled++;
                    }
                }
            }
        }
        return handled;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
