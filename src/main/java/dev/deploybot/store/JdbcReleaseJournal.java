package dev.deploybot.store;

import dev.deploybot.core.ImageRef;
import dev.deploybot.release.Manifest;
import dev.deploybot.release.PinnedImage;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@Singleton
public class JdbcReleaseJournal implements ReleaseJournal {
    private final Sql sql;

    public JdbcReleaseJournal(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public boolean open(ReleaseRequest request) {
        try {
            sql.<Void>inTransaction(transaction -> {
                insert(transaction, request);
                return null;
            });
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
    }

    /** Inserts the request as pending; a successor handed over to is then updated to its own state. */
    private static void insert(Sql.Transaction transaction, ReleaseRequest request) throws SQLException {
        ReleaseRequest.Ask ask = request.ask();
        transaction.update("""
                INSERT INTO release_requests (id, kind, generations, environment, requester, note, repository,
                    candidate_digest, candidate_tags, pushed_at, previous_digest, compare_url, state, pending_for,
                    requested_at, expires_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""",
                request.id(), ask.kind().name(), ask.generations(), ask.environment(), ask.requester(), ask.note(),
                ask.candidate().repository(), ask.candidate().digest(),
                String.join(",", ask.candidateTags()), ask.pushedAt(), ask.previousDigest(), ask.compareUrl(),
                ReleaseState.PENDING.name(), request.state() == ReleaseState.PENDING ? ask.environment() : null,
                ask.requestedAt(), ask.expiresAt());
        for (int seq = 0; seq < ask.images().size(); seq++) {
            PinnedImage image = ask.images().get(seq);
            transaction.update("""
                    INSERT INTO release_images (request_id, seq, repository, container, digest, commit_tag, previous_digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    request.id(), seq, image.repository(), image.container().orElse(null), image.digest(),
                    image.commitTag(), image.previousDigest());
        }
    }

    @Override
    public Save save(ReleaseRequest changed) {
        try {
            return sql.inTransaction(transaction -> update(transaction, changed));
        } catch (StoreFailure conflict) {
            if (changed.state().running() && Sql.isUniqueViolation(conflict)) {
                return new EnvironmentBusy();
            }
            throw conflict;
        }
    }

    @Override
    public Save handOver(ReleaseRequest changed, ReleaseRequest successor, List<PlanStep> successorPlan) {
        try {
            return sql.inTransaction(transaction -> {
                Save save = update(transaction, changed);
                if (!(save instanceof Saved)) {
                    return save;
                }
                insert(transaction, successor);
                update(transaction, successor);
                insertPlan(transaction, successor.id(), PlanStep.Plan.PROMOTE, successorPlan);
                return save;
            });
        } catch (StoreFailure conflict) {
            if (Sql.isUniqueViolation(conflict)) {
                return new Stale(); // the successor exists already: whoever opened it took the environment over
            }
            throw conflict;
        }
    }

    private static Save update(Sql.Transaction transaction, ReleaseRequest changed) throws SQLException {
        ReleaseRequest.Decision decision = changed.decision();
        ReleaseRequest.Deployment deployment = changed.deployment();
        ReleaseRequest.Failure failure = deployment.failure();
        int updated = transaction.update("""
                UPDATE release_requests SET state = ?, pending_for = ?, running_for = ?, decided_by = ?, decided_at = ?,
                    interrupted = ?, deployment_id = ?, deployed_revision = ?, finished_at = ?, failure = ?,
                    failure_cause = ?, restored_digest = ?, failure_at = ?, bake_started_at = ?, version = version + 1
                WHERE id = ? AND version = ?""",
                decision.state().name(), decision.state() == ReleaseState.PENDING ? changed.environment() : null,
                decision.state().running() ? changed.environment() : null, decision.decidedBy(), decision.decidedAt(),
                deployment.interrupted(), deployment.deploymentId(), deployment.revision(), deployment.finishedAt(),
                failure == null ? null : failure.detail(), failure == null ? null : failure.cause().name(),
                failure == null ? null : failure.restored(), failure == null ? null : failure.at(), deployment.bakeStartedAt(),
                changed.id(), changed.version());
        if (updated != 1) {
            return new Stale();
        }
        for (ReleaseRequest.Approval approval : decision.approvals()) {
            transaction.update("""
                    INSERT INTO release_approvals (request_id, approver, approved_at)
                    SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM release_approvals WHERE request_id = ? AND approver = ?)""",
                    changed.id(), approval.approver(), approval.at(), changed.id(), approval.approver());
        }
        return new Saved(new ReleaseRequest(changed.id(), changed.ask(), decision, deployment, changed.version() + 1));
    }

    @Override
    public Optional<ReleaseRequest> find(String id) {
        return one("SELECT * FROM release_requests WHERE id = ?", id);
    }

    @Override
    public Optional<ReleaseRequest> pendingFor(String environment) {
        return one("SELECT * FROM release_requests WHERE pending_for = ?", environment);
    }

    @Override
    public Optional<ReleaseRequest> runningFor(String environment) {
        return one("SELECT * FROM release_requests WHERE running_for = ?", environment);
    }

    @Override
    public List<PlanStep> recordPlan(String id, PlanStep.Plan kind, List<PlanStep> plan) {
        try {
            sql.<Void>inTransaction(transaction -> {
                insertPlan(transaction, id, kind, plan);
                return null;
            });
        } catch (StoreFailure failure) {
            if (!Sql.isUniqueViolation(failure)) {
                throw failure;
            }
        }
        return plan(id, kind);
    }

    private static void insertPlan(Sql.Transaction transaction, String id, PlanStep.Plan kind, List<PlanStep> plan) throws SQLException {
        for (PlanStep step : plan) {
            Manifest previous = step.previous();
            transaction.update("""
                    INSERT INTO promotion_steps (request_id, plan, seq, repository, tag, target_digest, media_type, manifest,
                        previous_digest, previous_media_type, previous_manifest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id, kind.name(), step.seq(), step.repository(), step.tag(), step.manifest().digest(), step.manifest().mediaType(),
                    step.manifest().body(), previous == null ? null : previous.digest(),
                    previous == null ? null : previous.mediaType(), previous == null ? null : previous.body());
        }
    }

    @Override
    public List<PlanStep> plan(String id, PlanStep.Plan kind) {
        // Steps recorded before plans covered several repositories are of the request's own repository.
        return sql.query("""
                SELECT s.*, COALESCE(s.repository, r.repository) AS step_repository
                FROM promotion_steps s JOIN release_requests r ON r.id = s.request_id
                WHERE s.request_id = ? AND s.plan = ? ORDER BY s.seq""", row -> {
            String previousDigest = row.getString("previous_digest");
            return new PlanStep(row.getInt("seq"), row.getString("step_repository"), row.getString("tag"),
                    new Manifest(row.getString("target_digest"), row.getString("manifest"), row.getString("media_type")),
                    previousDigest == null ? null : new Manifest(previousDigest, row.getString("previous_manifest"),
                            row.getString("previous_media_type")),
                    row.getObject("done_at") != null);
        }, id, kind.name());
    }

    @Override
    public void stepDone(String id, PlanStep.Plan kind, int seq, Instant at) {
        sql.update("UPDATE promotion_steps SET done_at = ? WHERE request_id = ? AND plan = ? AND seq = ? AND done_at IS NULL",
                at, id, kind.name(), seq);
    }


    @Override
    public Optional<ReleaseRequest> lastSucceeded(String environment, String digest) {
        return one("""
                SELECT * FROM release_requests WHERE environment = ? AND candidate_digest = ? AND state = 'SUCCEEDED'
                ORDER BY finished_at DESC LIMIT 1""", environment, digest);
    }


    @Override
    public boolean lease(String id, String owner, Instant now, Instant until) {
        return sql.update("""
                UPDATE release_requests SET lease_owner = ?, lease_until = ?
                WHERE id = ? AND state IN ('APPROVED', 'MIGRATING', 'DEPLOYING', 'BAKING') AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)""",
                owner, until, id, owner, now) == 1;
    }

    @Override
    public void release(String id, String owner) {
        sql.update("UPDATE release_requests SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", id, owner);
    }

    @Override
    public List<ReleaseRequest> running() {
        return many("SELECT * FROM release_requests WHERE state IN ('APPROVED', 'MIGRATING', 'DEPLOYING', 'BAKING') ORDER BY requested_at");
    }

    @Override
    public List<ReleaseRequest> pendingExpiredAt(Instant now) {
        return many("SELECT * FROM release_requests WHERE state = 'PENDING' AND expires_at <= ? ORDER BY requested_at", now);
    }

    private Optional<ReleaseRequest> one(String query, Object... parameters) {
        return many(query, parameters).stream().findFirst();
    }

    // Approvals and images are read after the requests, not inside the row mapper: a nested query would hold a
    // second pooled connection per request and starve the pool under a burst of clicks.
    private List<ReleaseRequest> many(String query, Object... parameters) {
        return sql.query(query, JdbcReleaseJournal::request, parameters).stream()
                .map(this::withApprovalsAndImages)
                .toList();
    }

    private ReleaseRequest withApprovalsAndImages(ReleaseRequest r) {
        List<ReleaseRequest.Approval> approvals = sql.query(
                "SELECT approver, approved_at FROM release_approvals WHERE request_id = ? ORDER BY approved_at, approver",
                row -> new ReleaseRequest.Approval(row.getString("approver"), Sql.instant(row, "approved_at")), r.id());
        List<PinnedImage> images = sql.query("SELECT * FROM release_images WHERE request_id = ? ORDER BY seq",
                row -> new PinnedImage(row.getString("repository"), Optional.ofNullable(row.getString("container")),
                        row.getString("digest"), row.getString("commit_tag"), row.getString("previous_digest")), r.id());
        ReleaseRequest.Ask ask = r.ask();
        ReleaseRequest.Decision decision = r.decision();
        return new ReleaseRequest(r.id(), images.isEmpty() ? ask : new ReleaseRequest.Ask(ask.kind(), ask.generations(),
                ask.environment(), ask.requester(), ask.note(), ask.candidate(), ask.candidateTags(), ask.pushedAt(),
                ask.previousDigest(), ask.compareUrl(), ask.requestedAt(), ask.expiresAt(), images),
                new ReleaseRequest.Decision(decision.state(), approvals, decision.decidedBy(), decision.decidedAt()),
                r.deployment(), r.version());
    }

    private static ReleaseRequest request(ResultSet row) throws SQLException {
        String tags = row.getString("candidate_tags");
        String cause = row.getString("failure_cause");
        ReleaseRequest.Ask ask = new ReleaseRequest.Ask(ReleaseRequest.Kind.valueOf(row.getString("kind")), row.getInt("generations"),
                row.getString("environment"), row.getString("requester"), row.getString("note"),
                new ImageRef(row.getString("repository"), row.getString("candidate_digest")),
                tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                Sql.instant(row, "pushed_at"), row.getString("previous_digest"), row.getString("compare_url"),
                Sql.instant(row, "requested_at"), Sql.instant(row, "expires_at"));
        ReleaseRequest.Decision decision = new ReleaseRequest.Decision(ReleaseState.valueOf(row.getString("state")), List.of(),
                row.getString("decided_by"), Sql.instant(row, "decided_at"));
        String failure = row.getString("failure");
        ReleaseRequest.Deployment deployment = new ReleaseRequest.Deployment(row.getString("interrupted"), row.getString("deployment_id"),
                row.getString("deployed_revision"), Sql.instant(row, "finished_at"),
                cause == null && failure == null ? null : new ReleaseRequest.Failure(
                        cause == null ? ReleaseRequest.Failure.Cause.DEPLOYMENT : ReleaseRequest.Failure.Cause.valueOf(cause),
                        failure, row.getString("restored_digest"), Sql.instant(row, "failure_at")), Sql.instant(row, "bake_started_at"));
        return new ReleaseRequest(row.getString("id"), ask, decision, deployment, row.getLong("version"));
    }
}
