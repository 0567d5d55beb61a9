package dev.deploybot.release;

import dev.deploybot.core.ImageRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Release requests for tests, with sensible defaults: say only what the test is about. */
public final class ReleaseTestData {
    public static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    public static final String DIGEST_A = "sha256:" + "a".repeat(64);
    public static final String DIGEST_B = "sha256:" + "b".repeat(64);

    private ReleaseTestData() {
    }

    /** A pending release of {@link #DIGEST_A} to {@code prd}, asked by {@code U0DEV}, replacing {@link #DIGEST_B}. */
    public static Builder aRelease() {
        return new Builder();
    }

    public static final class Builder {
        private String id = "r1";
        private ReleaseRequest.Kind kind = ReleaseRequest.Kind.RELEASE;
        private int generations;
        private String environment = "prd";
        private String requester = "U0DEV";
        private String note = "note";
        private String candidate = DIGEST_A;
        private String previous = DIGEST_B;
        private Instant requestedAt = NOW;
        private Instant expiresAt = NOW.plusSeconds(1800);
        private ReleaseState state = ReleaseState.PENDING;
        private final List<ReleaseRequest.Approval> approvals = new ArrayList<>();
        private String decidedBy;
        private String deploymentId;
        private String revision;
        private Instant bakeStartedAt;
        private List<PinnedImage> images = List.of();

        public Builder withId(String id) {
            this.id = id;
            return this;
        }

        public Builder in(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder requestedBy(String requester) {
            this.requester = requester;
            return this;
        }

        public Builder ofImage(String digest) {
            this.candidate = digest;
            return this;
        }

        /** Several images released together, the default one first (it becomes the candidate). */
        public Builder ofImages(PinnedImage... images) {
            this.images = List.of(images);
            this.candidate = images[0].digest();
            this.previous = images[0].previousDigest();
            return this;
        }

        public Builder rollingBack(int generations) {
            this.kind = ReleaseRequest.Kind.ROLLBACK;
            this.generations = generations;
            return this;
        }

        public Builder expiringAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder approvedSoFarBy(String... approvers) {
            Arrays.stream(approvers).forEach(approver -> approvals.add(new ReleaseRequest.Approval(approver, NOW)));
            return this;
        }

        /** Decided by the last approver given (approved when the state says so). */
        public Builder inState(ReleaseState state, String decidedBy) {
            this.state = state;
            this.decidedBy = decidedBy;
            return this;
        }

        public Builder deploying(String deploymentId, String revision) {
            this.state = ReleaseState.DEPLOYING;
            this.deploymentId = deploymentId;
            this.revision = revision;
            return this;
        }

        /** Deployed, and baking since {@code since}. */
        public Builder baking(Instant since) {
            deploying("ecs-svc/1", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8");
            this.state = ReleaseState.BAKING;
            this.bakeStartedAt = since;
            return this;
        }

        public ReleaseRequest build() {
            ReleaseRequest.Ask single = new ReleaseRequest.Ask(kind, generations, environment, requester, note,
                    new ImageRef(images.isEmpty() ? "app" : images.get(0).repository(), candidate),
                    List.of("latest", "git-3f2a9c1"), NOW.minusSeconds(600), previous, null, requestedAt, expiresAt);
            ReleaseRequest.Ask ask = images.isEmpty() ? single : new ReleaseRequest.Ask(kind, generations, environment, requester, note,
                    single.candidate(), single.candidateTags(), single.pushedAt(), previous, null, requestedAt, expiresAt, images);
            return new ReleaseRequest(id, ask, new ReleaseRequest.Decision(state, approvals, decidedBy, decidedBy == null ? null : NOW),
                    new ReleaseRequest.Deployment(null, deploymentId, revision, null, null, bakeStartedAt), 0);
        }
    }
}
