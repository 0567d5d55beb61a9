package dev.deploybot.release;

import java.util.Set;

/** Who belongs to an approver group. Identity is always the chat user id, never a display name. */
public interface ApproverDirectory {
    Set<String> membersOf(String groupId);
}
