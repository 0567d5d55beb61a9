package dev.deploybot.aws;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The budgets of the kinds of AWS calls the bot makes, from configuration (see README, "AWS call budgets").
 *
 * <p>Control-plane reads and writes (CodeBuild, ECR, ECS, CodeDeploy, CloudWatch…) answer in well under a
 * second when AWS is well: seconds, not minutes. The SQS long poll waits up to its wait time by design, so it
 * has its own, longer budget.
 */
@Singleton
public class AwsCallBudgets {
    private final CallBudget controlPlane;
    private final CallBudget longPoll;

    AwsCallBudgets(@Value("${deploybot.aws.control-plane.attempt-timeout:5s}") Duration controlPlaneAttempt,
                   @Value("${deploybot.aws.control-plane.total-timeout:15s}") Duration controlPlaneTotal,
                   @Value("${deploybot.aws.long-poll.attempt-timeout:25s}") Duration longPollAttempt,
                   @Value("${deploybot.aws.long-poll.total-timeout:60s}") Duration longPollTotal) {
        this.controlPlane = new CallBudget(controlPlaneAttempt, controlPlaneTotal);
        this.longPoll = new CallBudget(longPollAttempt, longPollTotal);
    }

    public CallBudget controlPlane() {
        return controlPlane;
    }

    /** For clients whose calls wait on purpose (SQS ReceiveMessage with a wait time of up to 20 s). */
    public CallBudget longPoll() {
        return longPoll;
    }
}
