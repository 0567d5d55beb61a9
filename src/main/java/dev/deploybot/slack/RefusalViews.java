package dev.deploybot.slack;

import dev.deploybot.core.ImageRef;
import dev.deploybot.release.Refusal;

/** The words for each reason the bot did not do what someone asked; the features only name the reason. */
final class RefusalViews {
    private RefusalViews() {
    }

    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("sha256:([0-9a-f]{12})[0-9a-f]{52}");

    /** Digests in free text (a lock's reason) are shown as people know them: short, as code. */
    private static String digestsAsCode(String text) {
        return DIGEST.matcher(text).replaceAll("`$1`");
    }

    static String text(Refusal refusal) {
        if (refusal instanceof Refusal.Unproven unproven) {
            return ProofViews.text(unproven);
        }
        if (refusal instanceof Refusal.MissingAlarms missing) {
            return "CloudWatch has no alarm named " + String.join(", ", missing.alarms().stream()
                    .map(name -> "`" + MessageViews.escape(name) + "`").toList()) + " (in `release.bake.alarms` of "
                    + missing.environment() + "), so the release could not be baked. Fix the alarm names in the configuration.";
        }
        if (refusal instanceof Refusal.NoSuchRequest) {
            return "That release request does not exist (any more).";
        }
        if (refusal instanceof Refusal.NotOpen notOpen) {
            return "This request is no longer open: it is " + notOpen.state().name().toLowerCase()
                    + (notOpen.decidedBy() == null ? "." : " (by <@" + notOpen.decidedBy() + ">).");
        }
        if (refusal instanceof Refusal.Expired expired) {
            return "This request has expired; ask for a new one with /deploy " + expired.environment() + ".";
        }
        if (refusal instanceof Refusal.SelfApproval self) {
            return "You asked for this " + self.kind().name().toLowerCase() + ", so someone else has to approve it.";
        }
        if (refusal instanceof Refusal.NotAnApprover notAnApprover) {
            return switch (notAnApprover.verdict()) {
                case APPROVE -> "You are not on the approver list for " + notAnApprover.environment() + ".";
                case REJECT, CANCEL -> "Only approvers of " + notAnApprover.environment() + " can reject; the requester can cancel.";
            };
        }
        if (refusal instanceof Refusal.AlreadyApproved already) {
            return "You already approved this " + already.kind().name().toLowerCase() + "; it needs " + already.required()
                    + " different approvers.";
        }
        if (refusal instanceof Refusal.NotTheRequester) {
            return "Only the requester can cancel this request.";
        }
        if (refusal instanceof Refusal.Locked locked) {
            return locked.environment() + " is locked" + (locked.holder() == null ? "" : " by <@" + locked.holder() + ">")
                    + " since " + ReleaseViews.date(locked.since()) + ": " + digestsAsCode(MessageViews.escape(locked.reason()))
                    + ". An approver can lift it with `/deploy unlock " + locked.environment() + "`.";
        }
        if (refusal instanceof Refusal.AnotherRunning running) {
            return "Another release or rollback of " + running.environment() + " is running; approve again when it has finished.";
        }
        if (refusal instanceof Refusal.Busy busy) {
            return "A " + busy.kind().name().toLowerCase() + " of " + busy.environment() + " is "
                    + (busy.movingTags() ? "moving tags" : "running") + " right now; try again in a moment.";
        }
        if (refusal instanceof Refusal.AlreadyPending pending) {
            return "A release request for " + pending.environment() + " is already waiting for approval.";
        }
        if (refusal instanceof Refusal.TagsImmutable immutable) {
            return "The repository `" + immutable.repository() + "` has immutable tags, so `" + immutable.releaseTag()
                    + "` cannot move. Set its tag mutability to MUTABLE (or exclude the release tags from immutability) and try again.";
        }
        if (refusal instanceof Refusal.NoSourceImage none) {
            return "There is no image tagged `" + none.sourceTag() + "` in `" + none.repository() + "`; build one first.";
        }
        if (refusal instanceof Refusal.NothingToRelease same) {
            return "Nothing to release: `" + same.sourceTag() + "` and `" + same.releaseTag() + "` are the same image ("
                    + ImageRef.shortDigest(same.digest()) + ").";
        }
        if (refusal instanceof Refusal.NoImageChanged none) {
            return "Nothing to release: in each of " + String.join(", ", none.repositories().stream().map(r -> "`" + r + "`").toList())
                    + ", `" + none.sourceTag() + "` and `" + none.releaseTag() + "` are the same image.";
        }
        if (refusal instanceof Refusal.NoOlderGeneration none) {
            return none.environment() + " keeps no older generation (tags: " + none.generationTags()
                    + "), so there is nothing to roll back to.";
        }
        if (refusal instanceof Refusal.GenerationsOutOfRange range) {
            return "You can roll back 1 to " + range.most() + " generation(s) in " + range.environment() + ".";
        }
        if (refusal instanceof Refusal.NoImageToRollBackTo none) {
            return "There is no `" + none.tag() + "` in `" + none.repository() + "`, so there is nothing to roll back to. Nothing was changed.";
        }
        if (refusal instanceof Refusal.SameImage same) {
            return "`" + same.tag() + "` is the same image as `" + same.releaseTag() + "` (" + ImageRef.shortDigest(same.digest())
                    + "); rolling back would change nothing.";
        }
        if (refusal instanceof Refusal.SimultaneousRequest simultaneous) {
            return "Another request for " + simultaneous.environment() + " was made at the same moment; look at the channel.";
        }
        if (refusal instanceof Refusal.NotAnApproverToUnlock unlock) {
            return "Only approvers of " + unlock.environment() + " can unlock it.";
        }
        Refusal.NoReasonGiven noReason = (Refusal.NoReasonGiven) refusal;
        return "Say why: `/deploy lock " + noReason.environment() + " <reason>`.";
    }
}
