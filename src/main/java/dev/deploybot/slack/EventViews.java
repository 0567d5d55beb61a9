package dev.deploybot.slack;

import dev.deploybot.core.ImageRef;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;

/**
 * The messages about builds, deployments and images that AWS told us of: one status message per subject,
 * kept current, and a short reply in its thread when a build the bot started ends.
 */
public final class EventViews {
    static final String RETRY = "build_retry";
    static final String REQUEST_RELEASE = "release_request";
    private static final int MAX_FAILURE_TEXT = 2500;

    private EventViews() {
    }

    /** The status message: everything known, as it stands now. */
    public static SlackView status(Tracked tracked) {
        if (tracked.change() instanceof BuildChange build) {
            return buildStatus(tracked, build);
        }
        if (tracked.change() instanceof DeploymentChange deployment) {
            return deploymentStatus(deployment);
        }
        return imageReady(tracked, (ImagePushed) tracked.change());
    }

    /** The reply in the status message's thread when a build the bot started ended, mentioning who asked. */
    public static SlackView done(Tracked tracked) {
        BuildChange build = (BuildChange) tracked.change();
        String who = tracked.requester() == null ? "" : " " + mention(tracked.requester());
        String took = build.duration().map(d -> " after " + duration(d)).orElse("");
        String line = icon(build) + " Build #" + build.number() + " *" + word(build) + "*"
                + (build.failedPhase() != null ? " in " + build.failedPhase().phase() : "") + took + "." + who;
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(MessageViews.markdown(line))));
        failure(build).ifPresent(blocks::add);
        buttons(tracked, build).ifPresent(blocks::add);
        return new SlackView(build.project() + " build #" + build.number() + " " + word(build), blocks);
    }

    private static SlackView buildStatus(Tracked tracked, BuildChange build) {
        String subject = tracked.requester() != null && tracked.environment() != null
                ? "*" + MessageViews.escape(tracked.environment()) + "* build #" + build.number()
                : "*" + MessageViews.escape(build.project()) + "* build #" + build.number();
        String by = tracked.requester() != null ? mention(tracked.requester())
                : build.initiator() != null ? "`" + MessageViews.escape(build.initiator()) + "`" : null;
        String phase = build.progress() == Progress.IN_PROGRESS && build.currentPhase() != null
                ? " · phase " + MessageViews.escape(build.currentPhase()) : "";
        String headline = icon(build) + " " + subject + " *" + word(build) + "*" + phase;
        List<String> facts = new ArrayList<>();
        if (build.sourceVersion() != null) {
            facts.add("ref `" + MessageViews.escape(build.sourceVersion()) + "`");
        }
        if (by != null) {
            facts.add("started by " + by);
        }
        build.duration().ifPresent(d -> facts.add((build.progress().finished() ? "took " : "running for ") + duration(d)));
        facts.add("CodeBuild `" + MessageViews.escape(build.buildId()) + "`");
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(MessageViews.markdown(headline))));
        blocks.add(context(c -> c.elements(List.of(MessageViews.markdown(String.join(" · ", facts))))));
        failure(build).ifPresent(blocks::add);
        buttons(tracked, build).ifPresent(blocks::add);
        return new SlackView(build.project() + " build #" + build.number() + " " + word(build), blocks);
    }

    private static Optional<LayoutBlock> failure(BuildChange build) {
        if (build.progress() != Progress.FAILED || build.failedPhase() == null) {
            return Optional.empty();
        }
        BuildChange.FailedPhase failed = build.failedPhase();
        String message = failed.message() == null ? "(CodeBuild gave no reason)" : failed.message();
        if (message.length() > MAX_FAILURE_TEXT) {
            message = message.substring(0, MAX_FAILURE_TEXT) + "…";
        }
        String text = "Failed in *" + MessageViews.escape(failed.phase()) + "*"
                + (failed.status() != null && !failed.status().equals("FAILED") ? " (" + MessageViews.escape(failed.status()) + ")" : "")
                + ":\n```" + MessageViews.escape(message).replace("```", "'''") + "```";
        return Optional.of(section(s -> s.text(MessageViews.markdown(text))));
    }

    private static Optional<LayoutBlock> buttons(Tracked tracked, BuildChange build) {
        List<BlockElement> buttons = new ArrayList<>();
        if (build.logsUrl() != null && build.logsUrl().startsWith("https://")) {
            buttons.add(ButtonElement.builder().actionId("build_logs").text(MessageViews.plain("View logs"))
                    .url(build.logsUrl()).build());
        }
        if (tracked.retryable() && build.progress() == Progress.FAILED) {
            // The value is only the build id: buttons stay clickable, so everything else is looked up on click.
            buttons.add(ButtonElement.builder().actionId(RETRY).text(MessageViews.plain("Retry"))
                    .value(build.buildId()).build());
        }
        return buttons.isEmpty() ? Optional.empty() : Optional.of(actions(a -> a.elements(buttons)));
    }

    private static SlackView deploymentStatus(DeploymentChange deployment) {
        String what = deployment.kind() == Subject.Kind.ECS
                ? ":ship: ECS service *" + MessageViews.escape(target(deployment)) + "*"
                : ":rocket: CodeDeploy *" + MessageViews.escape(target(deployment)) + "*";
        String headline = what + " deployment `" + MessageViews.escape(deployment.deploymentId()) + "` *"
                + deploymentWord(deployment) + "*";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(MessageViews.markdown(headline))));
        String detail = deployment.state() + (deployment.reason() != null ? " · " + deployment.reason() : "");
        blocks.add(context(c -> c.elements(List.of(MessageViews.markdown(MessageViews.escape(detail))))));
        return new SlackView(target(deployment) + " deployment " + deploymentWord(deployment), blocks);
    }

    private static SlackView imageReady(Tracked tracked, ImagePushed image) {
        String environment = tracked.environment() == null ? "" : tracked.environment();
        String digest = ImageRef.shortDigest(image.digest());
        String headline = ":package: New image ready for *" + MessageViews.escape(environment) + "*: `"
                + MessageViews.escape(image.repository() + ":" + image.tag()) + "` (`" + MessageViews.escape(digest) + "`)";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(MessageViews.markdown(headline))));
        blocks.add(actions(a -> a.elements(List.of(ButtonElement.builder().actionId(REQUEST_RELEASE)
                .text(MessageViews.plain("Request production release")).value(environment).build()))));
        return new SlackView("New image ready for " + environment + ": " + image.repository() + ":" + image.tag(), blocks);
    }

    private static String target(DeploymentChange deployment) {
        String scope = deployment.scope() == null ? "" : deployment.scope();
        String name = deployment.name() == null ? "" : deployment.name();
        return scope.isEmpty() ? name : name.isEmpty() ? scope : scope + "/" + name;
    }

    private static String deploymentWord(DeploymentChange deployment) {
        return switch (deployment.state()) {
            case "READY" -> "ready to reroute traffic";
            case "STOP", "STOPPED" -> "stopped";
            default -> switch (deployment.progress()) {
                case IN_PROGRESS -> "in progress";
                case SUCCEEDED -> "succeeded";
                case FAILED -> "failed";
            };
        };
    }

    private static String word(BuildChange build) {
        return switch (build.status()) {
            case "SUCCEEDED" -> "succeeded";
            case "FAILED" -> "failed";
            case "FAULT" -> "failed (CodeBuild fault)";
            case "TIMED_OUT" -> "timed out";
            case "STOPPED" -> "was stopped";
            default -> "in progress";
        };
    }

    private static String icon(BuildChange build) {
        return switch (build.status()) {
            case "SUCCEEDED" -> ":white_check_mark:";
            case "TIMED_OUT" -> ":alarm_clock:";
            case "STOPPED" -> ":octagonal_sign:";
            case "FAILED", "FAULT" -> ":x:";
            default -> ":hourglass_flowing_sand:";
        };
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }

    private static String mention(String userId) {
        return "<@" + MessageViews.escape(userId) + ">";
    }
}
