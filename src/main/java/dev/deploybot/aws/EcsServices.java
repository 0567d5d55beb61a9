package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.Optional;

/** Looks up one ECS service. DescribeServices answers a missing service with a "failure", not an error. */
final class EcsServices {
    static final String SERVICE = "ECS";

    private final Provider<EcsClient> ecs;

    EcsServices(Provider<EcsClient> ecs) {
        this.ecs = ecs;
    }

    Service describe(String cluster, String service) {
        DescribeServicesResponse response;
        try {
            response = ecs.get().describeServices(r -> r.cluster(cluster).services(service));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        if (response.services().isEmpty()) {
            String reason = response.failures().isEmpty() ? "MISSING" : response.failures().get(0).reason();
            throw new ExternalFailure(SERVICE, reason, "service " + service + " not found in cluster " + cluster, false, null);
        }
        Service found = response.services().get(0);
        // Deleted services stay describable for a while as INACTIVE or DRAINING.
        if (!"ACTIVE".equals(found.status())) {
            throw new ExternalFailure(SERVICE, found.status(), "service " + service + " in cluster " + cluster
                    + " is " + found.status(), false, null);
        }
        return found;
    }

    static Optional<Deployment> primary(Service service) {
        return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
    }

    static Deployment requirePrimary(Service service) {
        return primary(service).orElseThrow(() -> new ExternalFailure(SERVICE, "NoPrimaryDeployment",
                "service " + service.serviceName() + " has no PRIMARY deployment", false, null));
    }
}
