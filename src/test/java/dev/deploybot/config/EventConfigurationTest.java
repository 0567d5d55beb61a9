package dev.deploybot.config;

import dev.deploybot.core.Progress;
import dev.deploybot.activity.Route;
import dev.deploybot.activity.Routing;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventConfigurationTest {
    @TempDir
    Path data;

    private Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("deploybot.slack.bot-token", "xoxb-test-token");
        properties.put("deploybot.slack.signing-secret", "secret");
        properties.put("deploybot.store.directory", data.toString());
        properties.put("deploybot.environments.stg.channel", "C0STG");
        properties.put("micronaut.server.port", -1);
        return properties;
    }

    @Test
    void readsRoutesAndSettings() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.events.routes.ci.codebuild-project", "app-ci");
        properties.put("deploybot.events.routes.ci.channel", "C0CI");
        properties.put("deploybot.events.routes.ci.states", "SUCCEEDED");
        properties.put("deploybot.events.routes.web.ecs-service", "prod/web");
        properties.put("deploybot.events.routes.web.channel", "C0OPS");
        properties.put("deploybot.events.announce-images", "true");
        properties.put("deploybot.events.http.api-key", "k".repeat(32));
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            Routing routing = context.getBean(Routing.class);
            assertThat(routing.announceImages()).isTrue();
            Route ci = routing.forBuildProject("app-ci").orElseThrow();
            assertThat(ci.channel()).isEqualTo("C0CI");
            assertThat(ci.states()).as("failures always post").isEqualTo(Set.of(Progress.SUCCEEDED, Progress.FAILED));
            assertThat(routing.forEcsService("prod", "web").orElseThrow().match()).isEqualTo(new Route.EcsService("prod", "web"));
            assertThat(routing.forEcsService(null, "web")).as("an old-format ARN names no cluster").isPresent();
            assertThat(routing.forEcsService("other", "web")).isEmpty();

            EventSettings settings = context.getBean(EventSettings.class);
            assertThat(settings.queueUrl()).as("no queue, no poller").isEmpty();
            assertThat(settings.queueWait()).isEqualTo(Duration.ofSeconds(20));
            assertThat(settings.batchSize()).isEqualTo(10);
            assertThat(settings.apiKeyHeader()).isEqualTo("x-deploybot-api-key");
            assertThat(settings.toString()).doesNotContain("kkkk");
        }
    }

    @Test
    void invalidRoutesStopStartUpNamingEachKey() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.events.routes.none.channel", "C0CI");
        properties.put("deploybot.events.routes.both.codebuild-project", "app");
        properties.put("deploybot.events.routes.both.codedeploy-application", "app");
        properties.put("deploybot.events.routes.both.channel", "C0CI");
        properties.put("deploybot.events.routes.first.codebuild-project", "app-ci");
        properties.put("deploybot.events.routes.first.channel", "#ci");
        properties.put("deploybot.events.routes.first.states", "DONE");
        properties.put("deploybot.events.routes.again.codebuild-project", "app-ci");
        properties.put("deploybot.events.routes.again.channel", "C0CI");
        properties.put("deploybot.events.routes.svc.ecs-service", "web");
        properties.put("deploybot.events.routes.svc.channel", "C0CI");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("deploybot.events.routes.none: needs exactly one of")
                .hasStackTraceContaining("deploybot.events.routes.both: needs exactly one of")
                .hasStackTraceContaining("deploybot.events.routes.first.channel")
                .hasStackTraceContaining("deploybot.events.routes.first.states: 'DONE'")
                .hasStackTraceContaining("routes the same thing as")
                .hasStackTraceContaining("deploybot.events.routes.svc.ecs-service: must be cluster/service");
    }

    @Test
    void aShortApiKeyAndImpossibleQueueSettingsStopStartUp() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.events.http.api-key", "short-key");
        properties.put("deploybot.events.sqs.batch-size", "11");
        properties.put("deploybot.events.sqs.wait-time", "30s");
        properties.put("deploybot.events.sqs.queue-url", "not a url");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("DEPLOYBOT_EVENTS_API_KEY: must be at least")
                .hasStackTraceContaining("deploybot.events.sqs.batch-size")
                .hasStackTraceContaining("deploybot.events.sqs.wait-time")
                .hasStackTraceContaining("deploybot.events.sqs.queue-url")
                .satisfies(e -> {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    assertThat(trace.toString()).as("the key itself is never shown").doesNotContain("short-key");
                });
    }
}
