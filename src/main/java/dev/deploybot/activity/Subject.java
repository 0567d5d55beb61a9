package dev.deploybot.activity;

import java.util.Locale;
import java.util.Objects;

/** What one Slack status message is about: a build, a deployment, or an image offered for release. */
public record Subject(Kind kind, String id) {
    public Subject {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a subject needs an id");
        }
    }

    public enum Kind {
        BUILD, CODEDEPLOY, ECS, IMAGE
    }

    /** Stable text form, the store's key: {@code build:app-stg:3f1c…}. */
    public String key() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + id;
    }

    public static Subject ofKey(String key) {
        int colon = key.indexOf(':');
        return new Subject(Kind.valueOf(key.substring(0, colon).toUpperCase(Locale.ROOT)), key.substring(colon + 1));
    }

    public static Subject build(String buildId) {
        return new Subject(Kind.BUILD, buildId);
    }
}
