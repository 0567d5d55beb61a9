package dev.deploybot.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CloudWatch alarms as the SDK in the pom (2.40.x) reaches them: the AWS <em>query</em> protocol, not JSON 1.1.
 * A request is a form-encoded {@code POST /} with {@code Action=DescribeAlarms&Version=2010-08-01} and lists
 * flattened as {@code AlarmNames.member.1=…}; the answer is XML in the {@code monitoring.amazonaws.com} namespace,
 * errors are {@code <ErrorResponse><Error><Type/><Code/><Message/></Error>} with the real codes
 * ({@code InvalidNextToken}, {@code InvalidParameterValue}, {@code ValidationError}, {@code Throttling}).
 * Like AWS, names that match no alarm are simply absent from the answer, and without {@code AlarmTypes}
 * only metric alarms are returned. Reached through {@link FakeAws}'s endpoint. Thread-safe.
 */
public final class FakeCloudWatch {

    /** What {@link AwsCall#target()} holds for a CloudWatch call: this prefix, a dot, the action. */
    public static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
    public static final String DESCRIBE_ALARMS = TARGET_PREFIX + ".DescribeAlarms";
    static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    private static final String VERSION = "2010-08-01";
    private static final int MAX_NAMES = 100;
    private static final Set<String> STATES = Set.of("OK", "ALARM", "INSUFFICIENT_DATA");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final FakeAws aws;
    // Guarded by "this"; sorted by name, as AWS lists alarms.
    private final Map<String, Alarm> alarms = new TreeMap<>();

    FakeCloudWatch(FakeAws aws) {
        this.aws = aws;
    }

    private record Alarm(String name, boolean composite, String state, String reason, Instant updatedAt) {
        String arn() {
            return "arn:aws:cloudwatch:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":alarm:" + name;
        }
    }

    /** A metric alarm, in state {@code OK}. */
    public void createAlarm(String name) {
        put(name, false, "OK");
    }

    /** A composite alarm, in state {@code OK}: listed only when {@code AlarmTypes} asks for composites. */
    public void createCompositeAlarm(String name) {
        put(name, true, "OK");
    }

    /** What {@code SetAlarmState} or a breaching metric does: the alarm moves, with a reason and the time. */
    public synchronized void setState(String name, String state, String reason) {
        Alarm alarm = alarms.get(name);
        if (alarm == null || !STATES.contains(state)) {
            throw new IllegalArgumentException("no alarm " + name + " or no state " + state);
        }
        alarms.put(name, new Alarm(name, alarm.composite(), state, reason, now()));
    }

    public synchronized String state(String name) {
        return alarms.get(name).state();
    }

    public static String alarmArn(String name) {
        return new Alarm(name, false, "OK", "", Instant.EPOCH).arn();
    }

    private synchronized void put(String name, boolean composite, String state) {
        alarms.put(name, new Alarm(name, composite, state, "Unchecked: Initial alarm creation", now()));
    }

    private Instant now() {
        return aws.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- wire ----

    /** Decodes a form-encoded query request; repeated keys keep their last value, as they never repeat here. */
    static ObjectNode parameters(String body) {
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.put(key, value);
        }
        return parameters;
    }

    /** Answers one action with the XML body of its response; errors as {@link AwsError} with the query codes. */
    String handle(String action, ObjectNode parameters) throws AwsError {
        if (!VERSION.equals(parameters.path("Version").asText())) {
            throw new AwsError("InvalidParameterValue", "Version must be " + VERSION);
        }
        if (!"DescribeAlarms".equals(action)) {
            throw new AwsError("InvalidAction", "The action " + action + " is not valid for this web service.");
        }
        return describeAlarms(parameters);
    }

