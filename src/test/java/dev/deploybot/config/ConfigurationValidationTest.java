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
    void anOperatorTokenTooShortToBeSafeStopsStartUp() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.operator-token", "letmein");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("DEPLOYBOT_OPERATOR_TOKEN: must be at least 24 characters");
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
    void bakeRequirementAndDeploymentConfigAreReadWithTheirDefaults() {
        Map<String, Object> properties = withProduction();
        properties.put("deploybot.environments.prd.release.bake.duration", "10m");
        properties.put("deploybot.environments.prd.release.bake.alarms", "app-5xx,app-latency");
        properties.put("deploybot.environments.prd.release.requires", "stg");
        properties.put("deploybot.environments.prd.release.requires-for", "30m");
        properties.put("deploybot.environments.prd.deploy.strategy", "codedeploy");
        properties.put("deploybot.environments.prd.deploy.application", "app");
        properties.put("deploybot.environments.prd.deploy.deployment-group", "app-prd");
        properties.put("deploybot.environments.prd.deploy.container", "web");
        properties.put("deploybot.environments.prd.deploy.container-port", "8080");
        properties.put("deploybot.environments.prd.deploy.deployment-config", "CodeDeployDefault.ECSCanary10Percent5Minutes");
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            var prd = context.getBean(Environments.class).find("prd").orElseThrow();
            var release = prd.release().orElseThrow();
            assertThat(release.bake()).contains(new dev.deploybot.core.Environment.Bake(java.time.Duration.ofMinutes(10),
                    java.util.List.of("app-5xx", "app-latency"), java.time.Duration.ofMinutes(1)));
            assertThat(release.requires()).contains(new dev.deploybot.core.Environment.Requirement("stg",
                    java.time.Duration.ofMinutes(30)));
            assertThat(prd.deploy().orElseThrow().deploymentConfig()).contains("CodeDeployDefault.ECSCanary10Percent5Minutes");
            var stg = context.getBean(Environments.class).find("stg").orElseThrow();
            assertThat(stg.release()).isEmpty();
        }
    }

    @Test
    void aBakeWithoutAlarmsOrARequirementOfNothingStopsStartUpNamingTheKeys() {
        Map<String, Object> properties = withProduction();
        properties.put("deploybot.environments.prd.release.bake.duration", "10m");
        properties.put("deploybot.environments.prd.deploy.deployment-config", "CodeDeployDefault.ECSAllAtOnce");
        assertThatThrownBy(() -> ApplicationContext.run(properties).close())
                .hasStackTraceContaining("deploybot.environments.prd.release.bake.alarms")
                .hasStackTraceContaining("deploybot.environments.prd.deploy.deployment-config: only for codedeploy");

        Map<String, Object> unknown = withProduction();
        unknown.put("deploybot.environments.prd.release.requires", "qa");
        assertThatThrownBy(() -> ApplicationContext.run(unknown).close())
                .hasStackTraceContaining("deploybot.environments.prd.release.requires: 'qa' is not a configured environment");

        Map<String, Object> unproven = withProduction();
        unproven.put("deploybot.environments.prd.release.requires-for", "30m");
        assertThatThrownBy(() -> ApplicationContext.run(unproven).close())
                .hasStackTraceContaining("deploybot.environments.prd.release.requires-for: needs release.requires");

        Map<String, Object> stagingWithoutService = withProduction();
        stagingWithoutService.put("deploybot.environments.prd.release.requires", "stg");
        stagingWithoutService.remove("deploybot.environments.stg.deploy.cluster");
        stagingWithoutService.remove("deploybot.environments.stg.deploy.service");
        assertThatThrownBy(() -> ApplicationContext.run(stagingWithoutService).close())
                .hasStackTraceContaining("deploybot.environments.prd.release.requires: 'stg' needs deploy.cluster");
    }

    /** Staging builds and runs on ECS; production releases from ECR to ECS. */
    private Map<String, Object> withProduction() {
        Map<String, Object> properties = valid();
        properties.put("deploybot.environments.stg.deploy.cluster", "staging");
        properties.put("deploybot.environments.stg.deploy.service", "app");
        properties.put("deploybot.environments.prd.channel", "C0PRD");
        properties.put("deploybot.environments.prd.release.repository", "team/app");
        properties.put("deploybot.environments.prd.release.approvers", "U0LEAD");
        properties.put("deploybot.environments.prd.deploy.cluster", "prod");
        properties.put("deploybot.environments.prd.deploy.service", "app");
        return properties;
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
