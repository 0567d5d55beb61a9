package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.time.Instant;

/** One thing AWS told us (or we found out by asking), already free of the event's vendor shape. */
public sealed interface Change permits AlarmStateChanged, BuildChange, DeploymentChange, ImagePushed {
    Progress progress();

    Instant occurredAt();
}
