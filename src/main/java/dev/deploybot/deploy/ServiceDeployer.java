package dev.deploybot.deploy;

import dev.deploybot.core.Environment;

import java.util.Optional;

/**
 * Puts a release's pinned images into service with one of the deploy strategies. Failures surface as
 * {@link dev.deploybot.core.ExternalFailure}.
 */
public interface ServiceDeployer {
    Environment.Strategy strategy();

    /**
     * Starts one deployment of every image, each into its container.
     *
     * @param requestId the release's id; used as an idempotency token where the service has one
     */
    DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String requestId);

    /** One look at how the deployment is going. */
    DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle);

    /**
     * Stops a deployment that is being replaced (a rollback while a release deploys), letting the
     * service go back to what it ran before. Idempotent; a finished deployment is left alone.
     */
    void stop(Environment.DeploySettings settings, DeploymentHandle handle);

    /**
     * The digest the service runs now, when the deployer can tell: only an image pinned by digest says
     * what runs (a tag may have moved since the tasks started). Empty otherwise.
     */
    default Optional<String> runningDigest(Environment.DeploySettings settings) {
        return Optional.empty();
    }
}
