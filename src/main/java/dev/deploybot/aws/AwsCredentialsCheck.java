package dev.deploybot.aws;

import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Says at start-up, once and loudly, when the SDK's default chain finds no credentials: otherwise the
 * first sign is a failed release. Not fatal: a role may arrive later (an instance profile being attached).
 */
@Context
public class AwsCredentialsCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCredentialsCheck.class);

    public AwsCredentialsCheck() {
        // Asking the instance metadata service can take seconds where there is none; start-up does not wait.
        Thread check = new Thread(AwsCredentialsCheck::check, "aws-credentials-check");
        check.setDaemon(true);
        check.start();
    }

    private static void check() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
        } catch (SdkClientException e) {
            LOG.warn("AWS credentials could not be resolved; the default chain tried: system properties aws.accessKeyId/"
                    + "aws.secretAccessKey, environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity "
                    + "(AWS_WEB_IDENTITY_TOKEN_FILE), the profile {} in ~/.aws, the container role "
                    + "(AWS_CONTAINER_CREDENTIALS_*), the EC2 instance role. Every AWS call will fail until one answers.",
                    System.getenv().getOrDefault("AWS_PROFILE", "default"));
        }
    }
}
