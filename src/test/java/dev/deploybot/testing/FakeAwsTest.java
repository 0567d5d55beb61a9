package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.AccountLimitExceededException;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsResponse;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.BuildPhaseType;
import software.amazon.awssdk.services.codebuild.model.CodeBuildException;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariableType;
import software.amazon.awssdk.services.codebuild.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.codebuild.model.StatusType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FakeAwsTest {

    private static final String PROJECT = "api-image";
    private static final String START_BUILD = "CodeBuild_20161006.StartBuild";

    private FakeAws fake;
    private CodeBuildClient codeBuild;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.codeBuild().createProject(PROJECT);
        codeBuild = CodeBuildClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(FakeAws.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        codeBuild.close();
        fake.close();
    }

    @Test
    void startBuildReturnsAQueuedBuildWithTheRealFields() {
        Instant before = Instant.now();

        Build build = codeBuild.startBuild(deployBuild("abc123")).build();

        assertThat(build.id()).startsWith(PROJECT + ":");
        assertThat(build.arn()).isEqualTo("arn:aws:codebuild:eu-west-1:123456789012:build/" + build.id());
        assertThat(build.buildNumber()).isEqualTo(1L);
        assertThat(build.projectName()).isEqualTo(PROJECT);
        assertThat(build.sourceVersion()).isEqualTo("abc123");
        assertThat(build.buildStatus()).isEqualTo(StatusType.IN_PROGRESS);
        assertThat(build.currentPhase()).isEqualTo("QUEUED");
        assertThat(build.buildComplete()).isFalse();
        assertThat(build.startTime()).isCloseTo(before, within(Duration.ofSeconds(5)));
        assertThat(build.initiator()).isEqualTo(FakeCodeBuild.INITIATOR);
        assertThat(build.environment().environmentVariables())
                .containsExactly(EnvironmentVariable.builder()
                        .name("IMAGE_TAG").value("abc123").type(EnvironmentVariableType.PLAINTEXT).build());
        assertThat(build.logs().deepLink()).startsWith(
                "https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/");
        assertThat(build.logs().groupName()).isEqualTo("/aws/codebuild/" + PROJECT);
        assertThat(build.phases()).extracting(BuildPhase::phaseType)
                .containsExactly(BuildPhaseType.SUBMITTED, BuildPhaseType.QUEUED);
        assertThat(codeBuild.startBuild(deployBuild("def456")).build().buildNumber()).isEqualTo(2L);
        assertThat(fake.calls(START_BUILD)).hasSize(2).first()
                .satisfies(call -> assertThat(call.request().get("projectName").asText()).isEqualTo(PROJECT));
    }

    @Test
    void replayWithTheSameTokenAndParametersReturnsTheSameBuild() {
        StartBuildRequest request = deployBuild("abc123").toBuilder().idempotencyToken("deploy-42").build();

        String first = codeBuild.startBuild(request).build().id();
        String replay = codeBuild.startBuild(request).build().id();

        assertThat(replay).isEqualTo(first);
        assertThat(fake.codeBuild().startedBuilds()).hasSize(1);
        assertThat(fake.calls(START_BUILD)).hasSize(2);
    }

    @Test
    void sameTokenWithOtherParametersIsAMismatch() {
        codeBuild.startBuild(deployBuild("abc123").toBuilder().idempotencyToken("deploy-42").build());

        assertThatThrownBy(() -> codeBuild.startBuild(
                deployBuild("def456").toBuilder().idempotencyToken("deploy-42").build()))
                .isInstanceOfSatisfying(CodeBuildException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IdempotentParameterMismatchException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(fake.codeBuild().startedBuilds()).hasSize(1);
    }

    @Test
    void tokenExpiresAfterFiveMinutes() {
        StartBuildRequest request = deployBuild("abc123").toBuilder().idempotencyToken("deploy-42").build();
        String first = codeBuild.startBuild(request).build().id();

        fake.setClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6)));
        String later = codeBuild.startBuild(request).build().id();

        assertThat(later).isNotEqualTo(first);
        assertThat(fake.codeBuild().startedBuilds()).hasSize(2);
    }

    @Test
    void unknownProjectIsResourceNotFound() {
        assertThatThrownBy(() -> codeBuild.startBuild(r -> r.projectName("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Project cannot be found: arn:aws:codebuild:eu-west-1:123456789012:project/nope");
    }

    @Test
    void injectedAccountLimitIsTheModelledExceptionOnce() {
        fake.codeBuild().failNextStartBuild("AccountLimitExceededException", "Cannot have more than 1 builds in queue");

        assertThatThrownBy(() -> codeBuild.startBuild(deployBuild("abc123")))
                .isInstanceOf(AccountLimitExceededException.class)
                .hasMessageContaining("Cannot have more than 1 builds in queue");
        assertThat(codeBuild.startBuild(deployBuild("abc123")).build().buildNumber()).isEqualTo(1L);
    }

    @Test
    void accessDeniedIsVisibleAsTheErrorCodeOfTheGenericException() {
        fake.failNext(START_BUILD, AwsError.accessDenied("User is not authorized to perform: codebuild:StartBuild"));

        assertThatThrownBy(() -> codeBuild.startBuild(deployBuild("abc123")))
                .isExactlyInstanceOf(CodeBuildException.class)
                .satisfies(e -> assertThat(((CodeBuildException) e).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
    }

    @Test
    void throttlingIsRetriedByTheSdk() {
        fake.failNext(START_BUILD, AwsError.throttling());

        Build build = codeBuild.startBuild(deployBuild("abc123")).build();

        assertThat(build.buildNumber()).isEqualTo(1L);
        assertThat(fake.calls(START_BUILD)).extracting(AwsCall::errorType)
                .containsExactly("ThrottlingException", null);
    }

    @Test
    void batchGetBuildsShowsTheFailedPhaseAfterCompleteBuild() {
        String id = codeBuild.startBuild(deployBuild("abc123")).build().id();
        fake.codeBuild().completeBuild(id, "FAILED", "BUILD", "docker push: denied");

        BatchGetBuildsResponse response = codeBuild.batchGetBuilds(r -> r.ids(id, PROJECT + ":missing"));

        assertThat(response.buildsNotFound()).containsExactly(PROJECT + ":missing");
        Build build = response.builds().get(0);
        assertThat(build.buildStatus()).isEqualTo(StatusType.FAILED);
        assertThat(build.buildComplete()).isTrue();
        assertThat(build.currentPhase()).isEqualTo("COMPLETED");
        assertThat(build.endTime()).isAfterOrEqualTo(build.startTime());
        BuildPhase failed = build.phases().stream()
                .filter(p -> p.phaseStatus() == StatusType.FAILED).findFirst().orElseThrow();
        assertThat(failed.phaseType()).isEqualTo(BuildPhaseType.BUILD);
        assertThat(failed.contexts()).singleElement().satisfies(c -> {
            assertThat(c.statusCode()).isEqualTo("COMMAND_EXECUTION_ERROR");
            assertThat(c.message()).isEqualTo("docker push: denied");
        });
        assertThat(build.phases()).extracting(BuildPhase::phaseType)
                .doesNotContain(BuildPhaseType.POST_BUILD)
                .endsWith(BuildPhaseType.FINALIZING, BuildPhaseType.COMPLETED);
    }

    @Test
    void succeededBuildHasEveryPhaseSucceeded() {
        String id = codeBuild.startBuild(deployBuild("abc123")).build().id();
        fake.codeBuild().completeBuild(id, "SUCCEEDED");

        Build build = codeBuild.batchGetBuilds(r -> r.ids(id)).builds().get(0);

        assertThat(build.buildStatus()).isEqualTo(StatusType.SUCCEEDED);
        assertThat(build.phases()).filteredOn(p -> p.phaseType() != BuildPhaseType.COMPLETED)
                .allSatisfy(p -> assertThat(p.phaseStatus()).isEqualTo(StatusType.SUCCEEDED));
    }

    @Test
    void unknownOperationOfAKnownServiceIsAnError() {
        assertThatThrownBy(() -> codeBuild.deleteProject(r -> r.name(PROJECT)))
                .isInstanceOfSatisfying(CodeBuildException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException"));
    }

    @Test
    void registeredServicesAreDispatchedByTargetPrefixAndUnknownTargetsRejected() throws Exception {
        fake.register("Echo_20240101", (operation, request) ->
                new ObjectMapper().createObjectNode().put("operation", operation).set("echo", request));

        HttpResponse<String> echoed = rawCall("Echo_20240101.Say", "AWS4-HMAC-SHA256 Credential=AKIDTEST/x");
        HttpResponse<String> unknown = rawCall("Nope_1.Do", "AWS4-HMAC-SHA256 Credential=AKIDTEST/x");

        JsonNode body = new ObjectMapper().readTree(echoed.body());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(body.get("operation").asText()).isEqualTo("Say");
        assertThat(body.get("echo").get("hello").asText()).isEqualTo("world");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
        assertThat(new ObjectMapper().readTree(unknown.body()).get("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void unsignedRequestsAreRejected() throws Exception {
        HttpResponse<String> response = rawCall(START_BUILD, null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(fake.codeBuild().startedBuilds()).isEmpty();
    }

    @Test
    void endpointUrlSystemPropertyReachesTheFakeWithoutEndpointOverride() {
        // Production builds its clients without endpointOverride and relies on aws.endpointUrl / AWS_ENDPOINT_URL.
        String previous = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", fake.endpoint().toString());
        try (CodeBuildClient configuredByProperty = CodeBuildClient.builder()
                .region(Region.EU_WEST_1)
                .credentialsProvider(FakeAws.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {

            String id = configuredByProperty.startBuild(deployBuild("abc123")).build().id();

            assertThat(fake.codeBuild().build(id)).isPresent();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", previous);
            }
        }
    }

    @Test
    void concurrentStartsCreateDistinctNumberedBuilds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Build>> starts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                starts.add(() -> codeBuild.startBuild(deployBuild("abc123")).build());
            }
            List<Long> numbers = new ArrayList<>();
            for (Future<Build> build : pool.invokeAll(starts)) {
                numbers.add(build.get().buildNumber());
            }

            assertThat(numbers).doesNotHaveDuplicates().hasSize(40).allMatch(n -> n >= 1 && n <= 40);
            assertThat(fake.codeBuild().startedBuilds()).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
    }

    private static StartBuildRequest deployBuild(String commit) {
        return StartBuildRequest.builder().projectName(PROJECT).sourceVersion(commit)
                .environmentVariablesOverride(EnvironmentVariable.builder().name("IMAGE_TAG").value(commit).build())
                .build();
    }

    private HttpResponse<String> rawCall(String target, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fake.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":\"world\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
