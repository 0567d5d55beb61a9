package dev.deploybot.core;

import java.util.Objects;

/** A person acting through Slack. Identity is the Slack user id, never a display name. */
public record Actor(String userId, String teamId) {
    public Actor {
        Objects.requireNonNull(userId, "userId");
        if (!userId.matches("[UW][A-Z0-9]{2,20}")) {
            throw new IllegalArgumentException("not a Slack user id: " + userId);
        }
    }

    public static Actor of(String userId) {
        return new Actor(userId, null);
    }
}
