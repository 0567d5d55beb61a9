package dev.deploybot.slack;

import dev.deploybot.core.Actor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One {@code /deploy} as Slack delivered it.
 *
 * @param commandKey stable for this invocation and for any replay of it (derived from Slack's
 *                   trigger id), so AWS requests made for it can be idempotent
 */
public record DeployInvocation(Actor actor, String channelId, String commandKey) {

    AfterAck.Requester requester() {
        return new AfterAck.Requester(channelId, actor.userId());
    }

    static String keyFor(String triggerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("deploybot:" + triggerId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
