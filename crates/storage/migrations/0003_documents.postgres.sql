CREATE FUNCTION documents_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'documents are never changed after issue'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_no_change BEFORE UPDATE OR DELETE ON documents
FOR EACH ROW EXECUTE FUNCTION documents_append_only();
CREATE FUNCTION document_template_versions_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the template log is append-only'; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER document_template_versions_no_change BEFORE UPDATE OR DELETE
ON document_template_versions FOR EACH ROW EXECUTE FUNCTION document_template_versions_append_only();
