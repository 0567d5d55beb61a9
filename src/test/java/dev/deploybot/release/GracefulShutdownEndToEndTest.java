package dev.deploybot.release;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM while a release rolls out is a pause, not a crash: after the restart the release finishes. */
class GracefulShutdownEndToEndTest {
    private FakeSlack slack;
    private FakeAws aws;
    private DeploybotApp app;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void stop() {
        root().detachAppender(log);
        if (app != null) {
            app.close();
        }
        aws.close();
        slack.close();
    }

    @Test
    void aReleaseStoppedByShutdownFinishesAfterTheRestartWithoutDatabaseErrors() throws InterruptedException {
        ReleaseScenario prd = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        app = ReleaseScenario.app(slack, aws, prd.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        app.slack().slashCommand(DEV, prd.channel, "/deploy", "prd");
        SlackMessage request = prd.awaitRequestMessage();
        app.slack().clickButton(SRE, prd.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web")));
        prd.awaitMessage(request, "deploying");

        // What the JVM does on SIGTERM: the context closes on a shutdown-hook thread while the rollout is followed.
        Thread shutdownHook = new Thread(app::stop, "shutdown-hook");
        shutdownHook.start();
        shutdownHook.join();
        app.restart();
        aws.ecs().completeDeployment(CLUSTER, "web");

        prd.awaitMessage(request, "Succeeded");
        assertThat(app.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow().state()).isEqualTo(ReleaseState.SUCCEEDED);
        assertThat(problems()).noneMatch(line -> line.contains("closed")).noneMatch(line -> line.contains("unexpectedly"));
    }

    /** Every warning and error logged, with the messages of its exception chain, lower-cased. */
    private List<String> problems() {
        return log.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).map(event -> {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                text.append(" / ").append(cause.getMessage());
            }
            return text.toString().toLowerCase(Locale.ROOT);
        }).toList();
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
