package dev.deploybot.events;

import dev.deploybot.activity.Change;
import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.RecordChange;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where events from both doors (the SQS poller and {@code POST /events/aws}) go: admitted once by id, read by
 * the translator of their detail-type, and recorded. Unknown detail-types are counted and dropped.
 */
@Singleton
public class EventIntake {
    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);
    private final EventInbox inbox;
    private final RecordChange recordChange;
    private final Map<String, EventTranslator> translators;
    private final DeliveryLoop delivery;
    private final MeterRegistry meters;
    private final Clock clock;

    EventIntake(EventInbox inbox, RecordChange recordChange, List<EventTranslator> translators, DeliveryLoop delivery,
                MeterRegistry meters, Clock clock) {
        this.inbox = inbox;
        this.recordChange = recordChange;
        this.translators = translators.stream().collect(Collectors.toMap(EventTranslator::detailType, Function.identity()));
        this.delivery = delivery;
        this.meters = meters;
        this.clock = clock;
    }

    public sealed interface Outcome permits Duplicate, Ignored, Handled {
    }

    /** Seen and handled before: EventBridge or the queue delivered it again. */
    public record Duplicate(String eventId) implements Outcome {
    }

    /** Understood, but nothing to track: an unknown detail-type, an ECR delete, a project nobody routed. */
    public record Ignored(String why) implements Outcome {
    }

    public record Handled(RecordChange.Outcome outcome) implements Outcome {
    }

    /** Admits and handles an event in one go, as the queue delivers them: the queue keeps the body until deleted. */
    public Outcome accept(String body, String door) {
        EventEnvelope event = EventEnvelope.parse(body);
        count("deploybot.events.received", event.detailType(), "door", door);
        if (admit(event, null) == EventInbox.Admission.HANDLED) {
            return new Duplicate(event.id());
        }
        return process(event);
    }

    /**
     * The durable first step for a door that answers before handling: keeps the event (with its body, when the
     * sender will not deliver it again) unless its id is known.
     */
    public EventInbox.Admission admit(EventEnvelope event, String body) {
        EventInbox.Admission admission = inbox.admit(new EventInbox.ReceivedEvent(event.id(), event.detailType(), body,
                clock.instant()));
        if (admission == EventInbox.Admission.HANDLED) {
            meters.counter("deploybot.events.duplicates").increment();
        }
        return admission;
    }

    /**
     * Handles an admitted event and marks it handled.
     *
     * @throws MalformedEvent when its detail lacks what its detail-type always carries; it stays unhandled
     */
    public Outcome process(EventEnvelope event) {
        EventTranslator translator = translators.get(event.detailType());
        if (translator == null) {
            count("deploybot.events.ignored", event.detailType(), "reason", "unknown-detail-type");
            inbox.handled(event.id(), "ignored: unknown detail-type", clock.instant());
            return new Ignored("unknown detail-type " + event.detailType());
        }
        Optional<Change> change = translator.translate(event);
        if (change.isEmpty()) {
            count("deploybot.events.ignored", event.detailType(), "reason", "not-news");
            inbox.handled(event.id(), "ignored: not news", clock.instant());
            return new Ignored("nothing to track in this " + event.detailType());
        }
        RecordChange.Outcome outcome = recordChange.record(change.get());
        String name = outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        count("deploybot.events.handled", event.detailType(), "outcome", name);
        inbox.handled(event.id(), name, clock.instant());
        if (outcome instanceof RecordChange.Recorded) {
            delivery.wake();
        } else if (outcome instanceof RecordChange.Unrouted unrouted) {
            LOG.debug("event {} ({}): {}", event.id(), event.detailType(), unrouted.why());
        }
        return new Handled(outcome);
    }

    /** Marks an admitted event that will never be readable as handled, so it is not tried again. */
    void giveUp(EventEnvelope event, MalformedEvent problem) {
        count("deploybot.events.ignored", event.detailType(), "reason", "malformed");
        LOG.warn("event {} ({}) cannot be read: {}", event.id(), event.detailType(), problem.getMessage());
        inbox.handled(event.id(), "malformed", clock.instant());
    }

    private void count(String meter, String detailType, String tag, String value) {
        meters.counter(meter, "detail-type", detailType, tag, value).increment();
    }
}
