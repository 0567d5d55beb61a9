package dev.deploybot.config;

import dev.deploybot.core.Environments;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationValidationTest {
    @TempDir
    Path data;

    private Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("deploybot.slack.bot-token", "xoxb-test-token");
        properties.put("deploybot.slack.signing-secret", "secret");
        properties.put("deploybot.store.directory", data.toString());
        properties.put("deploybot.environments.stg.channel", "C0STG");
        properties.put("deploybot.environments.stg.build.project", "app-stg");
        properties.put("micronaut.server.port", -1);
        return properties;
    }

    @Test
    void readsAValidConfiguration() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.environments.stg.channels", "C0STG,C0DEV");
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            Environments environments = context.getBean(Environments.class);
            assertThat(environments.names()).containsExactly("stg");
            var stg = environments.find("stg").orElseThrow();
            assertThat(stg.channel()).isEqualTo("C0STG");
            assertThat(stg.allowedChannels()).containsExactly("C0STG", "C0DEV");
            assertThat(stg.build().orElseThrow().project()).isEqualTo("app-stg");
            assertThat(stg.build().orElseThrow().defaultRef()).isEqualTo("main");
        }
    }

    @Test
    void missingSecretsStopStartUpNamingThem() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.slack.bot-token", "");
        properties.remove("deploybot.slack.signing-secret");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("SLACK_BOT_TOKEN")
                .hasStackTraceContaining("SLACK_SIGNING_SECRET");
    }

    @Test
    void anInvalidEnvironmentStopsStartUpNamingTheKey() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.environments.stg.channel", "#staging");
        properties.put("deploybot.environments.stg.build.default-ref", "main..evil");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("deploybot.environments.stg.channel")
                .hasStackTraceContaining("deploybot.environments.stg.build.default-ref");
    }

    @Test
    void noEnvironmentsStopsStartUp() {
        Map<String, Object> properties = valid();
        properties.remove("deploybot.environments.stg.channel");
        properties.remove("deploybot.environments.stg.build.project");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("deploybot.environments");
    }

    @Test
    void secretsAreNotPrintedBySettings() {
        try (ApplicationContext context = ApplicationContext.run(valid())) {
            assertThat(context.getBean(SlackSettings.class).toString()).doesNotContain("xoxb-test-token", "secret]");
        }
    }
}
