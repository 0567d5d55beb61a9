package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * An EventBridge event read from {@code src/test/resources/events/}, where the fixtures keep the shapes AWS
 * documents (ARN build ids, float build numbers, {@code "[: ]"} contexts, {@code Sep 1, 2017 4:12:29 PM}
 * times). Tests change only what ties the event to their own build or deployment.
 */
public final class AwsEvent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ALARM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private final ObjectNode root;

    private AwsEvent(ObjectNode root) {
        this.root = root;
    }

    /** @param name the fixture's file name, e.g. {@code codebuild-build-failed.json} */
    public static AwsEvent fixture(String name) {
        try (InputStream in = AwsEvent.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new AwsEvent((ObjectNode) JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same event under a new EventBridge id: a different event, not a redelivery. */
    public AwsEvent withNewId() {
        return withId(UUID.randomUUID().toString());
    }

    public AwsEvent withId(String id) {
        ObjectNode copy = root.deepCopy();
        copy.put("id", id);
        return new AwsEvent(copy);
    }

    /**
     * Points a CodeBuild event at the build {@code project:uuid}, as StartBuild named it: the ARN in
     * {@code build-id} and {@code resources}, the project name and the logs link.
     */
    public AwsEvent forBuild(String buildId) {
        ObjectNode copy = root.deepCopy();
        String arn = "arn:aws:codebuild:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":build/" + buildId;
        ObjectNode detail = (ObjectNode) copy.get("detail");
        detail.put("build-id", arn);
        detail.put("project-name", buildId.substring(0, buildId.indexOf(':')));
        copy.putArray("resources").add(arn);
        return new AwsEvent(copy).withNewId();
    }

    /**
     * Points a CodeBuild event at a build the fake CodeBuild started, with its number, ref and logs link, as
     * CodeBuild would describe that build.
     */
    public AwsEvent forBuild(JsonNode fakeBuild) {
        AwsEvent event = forBuild(fakeBuild.get("id").asText());
        ObjectNode info = (ObjectNode) event.root.path("detail").path("additional-information");
        info.put("build-number", fakeBuild.get("buildNumber").asDouble());
        if (fakeBuild.hasNonNull("sourceVersion")) {
            info.put("source-version", fakeBuild.get("sourceVersion").asText());
        }
        if (info.has("logs")) {
            ((ObjectNode) info.get("logs")).put("deep-link", fakeBuild.path("logs").path("deepLink").asText());
        }
        return event;
    }

    /** Sets a field of the envelope itself, e.g. {@code detail-type}. */
    public AwsEvent with(String field, String value) {
        ObjectNode copy = root.deepCopy();
        copy.put(field, value);
        return new AwsEvent(copy);
    }

    public AwsEvent withDetail(String field, String value) {
        ObjectNode copy = root.deepCopy();
        ((ObjectNode) copy.get("detail")).put(field, value);
        return new AwsEvent(copy);
    }

    /**
     * Points a CloudWatch alarm event at {@code alarm} moving to {@code state} at {@code at}, in the alarm's own time
     * format ({@code 2026-11-29T14:02:40.987+0000}).
     */
    public AwsEvent forAlarm(String alarm, String state, Instant at) {
        ObjectNode copy = root.deepCopy();
        ObjectNode detail = (ObjectNode) copy.get("detail");
        detail.put("alarmName", alarm);
        ObjectNode now = (ObjectNode) detail.get("state");
        now.put("value", state);
        now.put("timestamp", ALARM_TIME.format(at));
        copy.putArray("resources").add(FakeCloudWatch.alarmArn(alarm));
        return new AwsEvent(copy).withNewId();
    }

    public AwsEvent withResources(String... arns) {
        ObjectNode copy = root.deepCopy();
        ArrayNode resources = copy.putArray("resources");
        for (String arn : arns) {
            resources.add(arn);
        }
        return new AwsEvent(copy);
    }

    public String id() {
        return root.get("id").asText();
    }

    public JsonNode json() {
        return root.deepCopy();
    }

    /** The event as EventBridge sends it. */
    @Override
    public String toString() {
        return root.toString();
    }
}
