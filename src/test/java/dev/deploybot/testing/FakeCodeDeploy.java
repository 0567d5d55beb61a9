package dev.deploybot.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * AWS CodeDeploy's ECS blue/green operations ({@code CreateDeployment}, {@code GetDeployment},
 * {@code StopDeployment}, {@code ListDeployments}) with CodeDeploy's field names, statuses and error types,
 * including the one-active-deployment-per-group rule. Deployments stay Created until the test moves them with
 * {@link #moveTo}, {@link #succeed} or {@link #fail}. Reached as {@link FakeAws#codeDeploy()}. Thread-safe.
 */
public final class FakeCodeDeploy implements AwsJsonService {

    public static final String TARGET_PREFIX = "CodeDeploy_20141006";
    public static final Set<String> ACTIVE_STATUSES = Set.of("Created", "Queued", "InProgress", "Baking", "Ready");
    public static final Set<String> FINAL_STATUSES = Set.of("Succeeded", "Failed", "Stopped");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /**
     * A deployment as CreateDeployment received it.
     *
     * @param appSpecContent the AppSpec exactly as sent (JSON or YAML)
     */
    public record CreatedDeployment(String deploymentId, String applicationName, String deploymentGroupName,
                                    String status, String appSpecContent, String appSpecSha256) {
    }

    /** @param cluster null when the group is not linked to a {@link FakeEcs} service */
    private record Group(String cluster, String service) {
    }

    private final FakeAws aws;
    private final FakeEcs ecs;
    // All below guarded by "this".
    private final Map<String, Map<String, Group>> applications = new LinkedHashMap<>();
    private final Map<String, ObjectNode> deployments = new LinkedHashMap<>();
    private final Map<String, Boolean> stopRollbacks = new LinkedHashMap<>();

    FakeCodeDeploy(FakeAws aws, FakeEcs ecs) {
        this.aws = aws;
        this.ecs = ecs;
    }

    // ---- test setup and control ----

    /** An ECS application with a deployment group not linked to any fake service. */
    public synchronized void createApplication(String application, String deploymentGroup) {
        applications.computeIfAbsent(application, a -> new LinkedHashMap<>()).put(deploymentGroup, new Group(null, null));
    }

    /**
     * An ECS application whose deployment group targets a {@link FakeEcs} service: when a deployment
     * {@link #succeed succeeds}, the service runs the AppSpec's task definition, as after a real blue/green
     * traffic shift.
     */
    public synchronized void createApplication(String application, String deploymentGroup, String cluster,
                                               String service) {
        applications.computeIfAbsent(application, a -> new LinkedHashMap<>())
                .put(deploymentGroup, new Group(cluster, service));
    }

    /** Moves an active deployment to another active status: Queued, InProgress, Baking or Ready. */
    public synchronized void moveTo(String deploymentId, String status) {
        if (!ACTIVE_STATUSES.contains(status)) {
            throw new IllegalArgumentException("not an active status: " + status + "; use succeed, fail or StopDeployment");
        }
        ObjectNode info = active(deploymentId);
        info.put("status", status);
        if (!info.has("startTime") && !status.equals("Created") && !status.equals("Queued")) {
            info.put("startTime", FakeAws.timestamp(aws.clock().instant()));
        }
    }

    public synchronized void succeed(String deploymentId) {
        ObjectNode info = active(deploymentId);
        finish(info, "Succeeded");
        Group group = applications.get(info.get("applicationName").asText()).get(info.get("deploymentGroupName").asText());
        String taskDefinition = taskDefinitionOf(info.at("/revision/appSpecContent/content").asText());
        if (group.cluster() != null && taskDefinition != null) {
            ecs.switchTaskDefinition(group.cluster(), group.service(), taskDefinition);
        }
    }

    /** @param code a CodeDeploy ErrorCode, e.g. {@code HEALTH_CONSTRAINTS} or {@code ECS_UPDATE_ERROR} */
    public synchronized void fail(String deploymentId, String code, String message) {
        ObjectNode info = active(deploymentId);
        finish(info, "Failed");
        info.putObject("errorInformation").put("code", code).put("message", message);
    }

    /**
     * What a deployment group with alarms and automatic rollback does when an alarm fires mid-deployment: the
     * deployment stops with {@code ALARM_ACTIVE} and CodeDeploy starts a rollback deployment of its own.
     */
    public synchronized void rollBackOnAlarm(String deploymentId, String alarm) {
        ObjectNode info = active(deploymentId);
        finish(info, "Stopped");
        info.putObject("errorInformation").put("code", "ALARM_ACTIVE").put("message", "One or more alarms have been"
                + " activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have"
                + " been stopped. Activated alarms: <" + alarm + ">");
        info.putObject("rollbackInfo").put("rollbackDeploymentId", newId())
                .put("rollbackMessage", "Deployment " + deploymentId + " was rolled back because alarm " + alarm + " fired");
    }

    /** The deployment configuration CreateDeployment was given (or the group's default). */
    public synchronized String deploymentConfigOf(String deploymentId) {
        return deployments.get(deploymentId).get("deploymentConfigName").asText();
    }

    /** Every deployment CreateDeployment accepted, oldest first. */
    public synchronized List<CreatedDeployment> deployments() {
        return deployments.values().stream().map(info -> new CreatedDeployment(
                info.get("deploymentId").asText(), info.get("applicationName").asText(),
                info.get("deploymentGroupName").asText(), info.get("status").asText(),
                info.at("/revision/appSpecContent/content").asText(),
                info.at("/revision/appSpecContent/sha256").asText(null))).toList();
    }

    /** Whether StopDeployment asked to roll back; empty when it was not stopped through the API. */
    public synchronized Optional<Boolean> stoppedWithRollback(String deploymentId) {
        return Optional.ofNullable(stopRollbacks.get(deploymentId));
    }

    // ---- protocol ----

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) throws AwsError {
        return switch (operation) {
            case "CreateDeployment" -> createDeployment(request);
            case "GetDeployment" -> getDeployment(request);
            case "StopDeployment" -> stopDeployment(request);
            case "ListDeployments" -> listDeployments(request);
            default -> throw AwsError.unknownOperation(TARGET_PREFIX + "." + operation);
        };
    }

    private JsonNode createDeployment(JsonNode request) throws AwsError {
        String application = request.path("applicationName").asText("");
        String group = request.path("deploymentGroupName").asText("");
        requireGroup(application, group);
        JsonNode revision = request.path("revision");
        if (revision.isMissingNode() || revision.isNull()) {
            throw new AwsError("RevisionRequiredException", "Revision must be specified.");
        }
        String type = revision.path("revisionType").asText("");
        String member = switch (type) {
            case "AppSpecContent" -> "appSpecContent";
            case "String" -> "string";
            default -> throw new AwsError("InvalidRevisionException",
                    "Revision type " + type + " is not supported for the ECS compute platform.");
        };
        String content = revision.path(member).path("content").asText("");
        if (content.isBlank()) {
            throw new AwsError("InvalidRevisionException", "The AppSpec content is empty.");
        }
        String sha256 = revision.path(member).path("sha256").asText(null);
        if (sha256 != null && !sha256.equalsIgnoreCase(sha256(content))) {
            throw new AwsError("InvalidRevisionException", "The SHA-256 hash of the AppSpec content does not match.");
        }
        validateAppSpec(content);
        Optional<ObjectNode> active = deployments.values().stream()
                .filter(d -> d.get("applicationName").asText().equals(application)
                        && d.get("deploymentGroupName").asText().equals(group)
                        && ACTIVE_STATUSES.contains(d.get("status").asText()))
                .findFirst();
        if (active.isPresent()) {
            throw new AwsError("DeploymentLimitExceededException", "The Deployment Group '" + group
                    + "' already has an active Deployment '" + active.get().get("deploymentId").asText() + "'");
        }
        String id = newId();
        ObjectNode info = JSON.createObjectNode();
        info.put("applicationName", application);
        info.put("deploymentGroupName", group);
        info.put("deploymentConfigName", request.path("deploymentConfigName").asText("CodeDeployDefault.ECSAllAtOnce"));
        info.put("deploymentId", id);
        info.set("revision", revision.deepCopy());
        info.put("status", "Created");
        info.put("createTime", FakeAws.timestamp(aws.clock().instant()));
        info.put("creator", "user");
        info.put("ignoreApplicationStopFailures", false);
        info.put("updateOutdatedInstancesOnly", false);
        info.putObject("deploymentStyle").put("deploymentType", "BLUE_GREEN")
                .put("deploymentOption", "WITH_TRAFFIC_CONTROL");
        info.putArray("deploymentStatusMessages");
        info.put("computePlatform", "ECS");
        if (request.hasNonNull("description")) {
            info.put("description", request.get("description").asText());
        }
        deployments.put(id, info);
        return JSON.createObjectNode().put("deploymentId", id);
    }

    private JsonNode getDeployment(JsonNode request) throws AwsError {
        ObjectNode response = JSON.createObjectNode();
        response.set("deploymentInfo", existing(request).deepCopy());
        return response;
    }

    private JsonNode stopDeployment(JsonNode request) throws AwsError {
        ObjectNode info = existing(request);
        String id = info.get("deploymentId").asText();
        if (FINAL_STATUSES.contains(info.get("status").asText())) {
            throw new AwsError("DeploymentAlreadyCompletedException", "The deployment " + id + " has already completed.");
        }
        stopRollbacks.put(id, request.path("autoRollbackEnabled").asBoolean(false));
        finish(info, "Stopped");
        return JSON.createObjectNode().put("status", "Succeeded").put("statusMessage", "Deployment " + id + " stopped.");
    }

    private JsonNode listDeployments(JsonNode request) throws AwsError {
        String application = request.path("applicationName").asText(null);
        String group = request.path("deploymentGroupName").asText(null);
        if (group != null && application == null) {
            throw new AwsError("InvalidInputException", "If deploymentGroupName is specified, applicationName must be too.");
        }
        if (application != null) {
            requireGroup(application, group == null ? firstGroup(application) : group);
        }
        List<String> statuses = new ArrayList<>();
        request.path("includeOnlyStatuses").forEach(s -> statuses.add(s.asText()));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode ids = response.putArray("deployments");
        List<ObjectNode> newestFirst = new ArrayList<>(deployments.values());
        Collections.reverse(newestFirst);
        for (ObjectNode info : newestFirst) {
            if ((application == null || info.get("applicationName").asText().equals(application))
                    && (group == null || info.get("deploymentGroupName").asText().equals(group))
                    && (statuses.isEmpty() || statuses.contains(info.get("status").asText()))) {
                ids.add(info.get("deploymentId").asText());
            }
        }
        return response;
    }

    // ---- helpers ----

    private void requireGroup(String application, String group) throws AwsError {
        if (application.isEmpty()) {
            throw new AwsError("ApplicationNameRequiredException", "The application name must be specified.");
        }
        Map<String, Group> groups = applications.get(application);
        if (groups == null) {
            throw new AwsError("ApplicationDoesNotExistException", "No application found for name: " + application);
        }
        if (group == null || group.isEmpty()) {
            throw new AwsError("DeploymentGroupNameRequiredException", "The deployment group name must be specified.");
        }
        if (!groups.containsKey(group)) {
            throw new AwsError("DeploymentGroupDoesNotExistException", "No Deployment Group found for name: " + group);
        }
    }

    private String firstGroup(String application) {
        Map<String, Group> groups = applications.get(application);
        return groups == null || groups.isEmpty() ? "" : groups.keySet().iterator().next();
    }

    private ObjectNode existing(JsonNode request) throws AwsError {
        String id = request.path("deploymentId").asText("");
        if (id.isEmpty()) {
            throw new AwsError("DeploymentIdRequiredException", "The deployment ID must be specified.");
        }
        if (!id.matches("d-[A-Z0-9]{9}")) {
            throw new AwsError("InvalidDeploymentIdException", "Specified DeploymentId is not in the valid format: " + id);
        }
        ObjectNode info = deployments.get(id);
        if (info == null) {
            throw new AwsError("DeploymentDoesNotExistException", "The deployment " + id + " could not be found.");
        }
        return info;
    }

    private ObjectNode active(String deploymentId) {
        ObjectNode info = deployments.get(deploymentId);
        if (info == null) {
            throw new IllegalArgumentException("no deployment " + deploymentId + "; created: " + deployments.keySet());
        }
        if (FINAL_STATUSES.contains(info.get("status").asText())) {
            throw new IllegalStateException("deployment " + deploymentId + " already " + info.get("status").asText());
        }
        return info;
    }

    private void finish(ObjectNode info, String status) {
        Instant now = aws.clock().instant();
        if (!info.has("startTime")) {
            info.put("startTime", FakeAws.timestamp(now));
        }
        info.put("status", status);
        info.put("completeTime", FakeAws.timestamp(now));
    }

    /**
     * Checks a JSON AppSpec the way CodeDeploy reads an ECS one. YAML is accepted unchecked: the test
     * classpath has no YAML parser.
     */
    private static void validateAppSpec(String content) throws AwsError {
        JsonNode appSpec;
        try {
            appSpec = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            return;
        }
        if (!appSpec.isObject()) {
            return;
        }
        JsonNode service = appSpec.path("Resources").path(0).path("TargetService");
        if (!service.path("Type").asText().equals("AWS::ECS::Service")) {
            throw new AwsError("InvalidRevisionException", "The AppSpec has no TargetService of type AWS::ECS::Service.");
        }
        JsonNode properties = service.path("Properties");
        if (!properties.path("TaskDefinition").asText("").startsWith("arn:aws:ecs:")) {
            throw new AwsError("InvalidRevisionException", "The AppSpec TaskDefinition must be a task definition ARN.");
        }
        JsonNode loadBalancer = properties.path("LoadBalancerInfo");
        if (loadBalancer.path("ContainerName").asText("").isEmpty() || !loadBalancer.path("ContainerPort").canConvertToInt()) {
            throw new AwsError("InvalidRevisionException", "The AppSpec LoadBalancerInfo needs ContainerName and ContainerPort.");
        }
    }

    private static String taskDefinitionOf(String content) {
        try {
            return JSON.readTree(content).path("Resources").path(0).path("TargetService").path("Properties")
                    .path("TaskDefinition").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String newId() {
        String id;
        do {
            StringBuilder builder = new StringBuilder("d-");
            for (int i = 0; i < 9; i++) {
                builder.append(ID_CHARACTERS.charAt(ThreadLocalRandom.current().nextInt(ID_CHARACTERS.length())));
            }
            id = builder.toString();
        } while (deployments.containsKey(id));
        return id;
    }

    public static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
