CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never changed after issue'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never changed after issue'); END;
CREATE TRIGGER document_template_versions_no_update BEFORE UPDATE ON document_template_versions
BEGIN SELECT RAISE(ABORT, 'the template log is append-only'); END;
CREATE TRIGGER document_template_versions_no_delete BEFORE DELETE ON document_template_versions
BEGIN SELECT RAISE(ABORT, 'the template log is append-only'); END;
