package dev.deploybot.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The builds table in memory, for millisecond tests of the use cases that start and follow builds. */
public final class InMemoryBuildLog implements BuildLog {
    private final Map<String, BuildRecord> records = new LinkedHashMap<>();
    private final Map<String, String> statuses = new LinkedHashMap<>();

    @Override
    public synchronized boolean recordIfNew(BuildRecord record) {
        if (records.containsKey(record.buildId())) {
            return false;
        }
        records.put(record.buildId(), record);
        statuses.put(record.buildId(), "IN_PROGRESS");
        return true;
    }

    @Override
    public synchronized Optional<BuildRecord> find(String buildId) {
        return Optional.ofNullable(records.get(buildId));
    }

    @Override
    public synchronized void finished(String buildId, String status) {
        statuses.replace(buildId, "IN_PROGRESS", status);
    }

    @Override
    public synchronized List<String> unfinished(int limit) {
        List<String> open = new ArrayList<>();
        statuses.forEach((id, status) -> {
            if (status.equals("IN_PROGRESS") && open.size() < limit) {
                open.add(id);
            }
        });
        return open;
    }
}
