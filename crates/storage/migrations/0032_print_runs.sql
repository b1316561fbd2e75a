-- Issue 14 §5. The monthly print run keeps its one PDF for printing in parts, one per batch
-- of documents, written in the batch's transaction (so a part holds exactly the documents
-- issued with it); a download joins the parts page by page without holding them all.
CREATE TABLE print_run_parts (
    job_id BIGINT NOT NULL REFERENCES jobs(id),
    part BIGINT NOT NULL,
    documents BIGINT NOT NULL,
    first_document_id BIGINT REFERENCES documents(id),
    pdf {blob} NOT NULL,
    PRIMARY KEY (job_id, part)
);

-- One print run at a time, whatever instance runs it: a second start is refused by this
-- index. Runs left running by an earlier version are closed first.
UPDATE jobs SET status = 'failed' WHERE kind = 'documents_print_run' AND status = 'running';
CREATE UNIQUE INDEX jobs_one_print_run ON jobs (kind)
    WHERE kind = 'documents_print_run' AND status = 'running';
