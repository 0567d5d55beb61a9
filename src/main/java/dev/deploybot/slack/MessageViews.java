package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.deploybot.build.GitRef;
import dev.deploybot.build.StartedBuild;
import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;

/** Every message the bot writes, rendered in one place so wording and layout stay consistent. */
public final class MessageViews {
    private MessageViews() {
    }

    public static SlackView buildStarted(Environment environment, StartedBuild build, GitRef ref, Actor requester) {
        String headline = ":hammer_and_wrench: *" + escape(environment.name()) + "* build started by " + mention(requester)
                + " for `" + escape(ref.value()) + "`";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdown(headline))));
        blocks.add(context(c -> c.elements(List.of(markdown("CodeBuild *" + escape(build.project()) + "* #" + build.number()
                + " · `" + escape(build.id()) + "`")))));
        if (build.logsUrl() != null) {
            blocks.add(actions(a -> a.elements(List.of(ButtonElement.builder()
                    .actionId("build_logs").text(plain("View logs")).url(build.logsUrl()).build()))));
        }
        return new SlackView(environment.name() + " build #" + build.number() + " started for " + ref.value(), blocks);
    }

    static String buildAskingAgain(Environment environment, GitRef ref) {
        return ":hourglass: CodeBuild did not answer in time, so the *" + environment.name() + "* build for `" + escape(ref.value())
                + "` may have started; retrying with the same idempotency token is safe (CodeBuild starts at most one build for it),"
                + " so deploybot is asking once more…";
    }

    static String buildMayHaveStarted(Environment environment, GitRef ref) {
        return ":warning: CodeBuild still did not answer, so the *" + environment.name() + "* build for `" + escape(ref.value())
                + "` may have started; deploybot cannot tell and does not ask again. If no build of it appears in <#"
                + environment.channel() + "> within a few minutes, run the command again.";
    }

    public static String buildRefused(Environment environment, GitRef ref, ExternalFailure failure) {
        return ":x: The " + environment.name() + " build for `" + ref.value() + "` was not started. "
                + failure.service() + " said *" + failure.code() + "*: " + explain(failure) + "\n>" + failure.detail();
    }

    public static String usage(Environments environments) {
        String names = environments.names().stream().map(name -> "`" + name + "`").collect(Collectors.joining(", "));
        return """
                *deploybot* — build and ship from Slack.
                • `/deploy <environment> [ref]` — start the environment's build for a branch, tag or commit (default: its configured ref)
                • `/deploy <environment> [note]` — for environments with a release gate: ask for an approved release of the latest image
                • `/deploy rollback <environment> [generations]` — put back the image released before (default 1 generation)
                • `/deploy lock <environment> <reason>` — refuse releases until `/deploy unlock <environment>` (approvers)
                • `/deploy status [environment]` — what runs where, the tags, drift, requests, releases and locks
                • `/deploy history [environment] [n]` — the latest releases and rollbacks (default 10)
                • `/deploy help` — this message
                Environments:\s""" + (names.isEmpty() ? "none configured" : names); // not formatted(): a Formatter for every help
    }

    public static String unknownEnvironment(String name, Environments environments) {
        return "There is no environment called `" + escape(name) + "`. Configured: "
                + environments.names().stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")) + ".";
    }

    static String explain(ExternalFailure failure) {
        return switch (failure.code()) {
            case "ResourceNotFoundException" -> "the build project does not exist in this account and region; check the configuration.";
            case "AccessDeniedException", "AccessDeniedFault", "UnauthorizedOperation" ->
                    "the bot's IAM role may not do this; see the README for the IAM actions it needs.";
            case "AccountLimitExceededException" -> "the account's concurrent build limit is reached; try again when a build finishes.";
            case "IdempotentParameterMismatchException" -> "the same request was replayed with different parameters.";
            case "ThrottlingException" -> "AWS is throttling requests; try again in a minute.";
            default -> failure.retryable() ? "a temporary problem; try again shortly." : "see the message below.";
        };
    }

    static String mention(Actor actor) {
        return "<@" + actor.userId() + ">";
    }

    /** Slack's mrkdwn treats these three as control characters; everything user-typed goes through here. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    static PlainTextObject plain(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }
}
