package dev.deploybot.activity;

import java.util.List;
import java.util.Optional;

/**
 * The operator's routes, plus whether pushes of an environment's release source tag are announced.
 * Validated when configuration is read: at most one route per project, application or service.
 */
public record Routing(List<Route> routes, boolean announceImages) {
    public Routing {
        routes = List.copyOf(routes);
    }

    public static Routing none() {
        return new Routing(List.of(), false);
    }

    public Optional<Route> forBuildProject(String project) {
        return routes.stream()
                .filter(route -> route.match() instanceof Route.CodeBuildProject match && match.project().equals(project))
                .findFirst();
    }

    public Optional<Route> forCodeDeploy(String application) {
        return routes.stream()
                .filter(route -> route.match() instanceof Route.CodeDeployApplication match
                        && match.application().equals(application))
                .findFirst();
    }

    /** @param cluster null when the event's service ARN is in the old format, without the cluster */
    public Optional<Route> forEcsService(String cluster, String service) {
        return routes.stream()
                .filter(route -> route.match() instanceof Route.EcsService match && match.service().equals(service)
                        && (cluster == null || match.cluster().equals(cluster)))
                .findFirst();
    }
}
