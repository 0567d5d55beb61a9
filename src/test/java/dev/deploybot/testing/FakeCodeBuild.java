package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * AWS CodeBuild's {@code StartBuild} and {@code BatchGetBuilds} with the real service's field names,
 * error types and idempotency-token rules. Builds stay IN_PROGRESS until the test calls
 * {@link #completeBuild}. Reached as {@link FakeAws#codeBuild()}. Thread-safe.
 */
public final class FakeCodeBuild implements AwsJsonService {

    public static final String TARGET_PREFIX = "CodeBuild_20161006";
    /** Who CodeBuild reports as having started each build. */
    public static final String INITIATOR = "deploybot";

    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);
    private static final List<String> PHASES = List.of("SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE",
            "INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED");
    private static final Set<String> FINAL_STATUSES = Set.of("SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT", "STOPPED");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record TokenUse(JsonNode parameters, String buildId, Instant at) {
    }

    private final FakeAws aws;
    // All below guarded by "this".
    private final Map<String, Integer> lastBuildNumberByProject = new LinkedHashMap<>();
    private final Map<String, ObjectNode> builds = new LinkedHashMap<>();
    private final Map<String, TokenUse> tokenUses = new LinkedHashMap<>();

    FakeCodeBuild(FakeAws aws) {
        this.aws = aws;
    }

    // ---- test setup and control ----

    public synchronized void createProject(String name) {
        lastBuildNumberByProject.putIfAbsent(name, 0);
    }

    public static String projectArn(String name) {
        return "arn:aws:codebuild:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":project/" + name;
    }

    /** The next StartBuild fails with HTTP 400 and this error type, e.g. {@code AccountLimitExceededException}. */
    public void failNextStartBuild(String errorType, String message) {
        aws.failNext(TARGET_PREFIX + ".StartBuild", new AwsError(errorType, message));
    }

    /** Every build StartBuild created, oldest first; idempotent replays add none. Copies: edit via this class. */
    public synchronized List<JsonNode> startedBuilds() {
        return builds.values().stream().<JsonNode>map(ObjectNode::deepCopy).toList();
    }

    public synchronized Optional<JsonNode> build(String id) {
        return Optional.ofNullable(builds.get(id)).map(ObjectNode::deepCopy);
    }

    public void completeBuild(String id, String status) {
        completeBuild(id, status, null, null);
    }

    /**
     * Ends a build as CodeBuild would report it.
     *
     * @param status         SUCCEEDED, FAILED, FAULT, TIMED_OUT or STOPPED
     * @param failedPhase    phase that failed (default BUILD); ignored for SUCCEEDED. It gets a phaseStatus equal
     *                       to {@code status} and a context with the failure message; later phases are skipped
     *                       except FINALIZING, as in real builds
     * @param failureMessage the phase context's message; a generic one when null
     */
    public synchronized void completeBuild(String id, String status, String failedPhase, String failureMessage) {
        ObjectNode build = builds.get(id);
        if (build == null) {
            throw new IllegalArgumentException("no build " + id + "; started: " + builds.keySet());
        }
        if (!FINAL_STATUSES.contains(status)) {
            throw new IllegalArgumentException("not a final build status: " + status);
        }
        if (build.path("buildComplete").asBoolean()) {
            throw new IllegalStateException("build " + id + " already completed as " + build.path("buildStatus").asText());
        }
        String failing = status.equals("SUCCEEDED") ? null : (failedPhase == null ? "BUILD" : failedPhase);
        if (failing != null && (!PHASES.contains(failing) || failing.equals("SUBMITTED") || failing.equals("COMPLETED"))) {
            throw new IllegalArgumentException("not a phase that can fail: " + failing);
        }
        Instant now = aws.clock().instant();
        build.put("buildStatus", status);
        build.put("buildComplete", true);
        build.put("currentPhase", "COMPLETED");
        build.put("endTime", epochSeconds(now));
        Instant started = Instant.ofEpochMilli(build.get("startTime").decimalValue().movePointRight(3).longValue());
        build.set("phases", completedPhases(started, now, status, failing, failureMessage));
    }

    // ---- protocol ----

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) throws AwsError {
        return switch (operation) {
            case "StartBuild" -> startBuild(request);
            case "BatchGetBuilds" -> batchGetBuilds(request);
            case "StopBuild" -> stopBuild(request);
            default -> throw AwsError.unknownOperation(TARGET_PREFIX + "." + operation);
        };
    }

    /** StopBuild ends a running build as STOPPED; stopping a finished build changes nothing, as in CodeBuild. */
    private JsonNode stopBuild(JsonNode request) throws AwsError {
        String id = request.path("id").asText(null);
        ObjectNode build = id == null ? null : builds.get(id);
        if (build == null) {
            throw new AwsError("ResourceNotFoundException", "Build " + id + " does not exist");
        }
        if (!FINAL_STATUSES.contains(build.path("buildStatus").asText())) {
            completeBuild(id, "STOPPED", build.path("currentPhase").asText("BUILD"), "Build was stopped.");
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("build", build.deepCopy());
        return response;
    }

    private JsonNode startBuild(JsonNode request) throws AwsError {
        String project = request.path("projectName").asText(null);
        if (project == null || project.isEmpty()) {
            throw validationError("projectName");
        }
        if (!lastBuildNumberByProject.containsKey(project)) {
            throw new AwsError("ResourceNotFoundException", "Project cannot be found: " + projectArn(project));
        }
        Instant now = aws.clock().instant();
        String token = request.path("idempotencyToken").asText(null);
        ObjectNode parameters = ((ObjectNode) request).deepCopy();
        parameters.remove("idempotencyToken");
        TokenUse prior = token == null ? null : tokenUses.get(token);
        if (prior != null && now.isBefore(prior.at().plus(IDEMPOTENCY_WINDOW))) {
            if (!prior.parameters().equals(parameters)) {
                // Not a modelled CodeBuild error: the SDK raises CodeBuildException with this error code.
                throw new AwsError("IdempotentParameterMismatchException",
                        "Idempotent request with token " + token + " has different parameters than the original request");
            }
            return wrap("build", builds.get(prior.buildId()));
        }
        ObjectNode build = newBuild(project, request, now);
        builds.put(build.get("id").asText(), build);
        if (token != null) {
            tokenUses.put(token, new TokenUse(parameters, build.get("id").asText(), now));
        }
        return wrap("build", build);
    }

    private JsonNode batchGetBuilds(JsonNode request) throws AwsError {
        JsonNode ids = request.path("ids");
        if (!ids.isArray() || ids.isEmpty()) {
            throw validationError("ids");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode found = response.putArray("builds");
        ArrayNode notFound = response.putArray("buildsNotFound");
        for (JsonNode id : ids) {
            ObjectNode build = builds.get(id.asText());
            if (build == null) {
                notFound.add(id.asText());
            } else {
                found.add(build.deepCopy());
            }
        }
        return response;
    }

    // ---- builds ----

    private ObjectNode newBuild(String project, JsonNode request, Instant now) throws AwsError {
        String uuid = UUID.randomUUID().toString();
        String id = project + ":" + uuid;
        ObjectNode build = JSON.createObjectNode();
        build.put("id", id);
        build.put("arn", "arn:aws:codebuild:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":build/" + id);
        build.put("buildNumber", lastBuildNumberByProject.merge(project, 1, Integer::sum));
        build.put("startTime", epochSeconds(now));
        build.put("currentPhase", "QUEUED");
        build.put("buildStatus", "IN_PROGRESS");
        if (request.hasNonNull("sourceVersion")) {
            build.put("sourceVersion", request.get("sourceVersion").asText());
        }
        build.put("projectName", project);
        ArrayNode phases = build.putArray("phases");
        phases.add(phase("SUBMITTED", now, now, "SUCCEEDED", null, null));
        phases.addObject().put("phaseType", "QUEUED").put("startTime", epochSeconds(now));
        build.putObject("source").put("type", "NO_SOURCE").put("buildspec", "buildspec.yml");
        build.putObject("artifacts").put("location", "");
        build.putObject("cache").put("type", "NO_CACHE");
        ObjectNode environment = build.putObject("environment");
        environment.put("type", "LINUX_CONTAINER");
        environment.put("image", "aws/codebuild/standard:7.0");
        environment.put("computeType", "BUILD_GENERAL1_SMALL");
        environment.set("environmentVariables", environmentVariables(request.path("environmentVariablesOverride")));
        environment.put("privilegedMode", true);
        environment.put("imagePullCredentialsType", "CODEBUILD");
        build.put("serviceRole", "arn:aws:iam::" + FakeAws.ACCOUNT_ID + ":role/codebuild-" + project);
        String group = "/aws/codebuild/" + project;
        ObjectNode logs = build.putObject("logs");
        logs.put("groupName", group);
        logs.put("streamName", uuid);
        logs.put("deepLink", "https://console.aws.amazon.com/cloudwatch/home?region=" + FakeAws.REGION
                + "#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252F" + project + "/log-events/" + uuid);
        logs.put("cloudWatchLogsArn", "arn:aws:logs:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID
                + ":log-group:" + group + ":log-stream:" + uuid);
        logs.putObject("cloudWatchLogs").put("status", "ENABLED");
        build.put("timeoutInMinutes", 60);
        build.put("queuedTimeoutInMinutes", 480);
        build.put("buildComplete", false);
        build.put("initiator", INITIATOR);
        build.put("encryptionKey", "arn:aws:kms:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":alias/aws/s3");
        return build;
    }

    private static ArrayNode environmentVariables(JsonNode overrides) throws AwsError {
        ArrayNode variables = JSON.createArrayNode();
        for (JsonNode override : overrides) {
            if (!override.hasNonNull("name") || !override.hasNonNull("value")) {
                throw validationError("environmentVariablesOverride.member.name");
            }
            variables.addObject()
                    .put("name", override.get("name").asText())
                    .put("value", override.get("value").asText())
                    .put("type", override.path("type").asText("PLAINTEXT"));
        }
        return variables;
    }

    private static ArrayNode completedPhases(Instant started, Instant now, String status, String failing,
                                             String failureMessage) {
        ArrayNode phases = JSON.createArrayNode();
        boolean failed = false;
        for (String type : PHASES) {
            if (type.equals("COMPLETED")) {
                phases.addObject().put("phaseType", type).put("startTime", epochSeconds(now));
            } else if (type.equals("SUBMITTED")) {
                phases.add(phase(type, started, started, "SUCCEEDED", null, null));
            } else if (type.equals(failing)) {
                phases.add(phase(type, now, now, status, statusCode(status),
                        failureMessage != null ? failureMessage : defaultMessage(status, type)));
                failed = true;
            } else if (!failed || type.equals("FINALIZING")) {
                phases.add(phase(type, type.equals("QUEUED") ? started : now, now, "SUCCEEDED", null, null));
            }
        }
        return phases;
    }

    private static ObjectNode phase(String type, Instant start, Instant end, String status,
                                    String statusCode, String message) {
        ObjectNode phase = JSON.createObjectNode();
        phase.put("phaseType", type);
        phase.put("phaseStatus", status);
        phase.put("startTime", epochSeconds(start));
        phase.put("endTime", epochSeconds(end));
        phase.put("durationInSeconds", Duration.between(start, end).toSeconds());
        // CodeBuild sends an empty context even for phases that went fine.
        phase.putArray("contexts").addObject()
                .put("statusCode", statusCode == null ? "" : statusCode)
                .put("message", message == null ? "" : message);
        return phase;
    }

    private static String statusCode(String status) {
        return switch (status) {
            case "FAILED" -> "COMMAND_EXECUTION_ERROR";
            case "TIMED_OUT" -> "BUILD_TIMED_OUT";
            case "STOPPED" -> "BUILD_STOPPED";
            default -> "CLIENT_ERROR";
        };
    }

    private static String defaultMessage(String status, String phase) {
        return switch (status) {
            case "FAILED" -> "Error while executing command in phase " + phase + ". Reason: exit status 1";
            case "TIMED_OUT" -> "Build has timed out.";
            case "STOPPED" -> "Build was stopped.";
            default -> "Internal service error in phase " + phase;
        };
    }

    private static JsonNode wrap(String field, ObjectNode build) {
        ObjectNode response = JSON.createObjectNode();
        response.set(field, build.deepCopy());
        return response;
    }

    /** AWS JSON timestamps: epoch seconds with millisecond fraction, never in exponent notation. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static AwsError validationError(String member) {
        return new AwsError("InvalidInputException", "1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }
}
