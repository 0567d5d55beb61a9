-- The latest state of each CloudWatch alarm as events told it, so whichever replica bakes a release sees an
-- alarm event whichever replica received it. changed_at is the alarm's own time of the change: events arrive
-- unordered, and an older one never overwrites a newer state.
CREATE TABLE alarm_states (
    alarm_name  VARCHAR(255) NOT NULL PRIMARY KEY,
    state       VARCHAR(32)  NOT NULL,
    reason      VARCHAR(1024),
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
