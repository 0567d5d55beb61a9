package dev.deploybot.pipeline;

import dev.deploybot.release.PromoteImage;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the release pipeline did, as counts and durations: decisions on requests, tag promotions and deployments,
 * by kind (release or rollback) and outcome. Every series exists from start-up, at zero; the labels are enums.
 */
@Context
public class ReleaseMeters {
    static final String APPROVALS = "deploybot.approvals";
    static final String PROMOTIONS = "deploybot.promotions";
    static final String DEPLOYMENTS = "deploybot.deployments";
    static final String BAKES = "deploybot.bakes";

    /** What a click on Approve, Reject or Cancel did. */
    enum Decision {
        /** The approval that decided: the request ships. */
        APPROVED,
        /** An approval counted; more are needed. */
        COUNTED,
        REJECTED, CANCELLED,
        /** Not allowed, or no longer open. */
        REFUSED
    }

    enum Promotion {
        MOVED, NOT_MOVED,
        /** AWS failed or did not answer; the release pauses and resumes. */
        ERROR
    }

    /** How a bake under alarms ended. */
    enum Bake {
        BAKED,
        /** An alarm fired: the release failed and was rolled back by itself. */
        ROLLED_BACK
    }

    private final Map<Decision, Counter> approvals = new EnumMap<>(Decision.class);
    private final Map<ReleaseRequest.Kind, Map<Promotion, Timer>> promotions = new EnumMap<>(ReleaseRequest.Kind.class);
    private final Map<ReleaseRequest.Kind, Map<ReleaseState, Timer>> deployments = new EnumMap<>(ReleaseRequest.Kind.class);
    private final Map<Bake, Counter> bakes = new EnumMap<>(Bake.class);

    public ReleaseMeters(MeterRegistry meters) {
        for (Decision decision : Decision.values()) {
            approvals.put(decision, Counter.builder(APPROVALS).description("Decisions on release and rollback requests by outcome")
                    .tag("outcome", label(decision)).register(meters));
        }
        for (ReleaseRequest.Kind kind : ReleaseRequest.Kind.values()) {
            Map<Promotion, Timer> byPromotion = new EnumMap<>(Promotion.class);
            for (Promotion outcome : Promotion.values()) {
                byPromotion.put(outcome, Timer.builder(PROMOTIONS).description("Generation tag promotions (and rollbacks' shifts)")
                        .tags("kind", label(kind), "outcome", label(outcome)).register(meters));
            }
            promotions.put(kind, byPromotion);
            Map<ReleaseState, Timer> byEnd = new EnumMap<>(ReleaseState.class);
            for (ReleaseState end : new ReleaseState[] {ReleaseState.SUCCEEDED, ReleaseState.FAILED}) {
                byEnd.put(end, Timer.builder(DEPLOYMENTS).description("Approved releases and rollbacks from approval to their end")
                        .tags("kind", label(kind), "outcome", label(end)).register(meters));
            }
            deployments.put(kind, byEnd);
        }
        for (Bake outcome : Bake.values()) {
            bakes.put(outcome, Counter.builder(BAKES).description("Bakes under alarms by how they ended")
                    .tag("outcome", label(outcome)).register(meters));
        }
    }

    void baked(Bake outcome) {
        bakes.get(outcome).increment();
    }

    /** Counts a decision and answers it unchanged. */
    ReleasePipeline.Outcome decided(ReleasePipeline.Outcome outcome) {
        Decision decision;
        if (outcome instanceof ReleasePipeline.Shipped) {
            decision = Decision.APPROVED;
        } else if (outcome instanceof ReleasePipeline.Counted) {
            decision = Decision.COUNTED;
        } else if (outcome instanceof ReleasePipeline.Closed closed) {
            decision = closed.request().state() == ReleaseState.REJECTED ? Decision.REJECTED : Decision.CANCELLED;
        } else {
            decision = Decision.REFUSED;
        }
        approvals.get(decision).increment();
        return outcome;
    }

    /** Times the promotion of {@code request}'s tags and answers its outcome unchanged. */
    PromoteImage.Outcome promotion(ReleaseRequest request, Supplier<PromoteImage.Outcome> promote) {
        long started = System.nanoTime();
        Promotion outcome = Promotion.ERROR;
        try {
            PromoteImage.Outcome promoted = promote.get();
            outcome = promoted instanceof PromoteImage.Promoted ? Promotion.MOVED : Promotion.NOT_MOVED;
            return promoted;
        } finally {
            promotions.get(request.kind()).get(outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Times a finished release or rollback from its approval to its end. */
    void finished(ReleaseRequest request) {
        Timer timer = deployments.get(request.kind()).get(request.state());
        if (timer != null && request.decision().decidedAt() != null && request.deployment().finishedAt() != null) {
            timer.record(Duration.between(request.decision().decidedAt(), request.deployment().finishedAt()));
        }
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
