"""Ordered migrations. Append only: a released migration never changes."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _m1_base(db: sqlite_utils.Database) -> None:
    db.executescript("""
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT,
        title TEXT,
        site_link TEXT,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        last_checked_at TEXT,
        last_success_at TEXT,
        last_new_entry_at TEXT,
        last_status TEXT,            -- ok | not_modified | unchanged | error
        last_http_status INTEGER,
        last_error TEXT,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        entry_count INTEGER NOT NULL DEFAULT 0,
        permanent_url TEXT,
        warning TEXT,
        retry_after_until TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,    -- canonical: no fragment, no tracking parameters
        link TEXT NOT NULL,          -- as linked from the feed
        final_url TEXT,              -- after redirects
        page_canonical TEXT,         -- the page's own rel=canonical
        title TEXT,
        author TEXT,
        published TEXT,
        sitename TEXT,
        language TEXT,
        text TEXT NOT NULL,
        text_source TEXT NOT NULL,   -- page | feed_content | feed_summary
        text_hash TEXT NOT NULL,
        problem TEXT,                -- why the page was not used, when it was not
        html BLOB,                   -- zlib-compressed page, to re-extract offline
        fetched_at TEXT NOT NULL,
        processed_at TEXT
    );
    CREATE INDEX articles_text_hash ON articles(text_hash);
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT,
        published TEXT,
        summary TEXT,
        author TEXT,
        article_id INTEGER REFERENCES articles(id),
        first_seen_at TEXT NOT NULL,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX entries_article ON entries(article_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        kind TEXT NOT NULL DEFAULT 'once',
        feeds INTEGER NOT NULL DEFAULT 0,
        ok INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        new_entries INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0,
        fallbacks INTEGER NOT NULL DEFAULT 0,
        observations INTEGER NOT NULL DEFAULT 0,
        changes INTEGER NOT NULL DEFAULT 0,
        errors TEXT
    );
    """)
    db.table("articles").enable_fts(["title", "text"], create_triggers=True, tokenize="porter")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m1_base]




def _m2_observations(db: sqlite_utils.Database) -> None:
    db.executescript("""
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        statement TEXT NOT NULL,
        kind TEXT NOT NULL,           -- count | share | name | date
        subject TEXT,
        metric TEXT,
        unit TEXT,
        value REAL, low REAL, high REAL, qualifier TEXT, value_text TEXT,
        as_of TEXT,
        source TEXT,
        attributed_to TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE observations (
        id INTEGER PRIMARY KEY,
        claim_id TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        value_key TEXT NOT NULL,      -- one observation per (article, claim, value)
        value REAL, low REAL, high REAL, qualifier TEXT, value_text TEXT,
        kind TEXT, unit TEXT,
        text TEXT NOT NULL,           -- the figure as written
        start INTEGER, "end" INTEGER, -- its span in the article text
        sentence TEXT NOT NULL,       -- the evidence
        source TEXT,                  -- who said it, as the article attributes it
        event TEXT, period TEXT, refers_to TEXT,
        url TEXT NOT NULL, title TEXT, feed TEXT, published TEXT,
        observed_at TEXT NOT NULL,
        status TEXT NOT NULL,         -- new | confirmed | higher | lower | restated | changed
        prev_value REAL, prev_low REAL, prev_high REAL, prev_qualifier TEXT,
        prev_value_text TEXT,
        prev_from TEXT,               -- 'baseline' or the id of the observation compared with
        delta REAL,
        confidence REAL,
        UNIQUE (article_id, claim_id, value_key)
    );
    CREATE INDEX observations_claim_time ON observations(claim_id, published DESC, id DESC);
    CREATE INDEX observations_time ON observations(published DESC, id DESC);
    CREATE INDEX observations_status_time ON observations(status, published DESC);
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT, value REAL, low REAL, high REAL, qualifier TEXT, unit TEXT,
        subject TEXT, event TEXT, source TEXT,
        sentence TEXT NOT NULL,
        url TEXT NOT NULL, title TEXT, feed TEXT, published TEXT,
        observed_at TEXT NOT NULL,
        UNIQUE (article_id, start)
    );
    CREATE INDEX candidates_time ON candidates(published DESC);
    """)


MIGRATIONS.append(_m2_observations)
SCHEMA_VERSION = len(MIGRATIONS)


def _m3_digests(db: sqlite_utils.Database) -> None:
    db.executescript("""
    CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        changes INTEGER NOT NULL DEFAULT 0,
        observations INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT,                 -- NULL until every notify target accepted it
        error TEXT                    -- why the last delivery failed
    );
    CREATE INDEX digests_sent ON digests(sent_at);
    """)


MIGRATIONS.append(_m3_digests)
SCHEMA_VERSION = len(MIGRATIONS)


def _m4_daemon(db: sqlite_utils.Database) -> None:
    db.executescript("""
    ALTER TABLE feeds ADD COLUMN next_run_at TEXT;          -- when the daemon polls it next
    ALTER TABLE feeds ADD COLUMN health TEXT NOT NULL DEFAULT 'ok';  -- ok | unhealthy | stale
    ALTER TABLE feeds ADD COLUMN health_since TEXT;
    CREATE TABLE daemon_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,             -- first occurrence
        last_at TEXT NOT NULL,        -- latest occurrence merged into this row
        kind TEXT NOT NULL,           -- start | stop | reload | reload_refused | job_error |
                                      -- missed | max_instances | unhealthy | recovered |
                                      -- stale | digest | digest_error
        feed_url TEXT,
        detail TEXT,
        count INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX daemon_events_kind ON daemon_events(kind, feed_url, last_at);
    CREATE INDEX daemon_events_last ON daemon_events(last_at);
    """)


MIGRATIONS.append(_m4_daemon)
SCHEMA_VERSION = len(MIGRATIONS)


def _m5_claim_stats(db: sqlite_utils.Database) -> None:
    """Per-claim counts kept beside observations, so summaries need not scan them all.

    ``claim_sources`` holds how many observations each source (attribution, else URL)
    gave a claim, ``claim_stats`` each claim's observations and sources; both are kept by
    ``add_observation`` and ``clear_observations`` in the caller's transaction. The
    two partial indexes serve the latest value of a claim (``status != 'restated'``) and
    the changes-only history; queries must repeat their WHERE terms literally.
    """
    for sql in (
        """CREATE TABLE claim_stats (
            claim_id TEXT PRIMARY KEY,
            observations INTEGER NOT NULL DEFAULT 0,
            sources INTEGER NOT NULL DEFAULT 0    -- rows of claim_sources for the claim
        ) WITHOUT ROWID""",
        """CREATE TABLE claim_sources (
            claim_id TEXT NOT NULL,
            source_key TEXT NOT NULL,     -- COALESCE(source, url) of the observation
            observations INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (claim_id, source_key)
        ) WITHOUT ROWID""",
        """INSERT INTO claim_sources (claim_id, source_key, observations)
           SELECT claim_id, COALESCE(source, url), count(*) FROM observations
           GROUP BY claim_id, COALESCE(source, url)""",
        """INSERT INTO claim_stats (claim_id, observations, sources)
           SELECT claim_id, sum(observations), count(*) FROM claim_sources
           GROUP BY claim_id""",
        """CREATE INDEX observations_claim_latest
           ON observations(claim_id, published DESC, id DESC) WHERE status != 'restated'""",
        """CREATE INDEX observations_change_time ON observations(published DESC, id DESC)
           WHERE status IN ('new', 'higher', 'lower', 'changed')""",
    ):
        db.execute(sql)


MIGRATIONS.append(_m5_claim_stats)
SCHEMA_VERSION = len(MIGRATIONS)


def _m6_claim_state(db: sqlite_utils.Database) -> None:
    """Each claim's state (its best estimate over time) and alerts on observations.

    ``observations.alert`` marks the observations that moved a claim's estimate past its
    thresholds: the digest, the Atom feed and ``history --changes-only`` read those.
    ``single_source`` marks an alert backed by one source until a second one agrees
    (``corroborated_by``); ``restated`` keeps the article's own "this figure is old", so a
    claim's state can be replayed from its observations. The partial index of changes is
    rebuilt on alerts; rows recorded before this migration count as alerts when their
    status was a change, as they were shown.
    """
    for sql in (
        "ALTER TABLE observations ADD COLUMN alert INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE observations ADD COLUMN single_source INTEGER",
        "ALTER TABLE observations ADD COLUMN corroborated_by INTEGER",
        "ALTER TABLE observations ADD COLUMN restated INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE claims ADD COLUMN label TEXT",          # a human heading
        "ALTER TABLE claims ADD COLUMN metric_type TEXT",    # cumulative, level, ...
        "UPDATE observations SET alert = 1 "
        "WHERE status IN ('new', 'higher', 'lower', 'changed')",
        "UPDATE observations SET restated = 1 WHERE status = 'restated'",
        "DROP INDEX observations_change_time",
        "CREATE INDEX observations_change_time ON observations(published DESC, id DESC) "
        "WHERE alert = 1",
        """CREATE TABLE claim_state (
            claim_id TEXT PRIMARY KEY,
            best REAL,                -- one number for the estimate (value, mid-range, bound)
            value REAL, low REAL, high REAL, qualifier TEXT, value_text TEXT,
            as_of TEXT,               -- the date the estimate refers to
            reported TEXT,            -- publication date of the newest supporting article
            sources INTEGER NOT NULL DEFAULT 0,    -- independent sources supporting it
            support TEXT,             -- JSON: {source key: best confidence it gave}
            observations INTEGER NOT NULL DEFAULT 0,  -- observations supporting it
            confidence REAL,
            observation_id INTEGER,   -- the observation that set the figure
            trend TEXT,               -- the last move: new | higher | lower | changed
            from_baseline INTEGER NOT NULL DEFAULT 0, -- the figure is still the baseline's
            alert_id INTEGER,         -- the alert that backs the estimate, if any
            alerted REAL,             -- the estimate at the last alert (thresholds)
            last_alert TEXT,          -- when the last alert was recorded
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ):
        db.execute(sql)


