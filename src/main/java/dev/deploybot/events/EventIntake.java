package dev.deploybot.events;

import dev.deploybot.activity.Change;
import dev.deploybot.activity.DeliverActivity;
import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.RecordChange;
import dev.deploybot.activity.UnitOfWork;
import dev.deploybot.config.EventSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where events from both doors (the SQS poller and {@code POST /events/aws}) go: read and translated before
 * anything is kept (so a permanently bad event is refused at the door), admitted once by id, and recorded.
 * Each event is tried on its own a bounded number of times; one that keeps failing is set aside with its last
 * error, so it never holds up the others. Metric labels name only the detail-types the bot reads; every series
 * exists from start-up, at zero (built with the application for that reason).
 */
@Context
public class EventIntake {
    private static final Logger LOG = LoggerFactory.getLogger(EventIntake.class);
    /** The one label for every detail-type the bot does not read: outside text never becomes a metric series. */
    static final String OTHER = "other";
    private static final int LOGGED_ERROR_LENGTH = 300;
    private static final List<String> DOORS = List.of("sqs", "http");
    private static final List<String> IGNORED = List.of("malformed", "unknown-detail-type", "not-news");
    private static final List<String> SET_ASIDE = List.of("malformed", "failing");
    private final EventInbox inbox;
    private final RecordChange recordChange;
    private final UnitOfWork unitOfWork;
    private final Map<String, EventTranslator> translators;
    private final DeliverActivity deliver;
    private final MeterRegistry meters;
    private final Clock clock;
    private final int maxAttempts;

    EventIntake(EventInbox inbox, RecordChange recordChange, UnitOfWork unitOfWork, List<EventTranslator> translators,
                DeliverActivity deliver, MeterRegistry meters, Clock clock, EventSettings settings) {
        this.inbox = inbox;
        this.recordChange = recordChange;
        this.unitOfWork = unitOfWork;
        this.translators = translators.stream().collect(Collectors.toMap(EventTranslator::detailType, Function.identity()));
        this.deliver = deliver;
        this.meters = meters;
        this.clock = clock;
        this.maxAttempts = settings.maxAttempts();
        registerAtStart();
    }

    /** Counters are cheap to create and free to keep; creating them all now is what puts them on the page at zero. */
    private void registerAtStart() {
        meters.counter("deploybot.events.duplicates");
        List<String> outcomes = Stream.of(RecordChange.Outcome.class.getPermittedSubclasses())
                .map(outcome -> outcome.getSimpleName().toLowerCase(Locale.ROOT)).toList();
        for (String label : Stream.concat(translators.keySet().stream(), Stream.of(OTHER)).toList()) {
            DOORS.forEach(door -> meters.counter("deploybot.events.received", "detail-type", label, "door", door));
            IGNORED.forEach(reason -> meters.counter("deploybot.events.ignored", "detail-type", label, "reason", reason));
            SET_ASIDE.forEach(reason -> meters.counter("deploybot.events.set-aside", "detail-type", label, "reason", reason));
            outcomes.forEach(outcome -> meters.counter("deploybot.events.handled", "detail-type", label, "outcome", outcome));
        }
    }

    /**
     * An event read and translated, not yet kept: small, so thousands can wait for a handler (the JSON is dropped).
     *
     * @param label  its detail-type when the bot reads it, else {@link #OTHER}
     * @param change what it tells; empty when there is nothing to track (an unknown detail-type, an ECR delete)
     */
    public record ReadEvent(String id, String detailType, String label, Optional<Change> change) {
    }

    public sealed interface Outcome permits Duplicate, Ignored, Handled, Failed, SetAside {
    }

    /** Seen and handled before: EventBridge or the queue delivered it again. */
    public record Duplicate(String eventId) implements Outcome {
    }

    /** Understood, but nothing to track: an unknown detail-type, an ECR delete, a project nobody routed. */
    public record Ignored(String why) implements Outcome {
    }

