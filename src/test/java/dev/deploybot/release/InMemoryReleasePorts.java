package dev.deploybot.release;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The small ports the release use cases talk to, in memory, for millisecond tests: what was told to the channel,
 * what was written to the audit trail, which environments are locked, and a clock that does not move.
 */
public final class InMemoryReleasePorts {
    public static final String MEDIA = "application/vnd.docker.distribution.manifest.v2+json";

    private InMemoryReleasePorts() {
    }

    public static Clock fixedClock() {
        return Clock.fixed(ReleaseTestData.NOW, ZoneOffset.UTC);
    }

    /** A manifest body whose digest differs for every seed. */
    public static String manifest(String seed) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MEDIA + "\",\"config\":{\"digest\":\"sha256:"
                + seed.repeat(64).substring(0, 64) + "\"},\"layers\":[]}";
    }

    /** Keeps every piece of news, in the order told. */
    public static final class RecordingAnnouncer implements ReleaseAnnouncer {
        public final List<ReleaseNews> told = new ArrayList<>();

        @Override
        public void tell(ReleaseRequest request, ReleaseNews news) {
            told.add(news);
        }

        @Override
        public void drift(String environment, String releaseTag, String taggedDigest, String runningDigest) {
            throw new AssertionError("no drift in these stories");
        }
    }

    public static final class RecordingAuditTrail implements AuditTrail {
        public final List<AuditEntry> entries = new ArrayList<>();

        @Override
        public void append(AuditEntry entry) {
            entries.add(entry);
        }

        @Override
        public List<AuditEntry> recent(int limit) {
            return List.copyOf(entries);
        }
    }

    public static final class Locks implements EnvironmentLocks {
        private final Map<String, Lock> locks = new HashMap<>();

        @Override
        public Optional<Lock> lockOf(String environment) {
            return Optional.ofNullable(locks.get(environment));
        }

        @Override
        public void lock(Lock lock) {
            locks.put(lock.environment(), lock);
        }

        @Override
        public boolean unlock(String environment) {
            return locks.remove(environment) != null;
        }
    }

    /**
     * A repository with three released generations and a new candidate under {@code latest}, as most release stories
     * start: the digests each tag names.
     */
    public record Generations(String twoGenerationsAgo, String oneGenerationAgo, String released, String candidate) {
        public static Generations pushedTo(InMemoryImageRegistry registry, String repository) {
            registry.createRepository(repository, false);
            return new Generations(registry.push(repository, manifest("2"), MEDIA, "release-2gen"),
                    registry.push(repository, manifest("1"), MEDIA, "release-1gen"),
                    registry.push(repository, manifest("r"), MEDIA, "release"),
                    registry.push(repository, manifest("c"), MEDIA, "latest"));
        }
    }
}
