-- A release bakes after its deployment completed: the start is stored so that a restart, or another replica
-- taking the lease over, resumes the bake with the time already spent instead of starting it again.
ALTER TABLE release_requests ADD COLUMN bake_started_at TIMESTAMP WITH TIME ZONE;
-- When a failure's cause happened, where that is not when the release ended: the time a bake alarm fired.
ALTER TABLE release_requests ADD COLUMN failure_at TIMESTAMP WITH TIME ZONE;