    public record Handled(RecordChange.Outcome outcome) implements Outcome {
    }

    /** This attempt failed; the event is tried again (from the store, or when the queue redelivers it). */
    public record Failed(int attempts) implements Outcome {
    }

    /** The last allowed attempt failed: the event is kept in the store with its error and not tried again. */
    public record SetAside(int attempts) implements Outcome {
    }

    /**
     * Reads an event and what it tells, without keeping anything.
     *
     * @throws MalformedEvent when it is not an EventBridge event, or its detail lacks (or overflows) what its
     *                        detail-type always carries: trying again would not help
     */
    public ReadEvent read(String body) {
        EventEnvelope event;
        try {
            event = EventEnvelope.parse(body);
        } catch (MalformedEvent problem) {
            count("deploybot.events.ignored", OTHER, "reason", "malformed");
            throw problem;
        }
        EventTranslator translator = translators.get(event.detailType());
        if (translator == null) {
            return new ReadEvent(event.id(), event.detailType(), OTHER, Optional.empty());
        }
        try {
            return new ReadEvent(event.id(), event.detailType(), translator.detailType(), translator.translate(event));
        } catch (MalformedEvent problem) {
            count("deploybot.events.ignored", translator.detailType(), "reason", "malformed");
            throw problem;
        }
    }

    /**
     * Admits and handles an event from the queue, which keeps the body until the message is deleted: admission,
     * change and "handled" mark are kept in one commit, shared with the other events arriving at that moment.
     */
    public Outcome acceptFromQueue(ReadEvent event, String body) {
        return accept(event, body, "sqs", null);
    }

    /**
     * Admits and handles an event from {@code POST /events/aws} as {@link #acceptFromQueue} does; when handling
     * fails the event is kept with its body (EventBridge does not send an accepted event again) and tried again
     * from the store.
     *
     * @throws RuntimeException when the store cannot keep it: nothing was accepted, the sender should retry
     */
    public Outcome acceptOverHttp(ReadEvent event, String body) {
        return accept(event, body, "http", body);
    }

    private Outcome accept(ReadEvent event, String body, String door, String bodyToKeep) {
        count("deploybot.events.received", event.label(), "door", door);
        Outcome outcome;
        try {
            // Taken as new without looking first: one lookup less per event in the shared commit, where every
            // statement delays the whole group. A known one is found out by its row, then undone and told apart below.
            outcome = unitOfWork.sharedCommit(() -> storedAsNew(event), bodyToKeep == null ? null : received(event, bodyToKeep));
        } catch (RuntimeException e) {
            // Nothing of that attempt was kept: it failed, or the event was known (delivered again, or kept earlier
            // and not handled yet). Admitted on its own, so a failing attempt is counted against the event.
            if (inbox.admit(received(event, bodyToKeep)) == EventInbox.Admission.HANDLED) {
                outcome = new Duplicate(event.id());
            } else {
                return handle(event, body);
            }
        }
        return noticed(event, outcome);
    }

    /**
     * Handles an admitted event and marks it handled, both kept in one commit; a failure counts as one attempt.
     *
     * @param body kept with the event if this attempt sets it aside; null when the store has it already
     */
    public Outcome handle(ReadEvent event, String body) {
        Outcome outcome;
        try {
            outcome = unitOfWork.together(() -> stored(event));
        } catch (RuntimeException e) {
            return failed(event.id(), event.label(), body, e);
        }
        return noticed(event, outcome);
    }

    /** Tries again an event kept with its body whose handling never finished. */
    public Outcome retry(EventInbox.ReceivedEvent stored) {
        ReadEvent event;
        try {
            event = read(stored.body());
        } catch (MalformedEvent problem) {
            // Kept by an earlier version that read less strictly: it will never be readable.
            return setAside(stored.id(), OTHER, null, inbox.failed(stored.id(), problem.getMessage()), problem);
        }
        return handle(event, stored.body());
    }