MIGRATIONS.append(_m6_claim_state)
SCHEMA_VERSION = len(MIGRATIONS)


def _m7_reprocess(db: sqlite_utils.Database) -> None:
    """Staging for ``watcher reprocess``: findings kept until every article is analysed.

    A run is one reprocess of one scope (``*`` for every claim, else a claim id), made
    with one baseline and one analysis engine (``fingerprint``); ``done_upto`` is the
    highest article id such that every article up to it is analysed, so an interrupted
    run resumes after it. ``reprocess_findings`` holds, per analysed article that has any,
    the findings recording needs (zlib-compressed JSON). Observations are replaced from
    these in one transaction at the end, and the run is then deleted.
    """
    for sql in (
        """CREATE TABLE reprocess_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a run outlived by
                                                   -- its process is not mistaken for a new one
            scope TEXT NOT NULL UNIQUE,        -- '*' or a claim id
            fingerprint TEXT NOT NULL,         -- baseline contents + analysis engine
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            done_upto INTEGER NOT NULL DEFAULT 0,
            analysed INTEGER NOT NULL DEFAULT 0,   -- articles analysed so far
            failed INTEGER NOT NULL DEFAULT 0      -- of which the analysis failed
        )""",
        """CREATE TABLE reprocess_findings (
            run_id INTEGER NOT NULL REFERENCES reprocess_runs(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL,
            findings BLOB NOT NULL,
            PRIMARY KEY (run_id, article_id)
        )""",
    ):
        db.execute(sql)


MIGRATIONS.append(_m7_reprocess)
SCHEMA_VERSION = len(MIGRATIONS)
