package dev.deploybot.activity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The activity journal in memory, with the JDBC journal's rules: conditional writes, claims, monotonic hand-overs. */
public final class InMemoryActivityJournal implements ActivityJournal {
    private final Map<Subject, Tracked> tracked = new LinkedHashMap<>();
    private final Map<Subject, Claim> claims = new HashMap<>();

    private record Claim(String owner, Instant until) {
    }

    @Override
    public synchronized Optional<Tracked> find(Subject subject) {
        return Optional.ofNullable(tracked.get(subject));
    }

    @Override
    public synchronized boolean insert(Tracked t, Instant now) {
        return tracked.putIfAbsent(t.subject(), t) == null;
    }

    @Override
    public synchronized boolean replace(Tracked t, long expectedVersion, Instant now) {
        Tracked current = tracked.get(t.subject());
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        // Only what a change may change; the hand-over marks only move forward.
        tracked.put(t.subject(), new Tracked(t.subject(), t.change(), t.version(), Math.max(current.toldVersion(), t.toldVersion()),
                current.channel(), t.announce(), current.replyWhenDone(), current.replied() || t.replied(), current.requester(),
                current.environment(), t.retryable()));
        return true;
    }

    @Override
    public synchronized List<Tracked> due(Instant now, int limit) {
        List<Tracked> due = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            Claim claim = claims.get(t.subject());
            if (t.behind() && (claim == null || claim.until().isBefore(now)) && due.size() < limit) {
                due.add(t);
            }
        }
        return due;
    }

    @Override
    public synchronized boolean claim(Subject subject, String owner, Instant now, Instant until) {
        Claim claim = claims.get(subject);
        if (!tracked.containsKey(subject) || claim != null && claim.until().isAfter(now) && !claim.owner().equals(owner)) {
            return false;
        }
        claims.put(subject, new Claim(owner, until));
        return true;
    }

    @Override
    public synchronized void told(Subject subject, long version, boolean replied) {
        tracked.computeIfPresent(subject, (key, t) -> new Tracked(t.subject(), t.change(), t.version(),
                Math.max(t.toldVersion(), version), t.channel(), t.announce(), t.replyWhenDone(), t.replied() || replied,
                t.requester(), t.environment(), t.retryable()));
    }

    @Override
    public synchronized void release(Subject subject, String owner) {
        claims.computeIfPresent(subject, (key, claim) -> claim.owner().equals(owner) ? null : claim);
    }
}
