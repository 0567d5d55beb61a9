package dev.deploybot.store;

import dev.deploybot.core.ImageRef;
import dev.deploybot.release.Manifest;
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
            sql.update("""
                    INSERT INTO release_requests (id, kind, generations, environment, requester, note, repository,
                        candidate_digest, candidate_tags, pushed_at, previous_digest, compare_url, state, pending_for,
                        requested_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    request.id(), request.kind().name(), request.generations(), request.environment(), request.requester(), request.note(),
                    request.candidate().repository(), request.candidate().digest(),
                    String.join(",", request.candidateTags()), request.pushedAt(), request.previousDigest(), request.compareUrl(),
                    ReleaseState.PENDING.name(), request.environment(), request.requestedAt(), request.expiresAt());
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
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
    public void attachMessage(String id, String channel, String messageTs) {
        sql.update("UPDATE release_requests SET channel = ?, message_ts = ? WHERE id = ?", channel, messageTs, id);
    }

    @Override
    public Approval approve(String id, String approver, Instant at, int required) {
        try {
            return sql.inTransaction(transaction -> {
                List<String> state = transaction.query("SELECT state FROM release_requests WHERE id = ? FOR UPDATE",
                        row -> row.getString(1), id);
                if (state.isEmpty() || !ReleaseState.PENDING.name().equals(state.get(0))) {
                    return new Approval(Approval.Result.NOT_PENDING, 0);
                }
                transaction.update("""
                        INSERT INTO release_approvals (request_id, approver, approved_at)
                        SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM release_approvals WHERE request_id = ? AND approver = ?)""",
                        id, approver, at, id, approver);
                int approvals = transaction.query("SELECT COUNT(*) FROM release_approvals WHERE request_id = ?",
                        row -> row.getInt(1), id).get(0);
                if (approvals < required) {
                    return new Approval(Approval.Result.COUNTED, approvals);
                }
                transaction.update("""
                        UPDATE release_requests SET state = ?, pending_for = NULL, running_for = environment,
                            decided_by = ?, decided_at = ? WHERE id = ?""",
                        ReleaseState.APPROVED.name(), approver, at, id);
                return new Approval(Approval.Result.DECIDED, approvals);
            });
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return new Approval(Approval.Result.ANOTHER_RUNNING, 0);
            }
            throw failure;
        }
    }

    @Override
    public boolean transition(String id, ReleaseState from, ReleaseState to, String actor, Instant at, String failure) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a release cannot go from " + from + " to " + to);
        }
        boolean decision = from == ReleaseState.PENDING;
        String sets = "state = ?, pending_for = NULL"
                + (to.running() ? ", running_for = environment" : ", running_for = NULL")
                + (decision ? ", decided_by = ?, decided_at = ?" : "")
                + (to.finished() ? ", finished_at = ?, failure = ?" : "");
        List<Object> parameters = new java.util.ArrayList<>(List.of(to.name()));
        if (decision) {
            parameters.add(actor);
            parameters.add(at);
        }
        if (to.finished()) {
            parameters.add(at);
            parameters.add(failure);
        }
        parameters.add(id);
        parameters.add(from.name());
        try {
            return sql.update("UPDATE release_requests SET " + sets + " WHERE id = ? AND state = ?", parameters.toArray()) == 1;
        } catch (StoreFailure conflict) {
            if (to.running() && Sql.isUniqueViolation(conflict)) {
                return false;
            }
            throw conflict;
        }
    }

    @Override
    public List<PlanStep> recordPlan(String id, PlanStep.Plan kind, List<PlanStep> plan) {
        try {
            sql.<Void>inTransaction(transaction -> {
                for (PlanStep step : plan) {
                    Manifest previous = step.previous();
                    transaction.update("""
                            INSERT INTO promotion_steps (request_id, plan, seq, tag, target_digest, media_type, manifest,
                                previous_digest, previous_media_type, previous_manifest)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                            id, kind.name(), step.seq(), step.tag(), step.manifest().digest(), step.manifest().mediaType(),
                            step.manifest().body(), previous == null ? null : previous.digest(),
                            previous == null ? null : previous.mediaType(), previous == null ? null : previous.body());
                }
                return null;
            });
        } catch (StoreFailure failure) {
            if (!Sql.isUniqueViolation(failure)) {
                throw failure;
            }
        }
        return plan(id, kind);
    }

    @Override
    public List<PlanStep> plan(String id, PlanStep.Plan kind) {
        return sql.query("SELECT * FROM promotion_steps WHERE request_id = ? AND plan = ? ORDER BY seq", row -> {
            String previousDigest = row.getString("previous_digest");
            return new PlanStep(row.getInt("seq"), row.getString("tag"),
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
    public void interrupted(String rollbackId, String releaseId) {
        sql.update("UPDATE release_requests SET interrupted = ? WHERE id = ?", releaseId, rollbackId);
    }

    @Override
    public Optional<ReleaseRequest> lastSucceeded(String environment, String digest) {
        return one("""
                SELECT * FROM release_requests WHERE environment = ? AND candidate_digest = ? AND state = 'SUCCEEDED'
                ORDER BY finished_at DESC LIMIT 1""", environment, digest);
    }

    @Override
    public void deploymentStarted(String id, String deploymentId, String revision) {
        sql.update("UPDATE release_requests SET deployment_id = ?, deployed_revision = ? WHERE id = ?", deploymentId, revision, id);
    }

    @Override
    public boolean lease(String id, String owner, Instant now, Instant until) {
        return sql.update("""
                UPDATE release_requests SET lease_owner = ?, lease_until = ?
                WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)""",
                owner, until, id, owner, now) == 1;
    }

    @Override
    public void release(String id, String owner) {
        sql.update("UPDATE release_requests SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", id, owner);
    }

    @Override
    public List<ReleaseRequest> running() {
        return many("SELECT * FROM release_requests WHERE state IN ('APPROVED', 'DEPLOYING') ORDER BY requested_at");
    }

    @Override
    public List<ReleaseRequest> pendingExpiredAt(Instant now) {
        return many("SELECT * FROM release_requests WHERE state = 'PENDING' AND expires_at <= ? ORDER BY requested_at", now);
    }

    private Optional<ReleaseRequest> one(String query, Object... parameters) {
        return many(query, parameters).stream().findFirst();
    }

    // Approvals are read after the requests, not inside the row mapper: a nested query would hold a
    // second pooled connection per request and starve the pool under a burst of clicks.
    private List<ReleaseRequest> many(String query, Object... parameters) {
        return sql.query(query, JdbcReleaseJournal::request, parameters).stream()
                .map(this::withApprovals)
                .toList();
    }

    private ReleaseRequest withApprovals(ReleaseRequest r) {
        List<ReleaseRequest.Approval> approvals = sql.query(
                "SELECT approver, approved_at FROM release_approvals WHERE request_id = ? ORDER BY approved_at, approver",
                row -> new ReleaseRequest.Approval(row.getString("approver"), Sql.instant(row, "approved_at")), r.id());
        return new ReleaseRequest(r.id(), r.kind(), r.generations(), r.interrupted(), r.environment(), r.requester(), r.note(), r.candidate(), r.candidateTags(),
                r.pushedAt(), r.previousDigest(), r.compareUrl(), r.state(), r.channel(), r.messageTs(), r.requestedAt(), r.expiresAt(),
                approvals, r.decidedBy(), r.decidedAt(), r.deploymentId(), r.deployedRevision(), r.finishedAt(), r.failure());
    }

    private static ReleaseRequest request(ResultSet row) throws SQLException {
        String id = row.getString("id");
        String tags = row.getString("candidate_tags");
        List<ReleaseRequest.Approval> approvals = List.of();
        return new ReleaseRequest(id, ReleaseRequest.Kind.valueOf(row.getString("kind")), row.getInt("generations"),
                row.getString("interrupted"), row.getString("environment"), row.getString("requester"), row.getString("note"),
                new ImageRef(row.getString("repository"), row.getString("candidate_digest")),
                tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                Sql.instant(row, "pushed_at"), row.getString("previous_digest"), row.getString("compare_url"),
                ReleaseState.valueOf(row.getString("state")), row.getString("channel"), row.getString("message_ts"),
                Sql.instant(row, "requested_at"), Sql.instant(row, "expires_at"), approvals,
                row.getString("decided_by"), Sql.instant(row, "decided_at"), row.getString("deployment_id"),
                row.getString("deployed_revision"), Sql.instant(row, "finished_at"), row.getString("failure"));
    }
}
