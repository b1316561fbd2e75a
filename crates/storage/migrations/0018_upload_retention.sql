-- What an uploaded file is for and the job that loaded it (issue 16), so that a retention job
-- deletes it once its purpose no longer needs it: a loaded file some days after its job ended,
-- a file never loaded (a dry run, a refused file, a preview left) sooner. Files of old rows
-- were imports; they count as such.
ALTER TABLE uploads ADD COLUMN purpose TEXT NOT NULL DEFAULT 'import';
ALTER TABLE uploads ADD COLUMN job_id BIGINT REFERENCES jobs(id);
CREATE INDEX uploads_created ON uploads(created_at);
CREATE INDEX uploads_job ON uploads(job_id);
