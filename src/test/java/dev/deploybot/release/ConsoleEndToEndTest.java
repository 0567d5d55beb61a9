package dev.deploybot.release;

import dev.deploybot.Application;
import dev.deploybot.console.Console;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A release tried in the console: typed, refused to its requester, approved by someone else, shipped. */
class ConsoleEndToEndTest {
    @TempDir
    Path data;

    @Test
    void aReleaseRequestedInTheConsoleIsApprovedBySomeoneElseAndShipped() throws Exception {
        try (FakeAws aws = FakeAws.start(); FakeSlack unused = FakeSlack.start()) {
            ReleaseScenario prd = new ReleaseScenario(aws, unused, "app", "C0PRD").withHistory().withEcsService("web");
            Map<String, Object> config = new HashMap<>(ReleaseScenario.fastTimings());
            config.putAll(prd.environment("prd", "ecs", Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
            config.put("deploybot.store.directory", data.toString());
            DeploybotApp.pointAwsAt(aws);
            PipedOutputStream typing = new PipedOutputStream();
            PipedInputStream keyboard = new PipedInputStream(typing);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
            CompletableFuture<Void> console = CompletableFuture.runAsync(() -> {
                try {
                    Console.run(keyboard, terminal, DEV, "C0PRD", config, Application::launch);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            PrintStream keys = new PrintStream(typing, true, StandardCharsets.UTF_8);
            await().atMost(java.time.Duration.ofMinutes(2)).until(() -> shown(screen).contains("you are " + DEV));

            keys.println("/deploy prd tried in the console");
            sees(screen, console, "[ Approve ]");
            assertThat(shown(screen)).contains("@" + DEV, "tried in the console", prd.candidate.substring(7, 19));

            keys.println("approve");
            sees(screen, console, "someone else has to approve");
            keys.println("as " + LEAD);
            keys.println("approve");
            sees(screen, console, "Approved by @" + LEAD);

            await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web")));
            assertThat(image(aws.ecs().registeredTaskDefinitions().get(0), "web")).isEqualTo(FakeEcr.repositoryUri("app") + "@" + prd.candidate);
            assertThat(prd.tag("release")).isEqualTo(prd.candidate);
            aws.ecs().completeDeployment(CLUSTER, "web");
            sees(screen, console, "Succeeded");

            keys.println("quit");
            console.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(unused.calls()).as("no Slack involved").isEmpty();
        }
    }

    /** Waits for the text on the screen; a console that died shows why instead of a timeout. */
    private static void sees(ByteArrayOutputStream screen, CompletableFuture<Void> console, String text) {
        try {
            await().until(() -> {
                if (console.isCompletedExceptionally()) {
                    console.join();
                }
                return shown(screen).contains(text);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("never saw '" + text + "' on the screen:\n" + shown(screen), e);
        }
    }

    private static String shown(ByteArrayOutputStream screen) {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }
}
