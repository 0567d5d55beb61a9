package dev.deploybot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import dev.deploybot.release.ApproverDirectory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Approver groups from Slack user groups, cached briefly: a click should not wait on Slack, but
 * someone removed from the group must lose approval rights within minutes. When Slack cannot answer,
 * the group counts as empty (refusing is the safe side).
 */
@Singleton
class SlackApproverDirectory implements ApproverDirectory {
    private final SlackChat chat;
    private final MethodsClient methods;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    SlackApproverDirectory(SlackChat chat, MethodsClient methods, Clock clock,
                           @Value("${deploybot.slack.usergroup-cache:2m}") Duration ttl) {
        this.chat = chat;
        this.methods = methods;
        this.clock = clock;
        this.ttl = ttl;
    }

    private record Cached(Set<String> members, Instant until) {
    }

    @Override
    public Set<String> membersOf(String groupId) {
        Instant now = clock.instant();
        Cached cached = cache.get(groupId);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.members();
        }
        Set<String> members = chat.call("usergroups.users.list", () -> methods.usergroupsUsersList(r -> r.usergroup(groupId)))
                .map(UsergroupsUsersListResponse::getUsers)
                .map(Set::copyOf)
                .orElse(null);
        if (members == null) {
            return Set.of();
        }
        cache.put(groupId, new Cached(members, now.plus(ttl)));
        return members;
    }
}
