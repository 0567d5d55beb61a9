package dev.deploybot;

import dev.deploybot.testing.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The operator's file, started the way {@code main} starts it: every mistake in one report, nothing touched. */
class StrictConfigurationTest {
    @TempDir
    Path directory;
    private String regionBefore;

    /**
     * The region is asked before the file is read ({@code AwsRegion}): without one the start stops on that line
     * and the file's mistakes are never reported. Named here, not left to whichever test ran before.
     */
    @BeforeEach
    void nameARegion() {
        regionBefore = System.setProperty("aws.region", FakeAws.REGION);
    }

    @AfterEach
    void forgetTheFileAndTheRegion() {
        System.clearProperty("micronaut.config.files");
        if (regionBefore == null) {
            System.clearProperty("aws.region");
        } else {
            System.setProperty("aws.region", regionBefore);
        }
    }

    @Test
    void everyMistakeInTheFileIsReportedAtOnceBeforeTheDatabaseIsCreated() throws IOException {
        Path data = directory.resolve("data");
        Files.createDirectories(data);
        Path file = directory.resolve("deploybot.yml");
        Files.writeString(file, """
                deploybot:
                  environments:
                    stg:
                      channel: "#staging"
                      build:
                        project: app-stg
                    prd:
                      channel: C0PRD
                      release:
                        repository: team/app
                        approvers: [U0LEAD]
                        required-aprovals: 2
                        allow-self-aproval: false
                        expires-after: half an hour
                      rollback:
                        requires-aproval: false
                      deploy:
                        stratgy: codedeploy
                        strategy: blue-green
                        cluster: prod
                        service: web
                        timeout: 30 minutes
                """);
        System.setProperty("micronaut.config.files", file.toString());

        Application.StartupRefused refused = catchThrowableOfType(() -> start(data), Application.StartupRefused.class);

        assertThat(refused).as("start-up stops").isNotNull();
        assertThat(refused.getMessage().lines()).as("one screen").hasSizeLessThan(15);
        assertThat(refused.getMessage())
                .contains("deploybot.environments.prd.release.required-aprovals: unknown key; did you mean deploybot.environments.prd.release.required-approvals?")
                .contains("deploybot.environments.prd.release.allow-self-aproval: unknown key; did you mean deploybot.environments.prd.release.allow-self-approval?")
                .contains("deploybot.environments.prd.rollback.requires-aproval: unknown key; did you mean deploybot.environments.prd.rollback.requires-approval?")
                .contains("deploybot.environments.prd.deploy.stratgy: unknown key; did you mean deploybot.environments.prd.deploy.strategy?")
                .contains("deploybot.environments.prd.release.expires-after: 'half an hour' is not a duration")
                .contains("deploybot.environments.prd.deploy.timeout: '30 minutes' is not a duration")
                .contains("deploybot.environments.prd.deploy.strategy: must be ecs, codedeploy or codebuild")
                .contains("deploybot.environments.stg.channel: required: the Slack channel ID")
                .doesNotContain("\tat ", "Exception", "Unparseable");
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files).as("no database created").isEmpty();
        }
    }

    @Test
    void aMistypedSectionIsNamedWithItsCorrection() {
        Map<String, Object> properties = Map.of(
                "deploybot.environments.stg.channel", "C0STG",
                "deploybot.environments.stg.biuld.project", "app-stg",
                "deploybot.wrok.threads", "4");
        assertThatThrownBy(() -> Application.launch(new String[0], withDefaults(properties)))
                .isInstanceOf(Application.StartupRefused.class)
                .hasMessageContaining("deploybot.environments.stg.biuld.project: unknown key; did you mean deploybot.environments.stg.build.project?")
                .hasMessageContaining("deploybot.wrok.threads: unknown key; did you mean deploybot.work.threads?");
    }

    private void start(Path data) {
        Application.launch(new String[0], withDefaults(Map.of("deploybot.store.directory", data.toString())));
    }

    private Map<String, Object> withDefaults(Map<String, Object> properties) {
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.putIfAbsent("deploybot.store.directory", directory.resolve("data").toString());
        all.put("deploybot.slack.bot-token", "xoxb-test-token");
        all.put("deploybot.slack.signing-secret", "secret");
        all.put("micronaut.server.port", -1);
        return all;
    }
}
