package dev.deploybot.release;

import java.time.Instant;
import java.util.List;

/**
 * Why the bot did not do what someone asked. Values only: the chat edge puts them into words, so every
 * reason is decided here once and worded there once.
 */
public sealed interface Refusal {
    /** The button names a request that does not exist (any more). */
    record NoSuchRequest() implements Refusal {
    }

    /** The request was decided already (or is past deciding); {@code decidedBy} may be null. */
    record NotOpen(ReleaseState state, String decidedBy) implements Refusal {
    }

    record Expired(String environment) implements Refusal {
    }

    /** The requester clicked Approve on their own request. */
    record SelfApproval(ReleaseRequest.Kind kind) implements Refusal {
    }

    record NotAnApprover(String environment, ReleaseRequest.Verdict verdict) implements Refusal {
    }

    record AlreadyApproved(ReleaseRequest.Kind kind, int required) implements Refusal {
    }

    /** Only the requester may cancel. */
    record NotTheRequester() implements Refusal {
    }

    /** @param holder who locked it; null when unknown */
    record Locked(String environment, String holder, String reason, Instant since) implements Refusal {
    }

    /** Another release or rollback of the environment holds its single running slot. */
    record AnotherRunning(String environment) implements Refusal {
    }

    /** A release or rollback is moving tags or running and cannot be stopped right now. */
    record Busy(ReleaseRequest.Kind kind, String environment, boolean movingTags) implements Refusal {
    }

    /** @param existing the request waiting for approval, when it is known */
    record AlreadyPending(String environment, String existing) implements Refusal {
    }

    record TagsImmutable(String repository, String releaseTag) implements Refusal {
    }

    record NoSourceImage(String repository, String sourceTag) implements Refusal {
    }

    record NothingToRelease(String sourceTag, String releaseTag, String digest) implements Refusal {
    }

    /** Several images are released together, and in none of the repositories does the source tag name something new. */
    record NoImageChanged(String sourceTag, String releaseTag, List<String> repositories) implements Refusal {
    }

    record NoOlderGeneration(String environment, List<String> generationTags) implements Refusal {
    }

    record GenerationsOutOfRange(String environment, int most) implements Refusal {
    }

    /** The tag to roll back to (or the release tag itself) does not exist. */
    record NoImageToRollBackTo(String tag, String repository) implements Refusal {
    }

    record SameImage(String tag, String releaseTag, String digest) implements Refusal {
    }

    /** Another request for the environment was opened at the same moment. */
    record SimultaneousRequest(String environment) implements Refusal {
    }

    /** Only approvers may unlock. */
    record NotAnApproverToUnlock(String environment) implements Refusal {
    }

    record NoReasonGiven(String environment) implements Refusal {
    }

    /** {@code release.bake.alarms} names alarms CloudWatch does not know: a configuration error. */
    record MissingAlarms(String environment, List<String> alarms) implements Refusal {
    }

    /** The environment that must run the candidate first does not run it healthily, or not for long enough. */
    record Unproven(String candidateDigest, ProvenInStaging.Verdict verdict) implements Refusal {
    }
}
