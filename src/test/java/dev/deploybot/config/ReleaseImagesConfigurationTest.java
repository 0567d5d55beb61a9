package dev.deploybot.config;

import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code release.images} and {@code deploy.migration}, read from an operator's YAML file as the bot reads it. */
class ReleaseImagesConfigurationTest {
    @TempDir
    Path directory;

    @AfterEach
    void forgetTheFile() {
        System.clearProperty("micronaut.config.files");
    }

    @Test
    void anImageListedWithItsContainerAndAMigrationAreRead() throws IOException {
        Environment prd = start("""
                      release:
                        approvers: [U0LEAD]
                        images:
                          - repository: team/api
                            container: app
                            default: true
                      deploy:
                        cluster: prod
                        service: api
                        migration:
                          container: app
                          command: [bin/migrate, up]
                """);

        Environment.ReleaseSettings release = prd.release().orElseThrow();
        assertThat(release.repository()).isEqualTo("team/api");
        assertThat(release.images()).containsExactly(new Environment.ReleasedImage("team/api", Optional.of("app")));
        assertThat(prd.deploy().orElseThrow().migration()).contains(new Environment.MigrationSettings(
                Optional.empty(), "app", List.of("bin/migrate", "up"), Duration.ofMinutes(15)));
    }

    @Test
    void severalImagesAreReadWithTheDefaultFirst() throws IOException {
        Environment prd = start("""
                      release:
                        approvers: [U0LEAD]
                        images:
                          - repository: team/api-nginx
                            container: nginx
                          - repository: team/api
                            container: app
                            default: true
                      deploy:
                        cluster: prod
                        service: api
                """);

        Environment.ReleaseSettings release = prd.release().orElseThrow();
        assertThat(release.repository()).as("the release is named by the default image").isEqualTo("team/api");
        assertThat(release.images()).containsExactly(new Environment.ReleasedImage("team/api", Optional.of("app")),
                new Environment.ReleasedImage("team/api-nginx", Optional.of("nginx")));
        assertThat(prd.deploy().orElseThrow().container()).as("what status and drift read").contains("app");
    }

    @Test
    void eachOfSeveralImagesIsCheckedByItsKey() {
        assertThatThrownBy(() -> start("""
                      release:
                        approvers: [U0LEAD]
                        images:
                          - repository: Team/API
                            container: app
                          - repository: team/api-nginx
                            container: "nginx proxy"
                          - repository: team/worker
                            container: app
                      deploy:
                        cluster: prod
                        service: api
                """))
                .hasStackTraceContaining("deploybot.environments.prd.release.images[0].repository: required: the ECR repository name")
                .hasStackTraceContaining("deploybot.environments.prd.release.images[1].container: required")
                .hasStackTraceContaining("deploybot.environments.prd.release.images[2].container: 'app' is listed twice");
    }

    @Test
    void theSingleRepositoryKeyStillMeansOneImageForTheDeployContainer() throws IOException {
        Environment prd = start("""
                      release:
                        repository: team/app
                        approvers: [U0LEAD]
                      deploy:
                        cluster: prod
                        service: app
                        migration:
                          task-definition: app-migrate
                          container: migrate
                          command: [./manage.py, migrate]
                          timeout: 5m
                """);

        assertThat(prd.release().orElseThrow().images())
                .containsExactly(new Environment.ReleasedImage("team/app", Optional.empty()));
        assertThat(prd.deploy().orElseThrow().migration()).contains(new Environment.MigrationSettings(
                Optional.of("app-migrate"), "migrate", List.of("./manage.py", "migrate"), Duration.ofMinutes(5)));
    }

    @Test
    void mistakesInImagesAndMigrationAreNamedByKey() throws IOException {
        assertThatThrownBy(() -> start("""
                      release:
                        repository: team/api
                        approvers: [U0LEAD]
                        images:
                          - repository: team/api
                            container: app
                            default: true
                          - repository: team/api
                            container: nginx
                            default: true
                          - repository: team/worker
                            tag: latest
                      deploy:
                        cluster: prod
                        service: api
                        migration:
                          container: migrate
                """))
                .hasStackTraceContaining("deploybot.environments.prd.release.repository: set either release.repository (one image) or release.images")
                .hasStackTraceContaining("deploybot.environments.prd.release.images[1].repository: 'team/api' is listed twice")
                .hasStackTraceContaining("deploybot.environments.prd.release.images[2].container: required")
                .hasStackTraceContaining("deploybot.environments.prd.release.images[2].tag: unknown")
                .hasStackTraceContaining("deploybot.environments.prd.release.images: only one image may be the default")
                .hasStackTraceContaining("deploybot.environments.prd.deploy.migration.command: required with migration");
    }

    @Test
    void aMigrationOnTheServicesOwnTaskDefinitionMustRunAReleasedImage() throws IOException {
        assertThatThrownBy(() -> start("""
                      release:
                        approvers: [U0LEAD]
                        images:
                          - repository: team/api
                            container: app
                      deploy:
                        cluster: prod
                        service: api
                        migration:
                          container: log-router
                          command: [migrate]
                """))
                .hasStackTraceContaining("deploybot.environments.prd.deploy.migration.container: 'log-router' gets none of"
                        + " the released images; name one of [app]");
        assertThatThrownBy(() -> start("""
                      release:
                        repository: team/app
                        approvers: [U0LEAD]
                      deploy:
                        strategy: codebuild
                        project: app-deploy
                        migration:
                          container: app
                          command: [migrate]
                """))
                .hasStackTraceContaining("deploybot.environments.prd.deploy.migration: only for strategy ecs or codedeploy");
    }

    /** Starts with {@code prd} configured by the given lines (indented to sit under it). */
    private Environment start(String prd) throws IOException {
        Path file = directory.resolve("deploybot.yml");
        Files.writeString(file, """
                deploybot:
                  environments:
                    prd:
                      channel: C0PRD
                """ + prd);
        System.setProperty("micronaut.config.files", file.toString());
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "deploybot.slack.bot-token", "xoxb-test-token",
                "deploybot.slack.signing-secret", "secret",
                "deploybot.store.directory", directory.resolve("data").toString(),
                "micronaut.server.port", -1))) {
            return context.getBean(Environments.class).find("prd").orElseThrow();
        }
    }
}
