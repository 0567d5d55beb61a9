package dev.deploybot.events;

import dev.deploybot.activity.Change;

import java.util.Optional;

/** Reads the detail of one EventBridge detail-type. One implementation per detail-type. */
interface EventTranslator {
    /** The {@code detail-type} this translator reads, exactly as EventBridge spells it. */
    String detailType();

    /**
     * @return the change the event tells of; empty when it tells nothing worth tracking (an ECR delete, say)
     * @throws MalformedEvent when the detail lacks what this detail-type always carries
     */
    Optional<Change> translate(EventEnvelope event);
}
