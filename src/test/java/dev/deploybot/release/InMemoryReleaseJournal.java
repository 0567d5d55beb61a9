package dev.deploybot.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The release journal in memory, for unit tests of the use cases; it passes the same contract as the JDBC one. */
public final class InMemoryReleaseJournal implements ReleaseJournal {
    private final Map<String, ReleaseRequest> requests = new HashMap<>();
    private final Map<String, List<PlanStep>> plans = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private int finds;

    private record Lease(String owner, Instant until) {
    }

    /** How often a request was read by id: the reads a use case costs. */
    public synchronized int finds() {
        return finds;
    }

    @Override
    public synchronized boolean open(ReleaseRequest request) {
        if (pendingFor(request.environment()).isPresent() || requests.containsKey(request.id())) {
            return false;
        }
        requests.put(request.id(), request);
        return true;
    }

    @Override
    public synchronized Save save(ReleaseRequest changed) {
        ReleaseRequest stored = requests.get(changed.id());
        if (stored == null || stored.version() != changed.version()) {
            return new Stale();
        }
        if (changed.state().running() && requests.values().stream()
                .anyMatch(other -> !other.id().equals(changed.id()) && other.environment().equals(changed.environment())
                        && other.state().running())) {
            return new EnvironmentBusy();
        }
        ReleaseRequest saved = new ReleaseRequest(changed.id(), changed.ask(), changed.decision(), changed.deployment(), changed.version() + 1);
        requests.put(saved.id(), saved);
        return new Saved(saved);
    }

    @Override
    public synchronized Save handOver(ReleaseRequest changed, ReleaseRequest successor, List<PlanStep> successorPlan) {
        if (requests.containsKey(successor.id())) {
            return new Stale();
        }
        Save save = save(changed);
        if (save instanceof Saved) {
            requests.put(successor.id(), new ReleaseRequest(successor.id(), successor.ask(), successor.decision(), successor.deployment(),
                    successor.version() + 1));
            plans.put(successor.id() + "/" + PlanStep.Plan.PROMOTE, new ArrayList<>(successorPlan));
        }
        return save;
    }

    @Override
    public synchronized Optional<ReleaseRequest> find(String id) {
        finds++;
        return Optional.ofNullable(requests.get(id));
    }

    @Override
    public synchronized Optional<ReleaseRequest> pendingFor(String environment) {
        return requests.values().stream().filter(r -> r.environment().equals(environment) && r.state() == ReleaseState.PENDING).findFirst();
    }

    @Override
    public synchronized Optional<ReleaseRequest> runningFor(String environment) {
        return requests.values().stream().filter(r -> r.environment().equals(environment) && r.state().running()).findFirst();
    }

    @Override
    public synchronized List<ReleaseRequest> running() {
        return requests.values().stream().filter(r -> r.state().running())
                .sorted(Comparator.comparing(r -> r.ask().requestedAt())).toList();
    }

    @Override
    public synchronized List<ReleaseRequest> pendingExpiredAt(Instant now) {
        return requests.values().stream().filter(r -> r.state() == ReleaseState.PENDING && !r.ask().expiresAt().isAfter(now))
                .sorted(Comparator.comparing(r -> r.ask().requestedAt())).toList();
    }

    @Override
    public synchronized Optional<ReleaseRequest> lastSucceeded(String environment, String digest) {
        return requests.values().stream()
                .filter(r -> r.environment().equals(environment) && r.candidate().digest().equals(digest) && r.state() == ReleaseState.SUCCEEDED)
                .max(Comparator.comparing(r -> r.deployment().finishedAt()));
    }

    @Override
    public synchronized List<PlanStep> recordPlan(String id, PlanStep.Plan kind, List<PlanStep> plan) {
        plans.putIfAbsent(id + "/" + kind, new ArrayList<>(plan));
        return plan(id, kind);
    }

    @Override
    public synchronized List<PlanStep> plan(String id, PlanStep.Plan kind) {
        return List.copyOf(plans.getOrDefault(id + "/" + kind, List.of()));
    }

    @Override
    public synchronized void stepDone(String id, PlanStep.Plan kind, int seq, Instant at) {
        List<PlanStep> plan = plans.get(id + "/" + kind);
        PlanStep step = plan.get(seq);
        plan.set(seq, step.completed());
    }

    @Override
    public synchronized boolean lease(String id, String owner, Instant now, Instant until) {
        ReleaseRequest request = requests.get(id);
        Lease held = leases.get(id);
        if (request == null || !request.state().running()
                || held != null && !held.owner().equals(owner) && !held.until().isBefore(now)) {
            return false;
        }
        leases.put(id, new Lease(owner, until));
        return true;
    }

    @Override
    public synchronized void release(String id, String owner) {
        leases.computeIfPresent(id, (key, held) -> held.owner().equals(owner) ? null : held);
    }
}
