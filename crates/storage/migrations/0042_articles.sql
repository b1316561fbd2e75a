-- The knowledge base (issue 20 §4). An article's text lives in its versions: every edit adds
-- a version row, none is changed or deleted. The articles row names the current version and
-- repeats its title, category, audience and legal-news date for lists and the feed.
-- article_terms is the search index of the current version (term stems with weights,
-- computed in abonent_domain::knowledge::search), rebuilt when a version is added.
-- article_reads: who confirmed reading which version of a legal-news article, and when.
CREATE TABLE articles (
    id {id},
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    audience TEXT NOT NULL,
    legal_news_on TEXT,
    created_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_news ON articles(legal_news_on);

CREATE TABLE article_versions (
    id {id},
    article_id BIGINT NOT NULL REFERENCES articles(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    audience TEXT NOT NULL,
    legal_refs TEXT NOT NULL,
    legal_news_on TEXT,
    author_id BIGINT,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX article_versions_number ON article_versions(article_id, version);

CREATE TABLE article_terms (
    term TEXT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    weight BIGINT NOT NULL,
    PRIMARY KEY (term, article_id)
);
CREATE INDEX article_terms_article ON article_terms(article_id);
-- Covering the search: the candidates are ranked from the index alone.
CREATE INDEX article_terms_rank ON article_terms(term, article_id, weight);

CREATE TABLE article_reads (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    version BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    user_name TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version, user_id)
);