    private EventInbox.ReceivedEvent received(ReadEvent event, String body) {
        return new EventInbox.ReceivedEvent(event.id(), event.detailType(), body, clock.instant());
    }

    /** The store's part of handling: what the event tells, and the event marked handled. Nothing outside the store. */
    private Outcome stored(ReadEvent event) {
        Outcome outcome = recorded(event);
        inbox.handled(event.id(), mark(outcome), clock.instant());
        return outcome;
    }

    /** As {@link #stored}, for an event never seen: kept already handled, after what it tells (one row write, not two). */
    private Outcome storedAsNew(ReadEvent event) {
        Outcome outcome = recorded(event);
        if (!inbox.admitHandled(received(event, null), mark(outcome), clock.instant())) {
            // Known already (a redelivery, or admitted by another handler meanwhile). This event's part of the unit
            // of work is undone, and the event is then admitted on its own: a duplicate, or to handle again.
            throw new IllegalStateException("event " + event.id() + " is known already");
        }
        return outcome;
    }

    /** What the event tells, recorded and handed to the outbox; the event itself is not marked yet. */
    private Outcome recorded(ReadEvent event) {
        if (event.change().isEmpty()) {
            return new Ignored(event.label().equals(OTHER) ? "unknown-detail-type" : "not-news");
        }
        RecordChange.Outcome outcome = recordChange.recordToTell(event.change().get());
        if (outcome instanceof RecordChange.Recorded recorded) {
            deliver.tellRecorded(recorded.tracked());
        }
        return new Handled(outcome);
    }

    /** The outcome as the event's row keeps it. */
    private static String mark(Outcome outcome) {
        return outcome instanceof Ignored ignored ? "ignored: " + ignored.why() : outcomeName(((Handled) outcome).outcome());
    }

    /** What follows once the store has kept it: counted (its message is in the outbox already). */
    private Outcome noticed(ReadEvent event, Outcome outcome) {
        if (outcome instanceof Duplicate) {
            meters.counter("deploybot.events.duplicates").increment();
        } else if (outcome instanceof Ignored ignored) {
            count("deploybot.events.ignored", event.label(), "reason", ignored.why());
        } else if (outcome instanceof Handled handled) {
            count("deploybot.events.handled", event.label(), "outcome", outcomeName(handled.outcome()));
            if (handled.outcome() instanceof RecordChange.Unrouted unrouted) {
                LOG.debug("event {} ({}): {}", event.id(), event.label(), unrouted.why());
            }
        }
        return outcome;
    }

    private static String outcomeName(RecordChange.Outcome outcome) {
        return outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private Outcome failed(String eventId, String label, String body, RuntimeException error) {
        int attempts = inbox.failed(eventId, error.getClass().getSimpleName() + ": " + error.getMessage());
        if (attempts >= maxAttempts) {
            return setAside(eventId, label, body, attempts, error);
        }
        LOG.info("event {} ({}) failed on attempt {} of {}; it is tried again: {}", eventId, label, attempts, maxAttempts,
                cut(String.valueOf(error)));
        return new Failed(attempts);
    }

    private Outcome setAside(String eventId, String label, String body, int attempts, RuntimeException error) {
        inbox.setAside(eventId, body, clock.instant());
        count("deploybot.events.set-aside", label, "reason", error instanceof MalformedEvent ? "malformed" : "failing");
        // No stack trace: database errors quote the offending value, and a log line must stay short.
        LOG.warn("event {} ({}) set aside after {} attempts; it stays in aws_events with its last error: {}", eventId,
                label, attempts, cut(String.valueOf(error)));
        return new SetAside(attempts);
    }

    private void count(String meter, String label, String tag, String value) {
        meters.counter(meter, "detail-type", label, tag, value).increment();
    }

    /** Errors can quote what came from outside; a log line carries at most a few hundred characters of it. */
    private static String cut(String text) {
        return text.length() <= LOGGED_ERROR_LENGTH ? text : text.substring(0, LOGGED_ERROR_LENGTH) + "…";
    }
}
