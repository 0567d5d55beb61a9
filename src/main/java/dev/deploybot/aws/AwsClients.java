package dev.deploybot.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * The SDK clients, built with the default region and credential chains and no endpoint override:
 * that is what lets {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} (and their
 * {@code aws.endpointUrl*} system properties) point the bot at a proxy or a test double. Every client has
 * a call budget and is metered: build new ones with {@link #budgeted}.
 * <p>
 * Adapters take their client as a {@code Provider} and ask it on each call: a client is built on the first AWS
 * call that needs it, not with the adapter. Building the seven clients loads some 1,400 SDK classes, and the
 * adapters are created with the Slack controller, so eager clients delayed the first answered command after
 * every start.
 */
@Factory
public class AwsClients {
    /** Connecting is quick when the endpoint is there at all; a slow connect is not worth most of an attempt. */
    private static final Duration MAX_CONNECT = Duration.ofSeconds(2);
    private final AwsCallBudgets budgets;
    private final AwsCallMeter meter;

    AwsClients(AwsCallBudgets budgets, AwsCallMeter meter) {
        this.budgets = budgets;
        this.meter = meter;
    }

    /**
     * The one way to build an SDK client for any service, e.g. {@code budgeted(CloudWatchClient.builder(),
     * budgets.controlPlane())}: the JDK HTTP client, reads that time out with the attempt, and the SDK's attempt
     * and total timeouts (retries included), and the call meter.
     */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C budgeted(B builder, CallBudget budget) {
        Duration connect = budget.attempt().compareTo(MAX_CONNECT) < 0 ? budget.attempt() : MAX_CONNECT;
        return builder.httpClient(UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(budget.attempt()).build())
                .overrideConfiguration(configuration -> configuration
                        .apiCallAttemptTimeout(budget.attempt())
                        .apiCallTimeout(budget.total())
                        .addExecutionInterceptor(meter))
                .build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    CodeBuildClient codeBuild() {
        return budgeted(CodeBuildClient.builder(), budgets.controlPlane());
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcrClient ecr() {
        return budgeted(EcrClient.builder(), budgets.controlPlane());
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcsClient ecs() {
        return budgeted(EcsClient.builder(), budgets.controlPlane());
    }

    @Singleton
    @Bean(preDestroy = "close")
    CodeDeployClient codeDeploy() {
        return budgeted(CodeDeployClient.builder(), budgets.controlPlane());
    }

    /**
     * Alarm reads sit on a bake's clock and in {@code /deploy status}: a stalled endpoint must not hold either,
     * so each attempt gets 5 s and the call, retries included, 12 s.
     */
    @Singleton
    @Bean(preDestroy = "close")
    CloudWatchClient cloudWatch() {
        return budgeted(CloudWatchClient.builder(), new CallBudget(Duration.ofSeconds(5), Duration.ofSeconds(12)));
    }

    /** Reads a failed migration's last log lines: a courtesy, so it gets little time before the failure is told without them. */
    @Singleton
    @Bean(preDestroy = "close")
    CloudWatchLogsClient logs() {
        return budgeted(CloudWatchLogsClient.builder(), new CallBudget(Duration.ofSeconds(5), Duration.ofSeconds(15)));
    }

    /** Only built when the events queue is configured (its poller is the one user); its receive waits on purpose. */
    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqs() {
        return budgeted(SqsClient.builder(), budgets.longPoll());
    }
}
