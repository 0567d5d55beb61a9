package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch Logs' {@code GetLogEvents} ({@code X-Amz-Target: Logs_20140328.GetLogEvents}) over log groups and
 * streams the test fills with {@link #append}, with the real error types, paging tokens and the default of reading
 * from the tail. Reached as {@link FakeAws#logs()}. Thread-safe.
 */
public final class FakeLogs implements AwsJsonService {

    public static final String TARGET_PREFIX = "Logs_20140328";
    private static final int MAX_LIMIT = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Event(Instant timestamp, String message) {
    }

    private final FakeAws aws;
    // Guarded by "this": group → stream → events, oldest first.
    private final Map<String, Map<String, List<Event>>> groups = new LinkedHashMap<>();

    FakeLogs(FakeAws aws) {
        this.aws = aws;
    }

    // ---- test setup ----

    public synchronized void createLogGroup(String group) {
        groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
    }

    /** Appends lines to a stream, stamped with the fake's clock; creates the group and the stream as needed. */
    public synchronized void append(String group, String stream, String... messages) {
        List<Event> events = groups.computeIfAbsent(group, g -> new LinkedHashMap<>())
                .computeIfAbsent(stream, s -> new ArrayList<>());
        Instant now = aws.clock().instant();
        for (String message : messages) {
            events.add(new Event(now, message));
        }
    }

    // ---- protocol ----

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) throws AwsError {
        if (!operation.equals("GetLogEvents")) {
            throw AwsError.unknownOperation(TARGET_PREFIX + "." + operation);
        }
        return getLogEvents(request);
    }

    private JsonNode getLogEvents(JsonNode request) throws AwsError {
        String group = groupOf(request);
        String stream = request.path("logStreamName").asText("");
        if (stream.isEmpty()) {
            throw new AwsError("InvalidParameterException", "1 validation error detected: Value null at "
                    + "'logStreamName' failed to satisfy constraint: Member must not be null");
        }
        Map<String, List<Event>> streams = groups.get(group);
        if (streams == null) {
            throw new AwsError("ResourceNotFoundException", "The specified log group does not exist.");
        }
        List<Event> events = streams.get(stream);
        if (events == null) {
            throw new AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        int limit = request.path("limit").asInt(MAX_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new AwsError("InvalidParameterException", "1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        // A token is a position in the stream: "f/<n>" reads forward from event n, "b/<n>" backward up to it.
        String token = request.path("nextToken").asText("");
        boolean fromHead = request.path("startFromHead").asBoolean(false);
        int from;
        int to;
        if (token.startsWith("f/")) {
            from = position(token, events.size());
            to = Math.min(events.size(), from + limit);
        } else if (token.startsWith("b/")) {
            to = position(token, events.size());
            from = Math.max(0, to - limit);
        } else if (!token.isEmpty()) {
            throw new AwsError("InvalidParameterException", "The specified nextToken is invalid.");
        } else if (fromHead) {
            from = 0;
            to = Math.min(events.size(), limit);
        } else {
            to = events.size();
            from = Math.max(0, to - limit);
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode page = response.putArray("events");
        for (Event event : events.subList(from, to)) {
            page.addObject().put("timestamp", event.timestamp().toEpochMilli()).put("message", event.message())
                    .put("ingestionTime", event.timestamp().toEpochMilli());
        }
        response.put("nextForwardToken", "f/" + to);
        response.put("nextBackwardToken", "b/" + from);
        return response;
    }

    private static String groupOf(JsonNode request) throws AwsError {
        String name = request.path("logGroupName").asText("");
        String identifier = request.path("logGroupIdentifier").asText("");
        if (name.isEmpty() == identifier.isEmpty()) {
            throw new AwsError("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive "
                    + "parameters, and exactly one of them must be specified.");
        }
        if (name.isEmpty()) {
            // An ARN names the group after "log-group:"; a plain identifier is the name itself.
            int at = identifier.indexOf(":log-group:");
            return at < 0 ? identifier : identifier.substring(at + ":log-group:".length()).replaceFirst(":\\*$", "");
        }
        return name;
    }

    private static int position(String token, int size) throws AwsError {
        try {
            int position = Integer.parseInt(token.substring(2));
            if (position < 0 || position > size) {
                throw new AwsError("InvalidParameterException", "The specified nextToken is invalid.");
            }
            return position;
        } catch (NumberFormatException e) {
            throw new AwsError("InvalidParameterException", "The specified nextToken is invalid.");
        }
    }
}
