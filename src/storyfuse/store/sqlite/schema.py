"""The SQLite schema as an ordered list of migrations; ``PRAGMA user_version`` says how many ran.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        inputs TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL DEFAULT 0,
        already_stored INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE rejected (
        input TEXT NOT NULL,
        reason TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        PRIMARY KEY (input, reason)
    );

    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT,
        start TEXT,
        end TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        centroid BLOB NOT NULL,
        entity_counts TEXT NOT NULL DEFAULT '{}',
        story TEXT,
        dirty INTEGER NOT NULL DEFAULT 1,      -- the story must be recomputed
        stale_profile INTEGER NOT NULL DEFAULT 0,  -- a member left: recompute the centroid first
        updated_at TEXT
    );
    CREATE INDEX events_span ON events(end, start);
    CREATE INDEX events_dirty ON events(dirty) WHERE dirty = 1;
    CREATE INDEX events_stale ON events(stale_profile) WHERE stale_profile = 1;
    CREATE INDEX events_undated ON events(updated_at) WHERE start IS NULL;
    CREATE INDEX events_updated ON events(updated_at);

    CREATE TABLE articles (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        input TEXT,
        source TEXT,
        url TEXT,
        title TEXT,
        author TEXT,
        published TEXT,
        dateline TEXT,
        language TEXT,
        text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        text_hash TEXT NOT NULL,      -- of the words only: finds duplicates
        content_hash TEXT NOT NULL,   -- of the exact text: says whether a stored id changed
        analysed INTEGER NOT NULL,
        analysis_note TEXT,
        duplicate_of TEXT REFERENCES articles(id) ON DELETE SET NULL,
        event_id TEXT REFERENCES events(id) ON DELETE SET NULL,
        clustered INTEGER NOT NULL DEFAULT 0,
        run_id INTEGER REFERENCES runs(id),
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_hash ON articles(text_hash);
    CREATE INDEX articles_event ON articles(event_id);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_pending ON articles(clustered) WHERE clustered = 0;

    CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, n)
    ) WITHOUT ROWID;

    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        label_counts TEXT NOT NULL DEFAULT '{}'
    );

    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        entity_id TEXT REFERENCES entities(id),
        PRIMARY KEY (article_id, start, end)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions(entity_id);

    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
        text TEXT NOT NULL,
        speaker TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_entity TEXT REFERENCES entities(id),
        PRIMARY KEY (article_id, start, end, kind)
    ) WITHOUT ROWID;

    -- Sentence embeddings keyed by the sentence's text hash: a syndicated copy costs nothing.
    CREATE TABLE sentence_vectors (
        text_hash TEXT PRIMARY KEY,
        vector BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE dates (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (article_id, start, end)
    ) WITHOUT ROWID;

    CREATE TABLE reuse_bands (
        band INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX reuse_bands_band ON reuse_bands(band);
    CREATE INDEX reuse_bands_article ON reuse_bands(article_id);

    CREATE TABLE reuses (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        other_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'syndicated', 'rewrite')),
        overlap REAL NOT NULL,
        origin TEXT NOT NULL,
        PRIMARY KEY (article_id, other_id)
    ) WITHOUT ROWID;
    CREATE INDEX reuses_other ON reuses(other_id);

    CREATE TABLE term_df (term INTEGER PRIMARY KEY, df INTEGER NOT NULL);

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.pk, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.pk, new.title, new.text);
    END;
    """,
    # 2: stories are stored as typed EventStory records: recompute the ones kept in the old shape.
    """
    UPDATE events SET story = NULL, dirty = 1 WHERE story IS NOT NULL;
    """,
    # 3: when an archive captured an article, and notes on how its text was obtained.
    """
    ALTER TABLE articles ADD COLUMN crawl_date TEXT;
    ALTER TABLE articles ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
    """,
    # 4: the hash of each input as read, so that the same input is recognised after its stored
    # text changed (lines found later to be junk), and short lines indexed to find such junk.
    """
    ALTER TABLE articles ADD COLUMN raw_hash TEXT;
    ALTER TABLE articles ADD COLUMN lines_checked INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE article_lines (
        line_key TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (line_key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_lines_article ON article_lines(article_id);
    """,
    # 5: events from a learned pair model. What clustering keeps of each placed article (its
    # profile, owned by the clustering module: the store holds it as text), the word counts
    # that weigh those profiles, an index from rare words and entities to events, the ids of
    # events merged into others, and the events waiting for consolidation. Events of the old
    # centroid model are placed again.
    """
    DROP TABLE term_df;
    DELETE FROM meta WHERE key = 'n_docs';
    ALTER TABLE events DROP COLUMN centroid;
    ALTER TABLE events DROP COLUMN entity_counts;
    ALTER TABLE events ADD COLUMN founder TEXT;
    CREATE TABLE cluster_docs (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        profile TEXT NOT NULL,
        lead BLOB
    );
    CREATE INDEX cluster_docs_event ON cluster_docs(event_id, seq);
    CREATE TABLE cluster_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE cluster_keys (
        key TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (key, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX cluster_keys_event ON cluster_keys(event_id);
    CREATE TABLE event_aliases (old_id TEXT PRIMARY KEY, event_id TEXT NOT NULL) WITHOUT ROWID;
    CREATE TRIGGER cluster_docs_left AFTER UPDATE OF event_id ON articles
        WHEN new.event_id IS NULL AND old.event_id IS NOT NULL BEGIN
        DELETE FROM cluster_docs WHERE article_id = new.id;
    END;
    UPDATE articles SET event_id = NULL, clustered = 0;
    DELETE FROM events;
    """,
    # 6: a quotation interrupted by its attribution is one quote: its segments, as JSON
    # [[start, end], ...] (NULL: one segment, start..end).
    """
    ALTER TABLE quotes ADD COLUMN segments TEXT;
    """,
    # 7: what an event's story keeps to be updated incrementally (story.StoryState, as JSON),
    # and how often an article's text was rewritten (a state holding an older text is stale).
    """
    ALTER TABLE events ADD COLUMN story_state TEXT;
    ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    """,
    # 8: the facts and quotes of every story, searchable (the web UI's search), kept with the
    # story that holds them and gone with its event.
    """
    CREATE TABLE story_texts (
        pk INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('fact', 'quote')),
        ref TEXT NOT NULL,
        text TEXT NOT NULL,
        who TEXT
    );
    CREATE INDEX story_texts_event ON story_texts(event_id);
    CREATE VIRTUAL TABLE story_fts USING fts5(
        text, who, content='story_texts', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER story_fts_insert AFTER INSERT ON story_texts BEGIN
        INSERT INTO story_fts(rowid, text, who) VALUES (new.pk, new.text, new.who);
    END;
    CREATE TRIGGER story_fts_delete AFTER DELETE ON story_texts BEGIN
        INSERT INTO story_fts(story_fts, rowid, text, who) VALUES ('delete', old.pk, old.text, old.who);
    END;
    INSERT INTO story_texts(event_id, kind, ref, text, who)
        SELECT e.id, 'fact', json_extract(f.value, '$.id'), json_extract(f.value, '$.text'), NULL
        FROM events e, json_each(e.story, '$.facts') f WHERE e.story IS NOT NULL;
    INSERT INTO story_texts(event_id, kind, ref, text, who)
        SELECT e.id, 'quote', json_extract(q.value, '$.id'), json_extract(q.value, '$.text'),
               json_extract(q.value, '$.speaker')
        FROM events e, json_each(e.story, '$.quotes') q WHERE e.story IS NOT NULL;
    """,
    # 9: what the parse says a figure counts (figure_roles.Role, as JSON), by sentence and
    # figure: a sentence compared again in a later run is not parsed again.
    """
    CREATE TABLE figure_roles (key TEXT PRIMARY KEY, role TEXT NOT NULL) WITHOUT ROWID;
    """,
    # 10: what listings and threads read of a story, beside it: its facts by status, its
    # actors and subjects (a listing need not read whole stories), and how often it was saved
    # (what a page built from it is kept under).
    """
    ALTER TABLE events ADD COLUMN corroborated INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN contradicted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN single_source INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN subjects TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN story_version INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET
        corroborated = (SELECT count(*) FROM json_each(story, '$.facts') f
                        WHERE json_extract(f.value, '$.status') = 'corroborated'),
        contradicted = (SELECT count(*) FROM json_each(story, '$.facts') f
                        WHERE json_extract(f.value, '$.status') = 'contradicted'),
        single_source = (SELECT count(*) FROM json_each(story, '$.facts') f
                         WHERE json_extract(f.value, '$.status') = 'single_source'),
        actors = coalesce(json_extract(story, '$.actors'), '[]'),
        subjects = coalesce(json_extract(story, '$.subjects'), '[]')
    WHERE story IS NOT NULL;
    CREATE INDEX articles_event_source ON articles(event_id, source);
    CREATE INDEX articles_source ON articles(source);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
