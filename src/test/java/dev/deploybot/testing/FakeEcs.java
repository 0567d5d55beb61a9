package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Amazon ECS's task definition, service and one-off task operations that a release needs ({@code DescribeServices},
 * {@code DescribeTaskDefinition}, {@code RegisterTaskDefinition}, {@code UpdateService}, {@code RunTask},
 * {@code DescribeTasks}, {@code ListTasks}, {@code StopTask}), with ECS's field names, read-only fields, defaults
 * and error types. Deployments stay IN_PROGRESS until the test moves them with {@link #progressDeployment},
 * {@link #completeDeployment} or {@link #failDeployment}; tasks stay PROVISIONING until {@link #startTask},
 * {@link #exitTask} or {@link #failTaskToStart}. Reached as {@link FakeAws#ecs()}. Thread-safe.
 */
public final class FakeEcs implements AwsJsonService {

    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";
    /** Who ECS reports as having registered each task definition. */
    public static final String REGISTERED_BY = "arn:aws:iam::" + FakeAws.ACCOUNT_ID + ":role/deploybot";
    /** What the circuit breaker writes into a failed deployment's rolloutStateReason. */
    public static final String CIRCUIT_BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start.";
    public static final int DEFAULT_DESIRED_COUNT = 2;

    /** Members ECS returns in a task definition but sets itself; RegisterTaskDefinition must not carry them. */
    public static final Set<String> READ_ONLY_FIELDS = Set.of("taskDefinitionArn", "revision", "status",
            "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt",
            "deleteRequestedAt");
    /** The members of a RegisterTaskDefinition request. */
    public static final Set<String> WRITABLE_FIELDS = Set.of("family", "taskRoleArn", "executionRoleArn",
            "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities",
            "cpu", "memory", "tags", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators",
            "ephemeralStorage", "runtimePlatform", "enableFaultInjection");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN_PREFIX = "arn:aws:ecs:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":";
    private static final String CODE_DEPLOY_UPDATE = "Unable to update task definition on services with a "
            + "CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.";

    private record Revision(ObjectNode definition, ArrayNode tags) {
    }

    private static final class ServiceState {
        final String cluster;
        final String name;
        final String controller;
        final Instant createdAt;
        int desiredCount = DEFAULT_DESIRED_COUNT;
        String taskDefinition;
        /** PRIMARY first, as ECS lists them. */
        final List<ObjectNode> deployments = new ArrayList<>();
        /** Newest first, as ECS lists them. */
        final Deque<ObjectNode> events = new ArrayDeque<>();

        ServiceState(String cluster, String name, String controller, Instant createdAt) {
            this.cluster = cluster;
            this.name = name;
            this.controller = controller;
            this.createdAt = createdAt;
        }

        ObjectNode primary() {
            return deployments.stream().filter(d -> d.path("status").asText().equals("PRIMARY")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("service " + name + " has no PRIMARY deployment"));
        }
    }

    private final FakeAws aws;
    // All below guarded by "this".
    private final Set<String> clusters = new HashSet<>();
    private final Map<String, List<Revision>> families = new LinkedHashMap<>();
    private final Map<String, ServiceState> services = new LinkedHashMap<>();
    private final List<JsonNode> registrations = new ArrayList<>();
    private final List<JsonNode> updates = new ArrayList<>();
    /** By task ARN, in the order they were started. */
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    /** RunTask clientToken to the ARNs it started: ECS answers a repeated token with the same tasks. */
    private final Map<String, List<String>> tasksByClientToken = new HashMap<>();
    private final Deque<String> placementFailures = new ArrayDeque<>();

    FakeEcs(FakeAws aws) {
        this.aws = aws;
    }

    // ---- test setup ----

    public synchronized void createCluster(String cluster) {
        clusters.add(cluster);
    }

    /** A rolling-update (ECS controller) service; see {@link #createService(String, String, TaskDefinitionSpec, String)}. */
    public void createService(String cluster, String service, TaskDefinitionSpec taskDefinition) {
        createService(cluster, service, taskDefinition, "ECS");
    }

    /**
     * Creates the cluster if needed, registers the next revision of the spec's family (revision 1 for a new family)
     * and a service running it with {@value #DEFAULT_DESIRED_COUNT} tasks: one PRIMARY deployment, COMPLETED.
     *
     * @param deploymentController ECS or CODE_DEPLOY
     * @return the task definition ARN
     */
    public synchronized String createService(String cluster, String service, TaskDefinitionSpec taskDefinition,
                                             String deploymentController) {
        if (!Set.of("ECS", "CODE_DEPLOY").contains(deploymentController)) {
            throw new IllegalArgumentException("not a deployment controller this fake models: " + deploymentController);
        }
        if (services.containsKey(key(cluster, service))) {
            throw new IllegalStateException("service " + service + " already exists in " + cluster);
        }
        String arn;
        try {
            arn = register(taskDefinition.toRequest(), true).definition().get("taskDefinitionArn").asText();
        } catch (AwsError e) {
            throw new IllegalArgumentException("ECS would reject this task definition: " + e.getMessage(), e);
        }
        clusters.add(cluster);
        Instant now = aws.clock().instant();
        ServiceState state = new ServiceState(cluster, service, deploymentController, now);
        state.taskDefinition = arn;
        state.deployments.add(deployment(state, arn, "COMPLETED", state.desiredCount, now));
        event(state, "(service " + service + ") has reached a steady state.", now);
        services.put(key(cluster, service), state);
        return arn;
    }

    public static String clusterArn(String cluster) {
        return ARN_PREFIX + "cluster/" + cluster;
    }

    public static String serviceArn(String cluster, String service) {
        return ARN_PREFIX + "service/" + cluster + "/" + service;
    }

    public static String taskDefinitionArn(String family, int revision) {
        return ARN_PREFIX + "task-definition/" + family + ":" + revision;
    }

    // ---- test control ----

    /** The PRIMARY deployment has started {@code running} of its tasks. */
    public synchronized void progressDeployment(String cluster, String service, int running) {
        ServiceState state = existing(cluster, service);
        ObjectNode primary = state.primary();
        Instant now = aws.clock().instant();
        int desired = primary.get("desiredCount").asInt();
        if (running < 0 || running > desired) {
            throw new IllegalArgumentException("running must be 0.." + desired + ": " + running);
        }
        int started = running - primary.get("runningCount").asInt();
        primary.put("runningCount", running).put("pendingCount", desired - running).put("updatedAt", FakeAws.timestamp(now));
        if (started > 0) {
            event(state, "(service " + service + ") has started " + started + " tasks: (task " + taskId() + ").", now);
        }
    }

    /** The PRIMARY deployment reaches steady state: COMPLETED, every task running, older deployments drained. */
    public synchronized void completeDeployment(String cluster, String service) {
        ServiceState state = existing(cluster, service);
        ObjectNode primary = state.primary();
        Instant now = aws.clock().instant();
        String id = primary.get("id").asText();
        primary.put("runningCount", primary.get("desiredCount").asInt()).put("pendingCount", 0)
                .put("rolloutState", "COMPLETED").put("rolloutStateReason", "ECS deployment " + id + " completed.")
                .put("updatedAt", FakeAws.timestamp(now));
        state.deployments.removeIf(d -> d != primary);
        event(state, "(service " + service + ") (deployment " + id + ") deployment completed.", now);
        event(state, "(service " + service + ") has reached a steady state.", now);
    }

    /**
     * The deployment circuit breaker trips on the PRIMARY deployment and ECS rolls back, as it does with
     * {@code rollback: true}: the failed deployment gets rolloutState FAILED with {@code reason} and becomes
     * ACTIVE; a new PRIMARY deployment on the task definition of the last COMPLETED one takes over and is itself
     * COMPLETED. The service is steady again, yet the release failed. The failed deployment stays listed until
     * {@link #dropDrainedDeployments}.
     *
     * @param reason e.g. {@link #CIRCUIT_BREAKER_REASON}
     */
    public synchronized void failDeployment(String cluster, String service, String reason) {
        ServiceState state = existing(cluster, service);
        ObjectNode failed = state.primary();
        if (!failed.path("rolloutState").asText().equals("IN_PROGRESS")) {
            throw new IllegalStateException("PRIMARY deployment of " + service + " is not in progress");
        }
        ObjectNode lastGood = state.deployments.stream()
                .filter(d -> d != failed && d.path("rolloutState").asText().equals("COMPLETED"))
                .findFirst().orElseThrow(() -> new IllegalStateException("nothing to roll back to"));
        Instant now = aws.clock().instant();
        String failedId = failed.get("id").asText();
        failed.put("status", "ACTIVE").put("rolloutState", "FAILED").put("rolloutStateReason", reason)
                .put("runningCount", 0).put("pendingCount", 0).put("failedTasks", 3)
                .put("updatedAt", FakeAws.timestamp(now));
        String shortReason = reason.startsWith("ECS deployment circuit breaker: ")
                ? reason.substring("ECS deployment circuit breaker: ".length()) : reason;
        event(state, "(service " + service + ") (deployment " + failedId + ") deployment failed: " + shortReason, now);
        ObjectNode rollback = deployment(state, lastGood.get("taskDefinition").asText(), "COMPLETED",
                state.desiredCount, now);
        event(state, "(service " + service + ") rolling back to deployment " + rollback.get("id").asText() + ".", now);
        state.deployments.remove(lastGood);
        state.deployments.add(0, rollback);
        state.taskDefinition = rollback.get("taskDefinition").asText();
        event(state, "(service " + service + ") has reached a steady state.", now);
    }

    /** ECS stops listing deployments that no longer have tasks, such as a failed one after its rollback. */
    public synchronized void dropDrainedDeployments(String cluster, String service) {
        ServiceState state = existing(cluster, service);
        state.deployments.removeIf(d -> !d.path("status").asText().equals("PRIMARY") && d.path("runningCount").asInt() == 0);
    }

    /**
     * The next RunTask cannot place its task: it answers with no task and one {@code failures} entry with
     * {@code reason}, as ECS does when the cluster lacks capacity (e.g. {@code RESOURCE:MEMORY}).
     */
    public synchronized void failNextPlacement(String reason) {
        placementFailures.add(reason);
    }

    /** The task's containers are up: RUNNING. */
    public synchronized void startTask(String taskArn) {
        ObjectNode task = existingTask(taskArn);
        requireNotStopped(task);
        Instant now = aws.clock().instant();
        task.put("lastStatus", "RUNNING").put("pullStartedAt", FakeAws.timestamp(now))
                .put("pullStoppedAt", FakeAws.timestamp(now)).put("startedAt", FakeAws.timestamp(now));
        containersOf(task).forEach(c -> c.put("lastStatus", "RUNNING"));
    }

    /**
     * The task's essential container exits with {@code exitCode}, which stops the task as ECS does:
     * stopCode EssentialContainerExited; every container STOPPED with that exit code.
     */
    public synchronized void exitTask(String taskArn, int exitCode) {
        ObjectNode task = existingTask(taskArn);
        requireNotStopped(task);
        if (!task.has("startedAt")) {
            startTask(taskArn);
        }
        stop(task, "EssentialContainerExited", "Essential container in task exited");
        containersOf(task).forEach(c -> c.put("exitCode", exitCode));
    }

    /**
     * The task never started, e.g. {@code CannotPullContainerError: ...} or {@code ResourceInitializationError: ...}:
     * stopCode TaskFailedToStart, the reason on the task and its containers, no exit code.
     */
    public synchronized void failTaskToStart(String taskArn, String reason) {
        ObjectNode task = existingTask(taskArn);
        requireNotStopped(task);
        stop(task, "TaskFailedToStart", reason);
        containersOf(task).forEach(c -> c.put("reason", reason));
    }

    /** Every task RunTask started, as DescribeTasks shows them, oldest first. */
    public synchronized List<JsonNode> tasks() {
        return tasks.values().stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /** The accepted RegisterTaskDefinition requests as sent, oldest first; the setup revisions are not included. */
    public synchronized List<JsonNode> registeredTaskDefinitions() {
        return registrations.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /** The accepted UpdateService requests as sent, oldest first. */
    public synchronized List<JsonNode> updateServiceCalls() {
        return updates.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /** The service as DescribeServices shows it. */
    public synchronized JsonNode service(String cluster, String service) {
        return describe(existing(cluster, service));
    }

    /** A task definition as DescribeTaskDefinition shows it, by ARN or {@code family[:revision]}. */
    public synchronized Optional<JsonNode> taskDefinition(String reference) {
        return Optional.ofNullable(resolve(reference)).map(r -> r.definition().deepCopy());
    }

    /** CodeDeploy finished a blue/green deployment: the service now runs {@code taskDefinitionArn}. */
    synchronized void switchTaskDefinition(String cluster, String service, String taskDefinitionArn) {
        ServiceState state = existing(cluster, service);
        Instant now = aws.clock().instant();
        state.deployments.clear();
        state.deployments.add(deployment(state, taskDefinitionArn, "COMPLETED", state.desiredCount, now));
        state.taskDefinition = taskDefinitionArn;
        event(state, "(service " + service + ") has reached a steady state.", now);
    }

    // ---- protocol ----

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) throws AwsError {
        return switch (operation) {
            case "DescribeServices" -> describeServices(request);
            case "DescribeTaskDefinition" -> describeTaskDefinition(request);
            case "RegisterTaskDefinition" -> registerTaskDefinition(request);
            case "UpdateService" -> updateService(request);
            case "RunTask" -> runTask(request);
            case "DescribeTasks" -> describeTasks(request);
            case "ListTasks" -> listTasks(request);
            case "StopTask" -> stopTask(request);
            default -> throw AwsError.unknownOperation(TARGET_PREFIX + "." + operation);
        };
    }

    private JsonNode describeServices(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        JsonNode names = request.path("services");
        if (!names.isArray() || names.isEmpty() || names.size() > 10) {
            throw new AwsError("InvalidParameterException", "services should have between 1 and 10 elements.");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode found = response.putArray("services");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode name : names) {
            String service = lastSegment(name.asText());
            ServiceState state = services.get(key(cluster, service));
            if (state == null) {
                failures.addObject().put("arn", serviceArn(cluster, service)).put("reason", "MISSING");
            } else {
                found.add(describe(state));
            }
        }
        return response;
    }

    private JsonNode describeTaskDefinition(JsonNode request) throws AwsError {
        String reference = request.path("taskDefinition").asText("");
        if (reference.isEmpty()) {
            throw new AwsError("ClientException", "TaskDefinition can not be blank.");
        }
        Revision revision = resolve(reference);
        if (revision == null) {
            throw new AwsError("ClientException", "Unable to describe task definition.");
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("taskDefinition", revision.definition().deepCopy());
        for (JsonNode include : request.path("include")) {
            if (include.asText().equals("TAGS")) {
                response.set("tags", revision.tags().deepCopy());
            }
        }
        return response;
    }

    private JsonNode registerTaskDefinition(JsonNode request) throws AwsError {
        Revision revision = register((ObjectNode) request, false);
        registrations.add(request.deepCopy());
        ObjectNode response = JSON.createObjectNode();
        response.set("taskDefinition", revision.definition().deepCopy());
        response.set("tags", revision.tags().deepCopy());
        return response;
    }

    private JsonNode updateService(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        String serviceRef = request.path("service").asText("");
        ServiceState state = services.get(key(cluster, lastSegment(serviceRef)));
        if (state == null) {
            throw new AwsError("ServiceNotFoundException", "Service not found.");
        }
        String taskDefinition = state.taskDefinition;
        if (request.hasNonNull("taskDefinition")) {
            Revision revision = resolve(request.get("taskDefinition").asText());
            if (revision == null) {
                throw new AwsError("ClientException", "TaskDefinition not found.");
            }
            taskDefinition = revision.definition().get("taskDefinitionArn").asText();
            if (state.controller.equals("CODE_DEPLOY")) {
                throw new AwsError("InvalidParameterException", CODE_DEPLOY_UPDATE);
            }
        }
        if (request.hasNonNull("desiredCount")) {
            state.desiredCount = request.get("desiredCount").asInt();
        }
        boolean changed = !taskDefinition.equals(state.taskDefinition);
        // Like ECS: without a new task definition or forceNewDeployment, no deployment starts.
        if (changed || request.path("forceNewDeployment").asBoolean(false)) {
            Instant now = aws.clock().instant();
            state.deployments.forEach(d -> d.put("status", "ACTIVE"));
            state.deployments.add(0, deployment(state, taskDefinition, "IN_PROGRESS", 0, now));
            state.taskDefinition = taskDefinition;
        }
        updates.add(request.deepCopy());
        ObjectNode response = JSON.createObjectNode();
        response.set("service", describe(state));
        return response;
    }

    // ---- one-off tasks ----

    private JsonNode runTask(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        String reference = request.path("taskDefinition").asText("");
        if (reference.isEmpty()) {
            throw new AwsError("ClientException", "TaskDefinition can not be blank.");
        }
        Revision revision = resolve(reference);
        if (revision == null) {
            throw new AwsError("ClientException", "Unable to find task definition.");
        }
        ObjectNode definition = revision.definition();
        int count = request.path("count").asInt(1);
        if (count < 1 || count > 10) {
            throw new AwsError("InvalidParameterException", "count must be between 1 and 10.");
        }
        String startedBy = request.path("startedBy").asText("");
        if (!startedBy.matches("[A-Za-z0-9_/-]{0,128}")) {
            throw new AwsError("InvalidParameterException", "startedBy may only contain letters, numbers, '-', '/' "
                    + "and '_', at most 128 characters.");
        }
        String clientToken = request.path("clientToken").asText("");
        if (clientToken.length() > 64) {
            throw new AwsError("InvalidParameterException", "clientToken can be at most 64 characters.");
        }
        if (!clientToken.isEmpty() && tasksByClientToken.containsKey(clientToken)) {
            return runTaskResponse(tasksByClientToken.get(clientToken), null);
        }
        String launchType = request.path("launchType").asText("EC2");
        if (!Set.of("EC2", "FARGATE", "EXTERNAL").contains(launchType)) {
            throw new AwsError("InvalidParameterException", "launchType must be EC2, FARGATE or EXTERNAL.");
        }
        if (launchType.equals("FARGATE") && !definition.path("compatibilities").toString().contains("FARGATE")) {
            throw new AwsError("InvalidParameterException",
                    "Task definition does not support launch_type FARGATE.");
        }
        if (definition.path("networkMode").asText().equals("awsvpc")
                && request.path("networkConfiguration").path("awsvpcConfiguration").path("subnets").isEmpty()) {
            throw new AwsError("InvalidParameterException",
                    "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        Set<String> containerNames = new HashSet<>();
        definition.get("containerDefinitions").forEach(c -> containerNames.add(c.get("name").asText()));
        for (JsonNode override : request.path("overrides").path("containerOverrides")) {
            String name = override.path("name").asText("");
            if (!containerNames.contains(name)) {
                throw new AwsError("InvalidParameterException",
                        "Override for container named " + name + " is not a container in the TaskDefinition.");
            }
        }
        String placementFailure = placementFailures.poll();
        if (placementFailure != null) {
            return runTaskResponse(List.of(), placementFailure);
        }
        List<String> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode task = newTask(cluster, definition, request, launchType, startedBy);
            tasks.put(task.get("taskArn").asText(), task);
            started.add(task.get("taskArn").asText());
        }
        if (!clientToken.isEmpty()) {
            tasksByClientToken.put(clientToken, started);
        }
        return runTaskResponse(started, null);
    }

    private ObjectNode runTaskResponse(List<String> taskArns, String placementFailure) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode found = response.putArray("tasks");
        taskArns.forEach(arn -> found.add(tasks.get(arn).deepCopy()));
        ArrayNode failures = response.putArray("failures");
        if (placementFailure != null) {
            failures.addObject().put("arn", ARN_PREFIX + "container-instance/" + taskId()).put("reason", placementFailure);
        }
        return response;
    }

    private ObjectNode newTask(String cluster, ObjectNode definition, JsonNode request, String launchType,
                               String startedBy) {
        Instant now = aws.clock().instant();
        String taskArn = ARN_PREFIX + "task/" + cluster + "/" + taskId();
        ObjectNode task = JSON.createObjectNode();
        task.put("taskArn", taskArn);
        task.put("clusterArn", clusterArn(cluster));
        task.put("taskDefinitionArn", definition.get("taskDefinitionArn").asText());
        task.put("group", request.path("group").asText("family:" + definition.get("family").asText()));
        task.put("launchType", launchType);
        if (launchType.equals("FARGATE")) {
            task.put("platformVersion", "1.4.0").put("platformFamily", "Linux");
        }
        task.put("lastStatus", "PROVISIONING");
        task.put("desiredStatus", "RUNNING");
        if (definition.hasNonNull("cpu")) {
            task.put("cpu", definition.get("cpu").asText());
        }
        if (definition.hasNonNull("memory")) {
            task.put("memory", definition.get("memory").asText());
        }
        ArrayNode containers = task.putArray("containers");
        for (JsonNode container : definition.get("containerDefinitions")) {
            containers.addObject()
                    .put("containerArn", ARN_PREFIX + "container/" + cluster + "/" + taskId())
                    .put("taskArn", taskArn)
                    .put("name", container.get("name").asText())
                    .put("image", container.get("image").asText())
                    .put("lastStatus", "PENDING")
                    .put("essential", container.path("essential").asBoolean(true));
        }
        ObjectNode overrides = request.path("overrides").isObject()
                ? (ObjectNode) request.get("overrides").deepCopy() : JSON.createObjectNode();
        if (!overrides.has("containerOverrides")) {
            overrides.putArray("containerOverrides");
        }
        overrides.putArray("inferenceAcceleratorOverrides");
        task.set("overrides", overrides);
        if (!startedBy.isEmpty()) {
            task.put("startedBy", startedBy);
        }
        task.put("createdAt", FakeAws.timestamp(now));
        task.put("version", 1);
        task.putArray("attachments");
        task.put("availabilityZone", FakeAws.REGION + "a");
        return task;
    }

    private JsonNode describeTasks(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        JsonNode references = request.path("tasks");
        if (!references.isArray() || references.isEmpty() || references.size() > 100) {
            throw new AwsError("InvalidParameterException", "Tasks cannot be empty.");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode found = response.putArray("tasks");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : references) {
            String arn = taskArnOf(cluster, reference.asText());
            ObjectNode task = tasks.get(arn);
            if (task == null) {
                failures.addObject().put("arn", arn).put("reason", "MISSING");
            } else {
                found.add(task.deepCopy());
            }
        }
        return response;
    }

    /** Like ECS: desiredStatus defaults to RUNNING, which lists tasks that are still meant to run. */
    private JsonNode listTasks(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        String desired = request.path("desiredStatus").asText("RUNNING");
        if (!Set.of("RUNNING", "PENDING", "STOPPED").contains(desired)) {
            throw new AwsError("InvalidParameterException", "desiredStatus must be RUNNING, PENDING or STOPPED.");
        }
        String startedBy = request.path("startedBy").asText(null);
        String family = request.path("family").asText(null);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode arns = response.putArray("taskArns");
        tasks.values().stream()
                .filter(t -> t.get("clusterArn").asText().equals(clusterArn(cluster)))
                .filter(t -> t.get("desiredStatus").asText().equals(desired.equals("PENDING") ? "RUNNING" : desired))
                .filter(t -> startedBy == null || startedBy.equals(t.path("startedBy").asText(null)))
                .filter(t -> family == null || t.get("group").asText().equals("family:" + family))
                .forEach(t -> arns.add(t.get("taskArn").asText()));
        return response;
    }

    private JsonNode stopTask(JsonNode request) throws AwsError {
        String cluster = clusterOf(request);
        String arn = taskArnOf(cluster, request.path("task").asText(""));
        ObjectNode task = tasks.get(arn);
        if (task == null) {
            throw new AwsError("InvalidParameterException", "The referenced task was not found.");
        }
        if (!task.get("lastStatus").asText().equals("STOPPED")) {
            stop(task, "UserInitiated", request.path("reason").asText("Task stopped by user"));
            containersOf(task).forEach(c -> c.put("exitCode", 143));
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("task", task.deepCopy());
        return response;
    }

    private void stop(ObjectNode task, String stopCode, String reason) {
        Instant now = aws.clock().instant();
        task.put("lastStatus", "STOPPED").put("desiredStatus", "STOPPED").put("stopCode", stopCode)
                .put("stoppedReason", reason).put("stoppingAt", FakeAws.timestamp(now))
                .put("stoppedAt", FakeAws.timestamp(now)).put("executionStoppedAt", FakeAws.timestamp(now))
                .put("version", task.get("version").asInt() + 1);
        containersOf(task).forEach(c -> c.put("lastStatus", "STOPPED"));
    }

    private static List<ObjectNode> containersOf(ObjectNode task) {
        List<ObjectNode> containers = new ArrayList<>();
        task.get("containers").forEach(c -> containers.add((ObjectNode) c));
        return containers;
    }

    private ObjectNode existingTask(String taskArn) {
        ObjectNode task = tasks.get(taskArn);
        if (task == null) {
            throw new IllegalArgumentException("no task " + taskArn + "; started: " + tasks.keySet());
        }
        return task;
    }

    private static void requireNotStopped(ObjectNode task) {
        if (task.get("lastStatus").asText().equals("STOPPED")) {
            throw new IllegalStateException("task " + task.get("taskArn").asText() + " has stopped already");
        }
    }

    /** ECS takes a task's full ARN or its id. */
    private static String taskArnOf(String cluster, String reference) {
        return reference.startsWith("arn:") ? reference : ARN_PREFIX + "task/" + cluster + "/" + reference;
    }

    // ---- task definitions ----

    /** @param systemTags whether {@code aws:} tags are allowed: only AWS itself (CloudFormation) sets them */
    private Revision register(ObjectNode request, boolean systemTags) throws AwsError {
        Iterator<String> names = request.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (READ_ONLY_FIELDS.contains(name)) {
                throw new AwsError("ClientException", name + " is set by ECS and cannot be registered.");
            }
            if (!WRITABLE_FIELDS.contains(name)) {
                throw new AwsError("ClientException", "Unknown parameter in task definition: " + name);
            }
        }
        String family = request.path("family").asText("");
        if (!family.matches("[a-zA-Z0-9_-]{1,255}")) {
            throw new AwsError("ClientException", "Family contains invalid characters or is blank: '" + family + "'.");
        }
        ArrayNode containers = containerDefinitions(request);
        validateFargate(request);
        List<Revision> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
        int number = revisions.size() + 1;
        Instant now = aws.clock().instant();
        ObjectNode definition = JSON.createObjectNode();
        definition.put("taskDefinitionArn", taskDefinitionArn(family, number));
        definition.set("containerDefinitions", containers);
        request.fields().forEachRemaining(field -> {
            if (!Set.of("containerDefinitions", "tags").contains(field.getKey())) {
                definition.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        definition.put("revision", number);
        if (!definition.has("volumes")) {
            definition.putArray("volumes");
        }
        if (!definition.has("placementConstraints")) {
            definition.putArray("placementConstraints");
        }
        definition.put("status", "ACTIVE");
        ArrayNode attributes = definition.putArray("requiresAttributes");
        attributes.addObject().put("name", "com.amazonaws.ecs.capability.docker-remote-api.1.18");
        if (definition.path("networkMode").asText().equals("awsvpc")) {
            attributes.addObject().put("name", "ecs.capability.task-eni");
        }
        if (definition.hasNonNull("executionRoleArn")) {
            attributes.addObject().put("name", "ecs.capability.execution-role-ecr-pull");
        }
        ArrayNode compatibilities = definition.putArray("compatibilities").add("EC2");
        if (definition.path("networkMode").asText().equals("awsvpc") && definition.hasNonNull("cpu")
                && definition.hasNonNull("memory")) {
            compatibilities.add("FARGATE");
        }
        definition.put("registeredAt", FakeAws.timestamp(now));
        definition.put("registeredBy", REGISTERED_BY);
        ArrayNode tags = tags(request.path("tags"), systemTags);
        Revision revision = new Revision(definition, tags);
        revisions.add(revision);
        return revision;
    }

    private static ArrayNode containerDefinitions(ObjectNode request) throws AwsError {
        JsonNode definitions = request.path("containerDefinitions");
        if (!definitions.isArray() || definitions.isEmpty()) {
            throw new AwsError("ClientException", "Container list cannot be empty.");
        }
        boolean awsvpc = request.path("networkMode").asText().equals("awsvpc");
        Set<String> names = new HashSet<>();
        boolean anyEssential = false;
        ArrayNode containers = JSON.createArrayNode();
        for (JsonNode sent : definitions) {
            ObjectNode container = (ObjectNode) sent.deepCopy();
            String name = container.path("name").asText("");
            if (name.isEmpty()) {
                throw new AwsError("ClientException", "Container.name should not be null or empty.");
            }
            if (container.path("image").asText("").isEmpty()) {
                throw new AwsError("ClientException", "Container.image should not be null or empty.");
            }
            if (!names.add(name)) {
                throw new AwsError("ClientException", "Duplicate container names found: " + name + ".");
            }
            // ECS fills in these defaults, so what comes back is never exactly what was registered.
            if (!container.has("essential")) {
                container.put("essential", true);
            }
            anyEssential |= container.get("essential").asBoolean();
            if (!container.has("cpu")) {
                container.put("cpu", 0);
            }
            if (!container.has("portMappings")) {
                container.putArray("portMappings");
            }
            for (JsonNode mapping : container.get("portMappings")) {
                ObjectNode port = (ObjectNode) mapping;
                if (awsvpc && !port.has("hostPort") && port.has("containerPort")) {
                    port.put("hostPort", port.get("containerPort").asInt());
                }
                if (!port.has("protocol")) {
                    port.put("protocol", "tcp");
                }
            }
            for (String list : List.of("environment", "mountPoints", "volumesFrom", "systemControls")) {
                if (!container.has(list)) {
                    container.putArray(list);
                }
            }
            containers.add(container);
        }
        if (!anyEssential) {
            throw new AwsError("ClientException", "Task definition must have at least one essential container.");
        }
        return containers;
    }

    private static void validateFargate(ObjectNode request) throws AwsError {
        boolean fargate = false;
        for (JsonNode compatibility : request.path("requiresCompatibilities")) {
            fargate |= compatibility.asText().equals("FARGATE");
        }
        if (!fargate) {
            return;
        }
        if (!request.path("networkMode").asText().equals("awsvpc")) {
            throw new AwsError("ClientException", "Fargate only supports network mode 'awsvpc'.");
        }
        if (!request.hasNonNull("cpu")) {
            throw new AwsError("ClientException", "Fargate requires that 'cpu' be defined at the task level.");
        }
        if (!request.hasNonNull("memory")) {
            throw new AwsError("ClientException", "Fargate requires that 'memory' be defined at the task level.");
        }
    }

    private static ArrayNode tags(JsonNode sent, boolean systemTags) throws AwsError {
        ArrayNode tags = JSON.createArrayNode();
        for (JsonNode tag : sent) {
            String key = tag.path("key").asText("");
            if (key.isEmpty()) {
                throw new AwsError("ClientException", "Tag keys must not be empty.");
            }
            if (!systemTags && key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new AwsError("InvalidParameterException", "Invalid tag key " + key
                        + ": the aws: prefix is reserved for AWS use.");
            }
            tags.addObject().put("key", tag.get("key").asText()).put("value", tag.path("value").asText(""));
        }
        return tags;
    }

    /** By ARN, {@code family:revision} or {@code family} (the latest ACTIVE revision). */
    private Revision resolve(String reference) {
        String name = reference.startsWith("arn:")
                ? reference.substring(reference.indexOf("task-definition/") + "task-definition/".length())
                : reference;
        int colon = name.lastIndexOf(':');
        List<Revision> revisions = families.get(colon < 0 ? name : name.substring(0, colon));
        if (revisions == null || revisions.isEmpty()) {
            return null;
        }
        if (colon < 0) {
            return revisions.get(revisions.size() - 1);
        }
        try {
            int number = Integer.parseInt(name.substring(colon + 1));
            return number >= 1 && number <= revisions.size() ? revisions.get(number - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- services ----

    private String clusterOf(JsonNode request) throws AwsError {
        String cluster = lastSegment(request.path("cluster").asText("default"));
        if (!clusters.contains(cluster)) {
            throw new AwsError("ClusterNotFoundException", "Cluster not found.");
        }
        return cluster;
    }

    private ServiceState existing(String cluster, String service) {
        ServiceState state = services.get(key(cluster, service));
        if (state == null) {
            throw new IllegalArgumentException("no service " + service + " in cluster " + cluster
                    + "; created: " + services.keySet());
        }
        return state;
    }

    private ObjectNode describe(ServiceState state) {
        ObjectNode service = JSON.createObjectNode();
        service.put("serviceArn", serviceArn(state.cluster, state.name));
        service.put("serviceName", state.name);
        service.put("clusterArn", clusterArn(state.cluster));
        service.putArray("loadBalancers");
        service.putArray("serviceRegistries");
        service.put("status", "ACTIVE");
        service.put("desiredCount", state.desiredCount);
        service.put("runningCount", state.deployments.stream().mapToInt(d -> d.get("runningCount").asInt()).sum());
        service.put("pendingCount", state.deployments.stream().mapToInt(d -> d.get("pendingCount").asInt()).sum());
        service.put("launchType", "FARGATE");
        service.put("platformVersion", "LATEST");
        service.put("platformFamily", "Linux");
        service.put("taskDefinition", state.taskDefinition);
        ObjectNode configuration = service.putObject("deploymentConfiguration");
        configuration.putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", true);
        configuration.put("maximumPercent", 200).put("minimumHealthyPercent", 100);
        ArrayNode deployments = service.putArray("deployments");
        state.deployments.forEach(d -> deployments.add(d.deepCopy()));
        service.put("roleArn", "arn:aws:iam::" + FakeAws.ACCOUNT_ID
                + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
        ArrayNode events = service.putArray("events");
        state.events.forEach(e -> events.add(e.deepCopy()));
        service.put("createdAt", FakeAws.timestamp(state.createdAt));
        service.putArray("placementConstraints");
        service.putArray("placementStrategy");
        service.set("networkConfiguration", networkConfiguration());
        service.put("healthCheckGracePeriodSeconds", 0);
        service.put("schedulingStrategy", "REPLICA");
        service.putObject("deploymentController").put("type", state.controller);
        service.put("createdBy", "arn:aws:iam::" + FakeAws.ACCOUNT_ID + ":role/platform-admin");
        service.put("enableECSManagedTags", false);
        service.put("propagateTags", "NONE");
        service.put("enableExecuteCommand", false);
        return service;
    }

    private ObjectNode deployment(ServiceState state, String taskDefinition, String rolloutState, int running,
                                  Instant now) {
        String id = "ecs-svc/" + ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE);
        ObjectNode deployment = JSON.createObjectNode();
        deployment.put("id", id);
        deployment.put("status", "PRIMARY");
        deployment.put("taskDefinition", taskDefinition);
        deployment.put("desiredCount", state.desiredCount);
        deployment.put("pendingCount", 0);
        deployment.put("runningCount", running);
        deployment.put("failedTasks", 0);
        deployment.put("createdAt", FakeAws.timestamp(now));
        deployment.put("updatedAt", FakeAws.timestamp(now));
        deployment.put("launchType", "FARGATE");
        deployment.put("platformVersion", "1.4.0");
        deployment.put("platformFamily", "Linux");
        deployment.set("networkConfiguration", networkConfiguration());
        deployment.put("rolloutState", rolloutState);
        deployment.put("rolloutStateReason", "ECS deployment " + id
                + (rolloutState.equals("COMPLETED") ? " completed." : " in progress."));
        return deployment;
    }

    private static ObjectNode networkConfiguration() {
        ObjectNode network = JSON.createObjectNode();
        ObjectNode awsvpc = network.putObject("awsvpcConfiguration");
        awsvpc.putArray("subnets").add("subnet-0a1b2c3d4e5f60718");
        awsvpc.putArray("securityGroups").add("sg-0123456789abcdef0");
        awsvpc.put("assignPublicIp", "DISABLED");
        return network;
    }

    private static void event(ServiceState state, String message, Instant now) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", UUID.randomUUID().toString());
        event.put("createdAt", FakeAws.timestamp(now));
        event.put("message", message);
        state.events.addFirst(event);
        while (state.events.size() > 100) {
            state.events.removeLast();
        }
    }

    private static String taskId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String key(String cluster, String service) {
        return cluster + "/" + service;
    }

    /** The name in a name-or-ARN parameter: ECS accepts both for clusters and services. */
    private static String lastSegment(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    }
}
