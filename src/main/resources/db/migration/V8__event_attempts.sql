-- Events are tried a bounded number of times. Each failed attempt is counted with its error; an event that
-- keeps failing is set aside (set_aside_at), keeps its body and last error for an operator to look at, and is
-- neither retried nor forgotten with the handled ones, so it can never hold up the events behind it.
ALTER TABLE aws_events ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE aws_events ADD COLUMN last_error VARCHAR(500);
ALTER TABLE aws_events ADD COLUMN set_aside_at TIMESTAMP WITH TIME ZONE;
