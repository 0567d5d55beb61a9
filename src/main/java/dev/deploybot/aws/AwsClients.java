package dev.deploybot.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients, built with the default region and credential chains and no endpoint override:
 * that is what lets {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} (and their
 * {@code aws.endpointUrl*} system properties) point the bot at a proxy or a test double.
 */
@Factory
public class AwsClients {

    @Singleton
    @Bean(preDestroy = "close")
    CodeBuildClient codeBuild() {
        return CodeBuildClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcrClient ecr() {
        return EcrClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcsClient ecs() {
        return EcsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    CodeDeployClient codeDeploy() {
        return CodeDeployClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * Alarm reads sit on a bake's clock and in {@code /deploy status}: a stalled endpoint must not hold either,
     * so each attempt gets 5 s and the call, retries included, 12 s.
     */
    @Singleton
    @Bean(preDestroy = "close")
    CloudWatchClient cloudWatch() {
        return CloudWatchClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(Duration.ofSeconds(5)).apiCallTimeout(Duration.ofSeconds(12)))
                .build();
    }

    /** Only built when the events queue is configured (its poller is the one user). */
    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqs() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
