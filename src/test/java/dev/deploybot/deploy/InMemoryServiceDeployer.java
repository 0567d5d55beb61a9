package dev.deploybot.deploy;

import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.Progress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deployer in memory for millisecond tests of the release pipeline: a deployment answers the looks a test
 * scripted for it, in order (the last one for ever after), and starting one again for the same release gives
 * the same deployment, as the real deployers' idempotency tokens do.
 */
public final class InMemoryServiceDeployer implements ServiceDeployer {
    private final Map<String, DeploymentHandle> started = new HashMap<>();
    private final List<ContainerImages> deployed = new ArrayList<>();
    private final List<DeploymentHandle> stopped = new ArrayList<>();
    private final Deque<DeploymentStatus> looks = new ArrayDeque<>();
    private Consumer<DeploymentHandle> onLook = handle -> {
    };
    private ExternalFailure refusal;

    /** What the next looks at any deployment answer; by default it succeeds at the first look. */
    public synchronized InMemoryServiceDeployer answering(DeploymentStatus... statuses) {
        looks.clear();
        looks.addAll(List.of(statuses));
        return this;
    }

    /** Runs before each look: a test's way to make something happen while a deployment is followed. */
    public synchronized InMemoryServiceDeployer whileLooking(Consumer<DeploymentHandle> action) {
        this.onLook = action;
        return this;
    }

    public synchronized InMemoryServiceDeployer refusingToStart(ExternalFailure failure) {
        this.refusal = failure;
        return this;
    }

    public synchronized List<ContainerImages> deployed() {
        return List.copyOf(deployed);
    }

    public synchronized List<DeploymentHandle> stopped() {
        return List.copyOf(stopped);
    }

    @Override
    public Environment.Strategy strategy() {
        return Environment.Strategy.ECS;
    }

    @Override
    public synchronized DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String requestId) {
        if (refusal != null) {
            throw refusal;
        }
        return started.computeIfAbsent(requestId, id -> {
            deployed.add(images);
            return new DeploymentHandle("ecs-svc/" + (started.size() + 1), "rev-" + (started.size() + 1));
        });
    }

    @Override
    public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
        Consumer<DeploymentHandle> action;
        synchronized (this) {
            action = onLook;
        }
        action.accept(handle);
        synchronized (this) {
            if (looks.isEmpty()) {
                return new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null);
            }
            return looks.size() == 1 ? looks.peek() : looks.poll();
        }
    }

    @Override
    public synchronized void stop(Environment.DeploySettings settings, DeploymentHandle handle) {
        stopped.add(handle);
    }
}
