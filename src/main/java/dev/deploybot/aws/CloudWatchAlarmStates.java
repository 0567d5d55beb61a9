package dev.deploybot.aws;

import dev.deploybot.release.AlarmState;
import dev.deploybot.release.AlarmStates;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DescribeAlarms} by name. CloudWatch leaves unknown names out of its answer rather than failing, so a
 * missing alarm is told apart here; composite alarms are only listed when {@code AlarmTypes} asks for them.
 */
@Singleton
public class CloudWatchAlarmStates implements AlarmStates {
    static final String SERVICE = "CloudWatch";
    private static final int NAMES_PER_CALL = 100;

    private final Provider<CloudWatchClient> cloudWatch;

    public CloudWatchAlarmStates(Provider<CloudWatchClient> cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public List<AlarmState> read(List<String> names) {
        Map<String, AlarmState> found = new HashMap<>();
        for (int from = 0; from < names.size(); from += NAMES_PER_CALL) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + NAMES_PER_CALL));
            String token = null;
            do {
                String next = token;
                DescribeAlarmsResponse response;
                try {
                    response = cloudWatch.get().describeAlarms(r -> r.alarmNames(batch)
                            .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).nextToken(next));
                } catch (SdkException e) {
                    throw AwsFailures.translate(SERVICE, e);
                }
                response.metricAlarms().forEach(a -> found.put(a.alarmName(),
                        state(a.alarmName(), a.stateValue(), a.stateUpdatedTimestamp(), a.stateReason())));
                response.compositeAlarms().forEach(a -> found.put(a.alarmName(),
                        state(a.alarmName(), a.stateValue(), a.stateUpdatedTimestamp(), a.stateReason())));
                token = response.nextToken();
            } while (token != null);
        }
        List<AlarmState> states = new ArrayList<>();
        names.forEach(name -> states.add(found.getOrDefault(name, AlarmState.missing(name))));
        return states;
    }

    private static AlarmState state(String name, StateValue value, Instant since, String reason) {
        AlarmState.Condition condition = switch (value) {
            case OK -> AlarmState.Condition.OK;
            case ALARM -> AlarmState.Condition.ALARM;
            // A state this SDK does not know is not evidence that all is well.
            default -> AlarmState.Condition.INSUFFICIENT_DATA;
        };
        return new AlarmState(name, condition, since, reason);
    }
}
