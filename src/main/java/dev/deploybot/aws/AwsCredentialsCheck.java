package dev.deploybot.aws;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Says at start-up, once and loudly, when the SDK's default chain finds no credentials: otherwise the
 * first sign is a failed release. Not fatal: a role may arrive later (an instance profile being attached).
 * Asked once the server is up: the chain loads some 150 SDK classes, which the start does not need.
 */
@Singleton
public class AwsCredentialsCheck implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCredentialsCheck.class);
    /** What the check found, for the operators' health details: checking, resolved, or unresolved. */
    private volatile String found = "checking";

    @Override
    public void onApplicationEvent(ServerStartupEvent started) {
        // Asking the instance metadata service can take seconds where there is none; nothing waits for it.
        Thread check = new Thread(this::check, "aws-credentials-check");
        check.setDaemon(true);
        check.start();
    }

    String found() {
        return found;
    }

    private void check() {
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
            found = "resolved";
        } catch (SdkClientException e) {
            found = "unresolved (see the start-up log for the chain tried)";
            LOG.warn("AWS credentials could not be resolved; the default chain tried: system properties aws.accessKeyId/"
                    + "aws.secretAccessKey, environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity "
                    + "(AWS_WEB_IDENTITY_TOKEN_FILE), the profile {} in ~/.aws, the container role "
                    + "(AWS_CONTAINER_CREDENTIALS_*), the EC2 instance role. Every AWS call will fail until one answers.",
                    System.getenv().getOrDefault("AWS_PROFILE", "default"));
        }
    }
}