    private synchronized String describeAlarms(ObjectNode parameters) throws AwsError {
        List<String> names = members(parameters, "AlarmNames");
        if (names.size() > MAX_NAMES) {
            throw new AwsError("ValidationError", "1 validation error detected: Value at 'alarmNames' failed to satisfy"
                    + " constraint: Member must have length less than or equal to " + MAX_NAMES);
        }
        List<String> types = members(parameters, "AlarmTypes");
        for (String type : types) {
            if (!type.equals("MetricAlarm") && !type.equals("CompositeAlarm")) {
                throw new AwsError("ValidationError", "1 validation error detected: Value '" + type
                        + "' at 'alarmTypes' failed to satisfy constraint");
            }
        }
        int maxRecords = parameters.path("MaxRecords").asInt(50);
        if (maxRecords < 1 || maxRecords > 100) {
            throw new AwsError("ValidationError", "1 validation error detected: Value '" + maxRecords
                    + "' at 'maxRecords' failed to satisfy constraint: Member must be between 1 and 100");
        }
        String stateValue = parameters.path("StateValue").asText(null);
        if (stateValue != null && !STATES.contains(stateValue)) {
            throw new AwsError("ValidationError", "1 validation error detected: Value '" + stateValue
                    + "' at 'stateValue' failed to satisfy constraint");
        }
        String prefix = parameters.path("AlarmNamePrefix").asText(null);
        if (prefix != null && !names.isEmpty()) {
            throw new AwsError("InvalidParameterCombination", "AlarmNamePrefix and AlarmNames cannot both be specified");
        }
        int start = 0;
        if (parameters.has("NextToken")) {
            try {
                start = Integer.parseInt(parameters.get("NextToken").asText());
            } catch (NumberFormatException e) {
                throw new AwsError("InvalidNextToken", "The service couldn't process your request because the next token is invalid.");
            }
        }
        boolean metric = types.isEmpty() || types.contains("MetricAlarm");
        boolean composite = types.contains("CompositeAlarm");
        List<Alarm> matching = new ArrayList<>();
        for (Alarm alarm : alarms.values()) {
            if ((alarm.composite() ? composite : metric)
                    && (names.isEmpty() || names.contains(alarm.name()))
                    && (prefix == null || alarm.name().startsWith(prefix))
                    && (stateValue == null || stateValue.equals(alarm.state()))) {
                matching.add(alarm);
            }
        }
        if (start < 0 || start > matching.size()) {
            throw new AwsError("InvalidNextToken", "The service couldn't process your request because the next token is invalid.");
        }
        List<Alarm> page = matching.subList(start, Math.min(matching.size(), start + maxRecords));
        StringBuilder xml = new StringBuilder("<DescribeAlarmsResponse xmlns=\"").append(NAMESPACE).append("\">\n")
                .append("  <DescribeAlarmsResult>\n");
        appendAlarms(xml, "MetricAlarms", page.stream().filter(a -> !a.composite()).toList());
        appendAlarms(xml, "CompositeAlarms", page.stream().filter(Alarm::composite).toList());
        if (start + maxRecords < matching.size()) {
            xml.append("    <NextToken>").append(start + maxRecords).append("</NextToken>\n");
        }
        xml.append("  </DescribeAlarmsResult>\n")
                .append("  <ResponseMetadata>\n    <RequestId>").append(java.util.UUID.randomUUID())
                .append("</RequestId>\n  </ResponseMetadata>\n")
                .append("</DescribeAlarmsResponse>\n");
        return xml.toString();
    }

    private static void appendAlarms(StringBuilder xml, String element, List<Alarm> alarms) {
        if (alarms.isEmpty()) {
            xml.append("    <").append(element).append("/>\n");
            return;
        }
        xml.append("    <").append(element).append(">\n");
        for (Alarm alarm : alarms) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("AlarmName", alarm.name());
            fields.put("AlarmArn", alarm.arn());
            fields.put("StateValue", alarm.state());
            fields.put("StateReason", alarm.reason());
            fields.put("StateUpdatedTimestamp", ISO.format(alarm.updatedAt()));
            fields.put("ActionsEnabled", "true");
            if (!alarm.composite()) {
                fields.put("Namespace", "AWS/ApplicationELB");
                fields.put("MetricName", "HTTPCode_Target_5XX_Count");
                fields.put("Statistic", "Sum");
                fields.put("Period", "60");
                fields.put("EvaluationPeriods", "1");
                fields.put("Threshold", "10.0");
                fields.put("ComparisonOperator", "GreaterThanThreshold");
            }
            xml.append("      <member>\n");
            fields.forEach((name, value) -> xml.append("        <").append(name).append('>').append(escape(value))
                    .append("</").append(name).append(">\n"));
            xml.append("      </member>\n");
        }
        xml.append("    </").append(element).append(">\n");
    }

    /** The query protocol's error document; {@code Type} is Sender for 4xx, Receiver for 5xx. */
    static String errorXml(AwsError error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n  <Error>\n    <Type>"
                + (error.httpStatus() >= 500 ? "Receiver" : "Sender") + "</Type>\n    <Code>" + escape(error.type())
                + "</Code>\n    <Message>" + escape(error.getMessage()) + "</Message>\n  </Error>\n  <RequestId>"
                + requestId + "</RequestId>\n</ErrorResponse>\n";
    }

    /** A flattened query list {@code Name.member.1}, {@code Name.member.2}, …, in order. */
    private static List<String> members(ObjectNode parameters, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; parameters.has(name + ".member." + i); i++) {
            values.add(parameters.get(name + ".member." + i).asText());
        }
        return values;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
