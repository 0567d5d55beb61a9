package dev.deploybot.release;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploybot.config.BoundedJsonEncoder;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With {@code LOG_FORMAT=json}, what the bot logs while it works on a release says which release and environment. */
class LogContextEndToEndTest {
    private final FakeSlack slack = FakeSlack.start();
    private final FakeAws aws = FakeAws.start();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    private DeploybotApp app;

    @AfterEach
    void stop() {
        root.detachAppender(lines);
        if (app != null) {
            app.close();
        }
        aws.close();
        slack.close();
    }

    @Test
    void linesAboutAReleaseCarryItsIdAndEnvironment() throws Exception {
        ReleaseScenario prd = new ReleaseScenario(aws, slack, "app-l", "C0LOGS").withHistory().withEcsService("web-l");
        app = ReleaseScenario.app(slack, aws, new HashMap<>(prd.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web-l", "container", "web"))));
        lines.start();
        root.addAppender(lines);

        app.slack().slashCommand(DEV, prd.channel, "/deploy", "prd with context");
        SlackMessage request = prd.awaitRequestMessage();
        String id = requestId(request);
        for (int attempt = 0; attempt < 4; attempt++) {
            aws.failNext(FakeEcr.TARGET_PREFIX + ".BatchGetImage", AwsError.throttling());
        }
        slack.failNext("chat.update", 1, FakeSlack.Failure.notOk("cant_update_message"));
        app.slack().clickButton(SRE, prd.channel, request.ts(), "release_approve", id);
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-l")));
        aws.ecs().completeDeployment(CLUSTER, "web-l");
        prd.awaitMessage(request, "Succeeded");

        JsonNode paused = json(line("ReleasePipeline", "paused"));
        assertThat(paused.path("mdc").path("release").asText()).isEqualTo(id);
        assertThat(paused.path("mdc").path("environment").asText()).isEqualTo("prd");
        assertThat(paused.path("mdc").path("request").asText()).as("the click that started the work").isNotEmpty();
        JsonNode refused = json(line("OutboxDelivery", "refused"));
        assertThat(refused.path("mdc").path("release").asText()).as("delivering the release's message").isEqualTo(id);
    }

    private ILoggingEvent line(String logger, String containing) {
        return await().until(() -> lines.list.stream().filter(event -> event.getLoggerName().endsWith(logger)
                && event.getFormattedMessage().contains(containing)).findFirst(), found -> found.isPresent()).orElseThrow();
    }

    /** The line as {@code LOG_FORMAT=json} writes it. */
    private static JsonNode json(ILoggingEvent event) throws Exception {
        BoundedJsonEncoder encoder = new BoundedJsonEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line.lines()).hasSize(1);
        return new ObjectMapper().readTree(line);
    }
}
