package dev.deploybot.slack;

import dev.deploybot.core.ImageRef;
import dev.deploybot.release.ProvenInStaging;
import dev.deploybot.release.Refusal;

import java.time.Duration;

/** How "proven in staging" reads to people: what the required environment runs instead, and since when. */
final class ProofViews {
    private ProofViews() {
    }

    /** Why {@code /deploy prd} was refused when the candidate is not proven. */
    static String text(Refusal.Unproven unproven) {
        return why("`" + ImageRef.shortDigest(unproven.candidateDigest()) + "`", unproven.verdict());
    }

    private static String why(String candidate, ProvenInStaging.Verdict verdict) {
        if (verdict instanceof ProvenInStaging.RunsAnother another) {
            return "*" + another.environment() + "* does not run the candidate " + candidate + "; it runs "
                    + another.running().map(d -> "`" + ImageRef.shortDigest(d) + "`")
                    .orElse("an image named by a tag (which does not say what runs)") + " (task definition `"
                    + another.taskDefinition() + "`). Deploy the candidate to " + another.environment() + " first.";
        }
        if (verdict instanceof ProvenInStaging.RollingOut rolling) {
            return "*" + rolling.environment() + "* runs the candidate " + candidate + " but its rollout is "
                    + rolling.rolloutState() + " (started " + ReleaseViews.date(rolling.startedAt()) + "); try again when it completed.";
        }
        if (verdict instanceof ProvenInStaging.TooRecent recent) {
            return "*" + recent.environment() + "* has run the candidate " + candidate + " only since "
                    + ReleaseViews.date(recent.since()) + "; it must run it for " + minutes(recent.required()) + " first.";
        }
        if (verdict instanceof ProvenInStaging.Unreadable unreadable) {
            return "What *" + unreadable.environment() + "* runs could not be read (" + unreadable.failure().service()
                    + " said *" + unreadable.failure().code() + "*), so the candidate " + candidate + " is not proven there.";
        }
        throw new IllegalArgumentException("not a refusal: " + verdict);
    }

    static String minutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes >= 1 ? minutes + " min" : duration.toSeconds() + " s";
    }
}
