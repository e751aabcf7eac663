"""The case file's schema, created and upgraded by versioned migrations.

Each migration is applied once, in order, inside a transaction (sqlite-utils'
`Migrations`); `PRAGMA user_version` mirrors how many are applied so that an older
Casefile can refuse a newer file before touching it. Add a migration at the end;
never edit one that has shipped.
"""

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("casefile")

# Sort key for chronological listing: undated items (NULL) after every dated one.
CHRONO_KEY = "coalesce(ts_us, 9223372036854775807)"


@migrations()
def m001_core(db: Database) -> None:
    db.executescript(f"""
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE, md5 TEXT NOT NULL, size INTEGER NOT NULL,
        original_path TEXT, original_name TEXT, mtime_utc TEXT,
        importer TEXT NOT NULL, settings TEXT NOT NULL,
        custodian TEXT, operator TEXT, host TEXT, tool_version TEXT, imported_utc TEXT NOT NULL,
        chunk_size INTEGER NOT NULL,
        read_count INTEGER, imported_count INTEGER, duplicate_count INTEGER,
        quarantined_count INTEGER, blank_count INTEGER, comment_count INTEGER,
        items_created INTEGER
    );
    CREATE TABLE source_chunks (
        source_id INTEGER NOT NULL REFERENCES sources(id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (source_id, seq)
    );
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        parent_id INTEGER REFERENCES items(id),
        source_id INTEGER NOT NULL REFERENCES sources(id),
        locator TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT, text TEXT, fields TEXT,
        ts_original TEXT, ts_us INTEGER, ts_zone TEXT, ts_assumed INTEGER, ts_note TEXT,
        account TEXT, api_key TEXT, ip TEXT, model TEXT, thread_id TEXT,
        dedup_key TEXT, warnings TEXT
    );
    CREATE INDEX items_chrono ON items({CHRONO_KEY}, id);
    CREATE INDEX items_kind ON items(kind, {CHRONO_KEY}, id);
    CREATE INDEX items_source ON items(source_id, id);
    CREATE INDEX items_parent ON items(parent_id) WHERE parent_id IS NOT NULL;
    CREATE INDEX items_account ON items(account) WHERE account IS NOT NULL;
    CREATE INDEX items_api_key ON items(api_key) WHERE api_key IS NOT NULL;
    CREATE INDEX items_ip ON items(ip) WHERE ip IS NOT NULL;
    CREATE INDEX items_model ON items(model) WHERE model IS NOT NULL;
    CREATE INDEX items_thread ON items(thread_id) WHERE thread_id IS NOT NULL;
    CREATE INDEX items_dedup ON items(dedup_key) WHERE dedup_key IS NOT NULL;
    CREATE TABLE item_payloads (
        item_id INTEGER NOT NULL REFERENCES items(id),
        role TEXT NOT NULL,  -- 'content' (an attachment's decoded bytes), 'thumbnail', ...
        data BLOB NOT NULL,
        PRIMARY KEY (item_id, role)
    );
    CREATE VIRTUAL TABLE items_fts USING fts5(
        title, text, content='items', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TABLE duplicates (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        locator TEXT NOT NULL,
        first_item_id INTEGER NOT NULL REFERENCES items(id),
        custodian TEXT
    );
    CREATE INDEX duplicates_first ON duplicates(first_item_id);
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        locator TEXT NOT NULL,
        raw BLOB,
        reason TEXT NOT NULL
    );
    CREATE TABLE taxonomy (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, grp TEXT NOT NULL,
        parent_code TEXT, privilege TEXT, legend TEXT, records_tos_version INTEGER,
        position INTEGER NOT NULL
    );
    CREATE TABLE tags (
        item_id INTEGER NOT NULL REFERENCES items(id),
        code TEXT NOT NULL REFERENCES taxonomy(code),
        note TEXT, tos_version TEXT, who TEXT, created_utc TEXT,
        PRIMARY KEY (item_id, code)
    ) WITHOUT ROWID;
    CREATE INDEX tags_code ON tags(code, item_id);
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id),
        text TEXT NOT NULL, who TEXT, created_utc TEXT
    );
    CREATE INDEX notes_item ON notes(item_id);
    CREATE TABLE exhibits (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT,
        who TEXT, created_utc TEXT
    );
    CREATE TABLE exhibit_items (
        exhibit_id INTEGER NOT NULL REFERENCES exhibits(id),
        item_id INTEGER NOT NULL REFERENCES items(id),
        position INTEGER NOT NULL,
        PRIMARY KEY (exhibit_id, item_id)
    );
    CREATE INDEX exhibit_items_item ON exhibit_items(item_id);
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        ts_utc TEXT NOT NULL, actor TEXT NOT NULL, host TEXT, action TEXT NOT NULL,
        details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    );
    """)


@migrations()
def m002_saved_mappings(db: Database) -> None:
    """Field mappings saved in the case by name (`casefile mapping save`)."""
    db.executescript("""
    CREATE TABLE saved_mappings (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, mapping TEXT NOT NULL,
        who TEXT, created_utc TEXT
    );
    """)


@migrations()
def m003_productions(db: Database) -> None:
    """Exported bundles: settings, exhibits and the Bates numbers they used (never reused)."""
    db.executescript("""
    CREATE TABLE productions (
        id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, operator TEXT, title TEXT,
        selection TEXT NOT NULL, settings TEXT NOT NULL,
        bates_prefix TEXT NOT NULL, bates_first INTEGER NOT NULL, bates_last INTEGER NOT NULL,
        page_count INTEGER NOT NULL, exhibit_count INTEGER NOT NULL,
        pdf_name TEXT NOT NULL, pdf_sha256 TEXT NOT NULL, sidecars TEXT NOT NULL,
        audit_seq INTEGER, audit_hash TEXT
    );
    CREATE TABLE production_exhibits (
        production_id INTEGER NOT NULL REFERENCES productions(id),
        position INTEGER NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL, title TEXT,
        item_ids TEXT NOT NULL, first_page INTEGER NOT NULL, page_count INTEGER NOT NULL,
        bates_first INTEGER NOT NULL, bates_last INTEGER NOT NULL,
        PRIMARY KEY (production_id, position)
    );
    """)


@migrations()
def m004_saved_searches(db: Database) -> None:
    """Named searches of the review table (a filter as JSON), per case."""
    db.executescript("""
    CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, filter TEXT NOT NULL,
        who TEXT, created_utc TEXT
    );
    """)


@migrations()
def m005_account_order(db: Database) -> None:
    """The review table sorted by account / sender pages on an index, like the other sorts."""
    db.executescript("CREATE INDEX items_account_order ON items(coalesce(account, ''), id);")


@migrations()
def m006_integer_dedup_keys(db: Database) -> None:
    """Dedup keys as 64-bit integers plus 8 check bytes (app.core.hashing.dedup_digest).

    A b-tree of a million random integers is far cheaper to keep while rows stream in
    than one of text keys. The old text keys are converted (so an earlier import still
    catches the same rows imported again) and their column dropped: a TEXT column would
    store the integers as text.
    """
    from app.core.hashing import dedup_digest

    conn = db.conn
    conn.create_function("casefile_dedup_hash", 1, lambda key: dedup_digest(key)[0], deterministic=True)
    conn.create_function("casefile_dedup_check", 1, lambda key: dedup_digest(key)[1], deterministic=True)
    _execute_each(
        conn,
        (
            "ALTER TABLE items ADD COLUMN dedup_hash INTEGER",
            "ALTER TABLE items ADD COLUMN dedup_check BLOB",
            "UPDATE items SET dedup_hash = casefile_dedup_hash(dedup_key),"
            " dedup_check = casefile_dedup_check(dedup_key) WHERE dedup_key IS NOT NULL",
            "DROP INDEX items_dedup",
            "ALTER TABLE items DROP COLUMN dedup_key",
            "CREATE INDEX items_dedup ON items(dedup_hash) WHERE dedup_hash IS NOT NULL",
        ),
    )


@migrations()
def m007_item_bodies(db: Database) -> None:
    """Each item's text and fields move to `item_bodies`; `items` keeps what is listed and filtered.

    An API-log row is ~3.3 KB, nearly all of it text and fields. In one wide table every
    scan of the listing columns (building an index after a bulk import, the timeline's
    counts, a filter without an index) read all of it, and a 16 KiB page held 4 such rows
    (a fifth of each page wasted). Narrow `items` rows (~450 bytes) are ~9x less to read.
    `item_details` is the old wide shape, for readers that want text or fields; the text
    index reads its content through it.
    """
    conn = db.conn
    _execute_each(
        conn,
        (
            "CREATE TABLE item_bodies (id INTEGER PRIMARY KEY REFERENCES items(id), text TEXT, fields TEXT)",
            "INSERT INTO item_bodies(id, text, fields) SELECT id, text, fields FROM items",
            "DROP TABLE items_fts",
            "ALTER TABLE items DROP COLUMN text",
            "ALTER TABLE items DROP COLUMN fields",
            "CREATE VIEW item_details AS SELECT items.*, item_bodies.text AS text, item_bodies.fields AS fields"
            " FROM items LEFT JOIN item_bodies ON item_bodies.id = items.id",
            "CREATE VIRTUAL TABLE items_fts USING fts5(title, text, content='item_details', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')",
            "INSERT INTO items_fts(items_fts) VALUES ('rebuild')",
        ),
    )


@migrations()
def m008_fields_in_original(db: Database) -> None:
    """From here on a log row may keep its fields in the original only (app/core/row_fields.py).

    No table changes: `item_bodies.fields` is NULL for such a row, and its locator gains
    `byte_length`. The version still moves on, so that a Casefile from before this change
    refuses the case (it would show those rows without their fields) instead of opening it.
    """


@migrations()
def m009_signed_audit(db: Database) -> None:
    """Audit entries signed by their operator's key; the case gets an id; productions keep a signed head.

    An entry signed from here on names its key (`key_id`) and carries its Ed25519
    `signature`; the first entry a key signs in this case also carries the key itself
    (`public_key`), and `operator_keys` lists the keys so registered. Entries written
    before this migration stay unsigned (verify says so). The case id names the case in
    each operator's record of the heads seen (app/core/head_record.py) and in every
    signature, so an entry cannot be carried into another case.
    """
    import uuid

    _execute_each(
        db.conn,
        (
            "ALTER TABLE audit ADD COLUMN key_id TEXT",
            "ALTER TABLE audit ADD COLUMN public_key TEXT",
            "ALTER TABLE audit ADD COLUMN signature TEXT",
            "CREATE TABLE operator_keys (key_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, operator TEXT,"
            " host TEXT, registered_seq INTEGER NOT NULL, registered_utc TEXT NOT NULL)",
            "ALTER TABLE productions ADD COLUMN head_key_id TEXT",
            "ALTER TABLE productions ADD COLUMN head_signature TEXT",
            f"INSERT OR IGNORE INTO meta(key, value) VALUES ('case_id', '{uuid.uuid4().hex}')",
        ),
    )


@migrations()
def m010_cjk_text_index(db: Database) -> None:
    """Chinese, Japanese and Korean words findable: `items_cjk` indexes their bigrams (app/store/cjk_index.py).

    Contentless (content=''): it holds only the index, whose text is derived from the
    item's title and text, for the items that contain a CJK character; every other item
    has no row. The items already in the case are indexed now.
    """
    from app.store.cjk_index import index_existing_items

    db.conn.execute(
        "CREATE VIRTUAL TABLE items_cjk USING fts5(title, text, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    index_existing_items(db.conn)


@migrations()
def m011_listing_hashes(db: Database) -> None:
    """Hashes over what an item's content hash leaves out, and over each quarantine row.

    `items.listing_hash` covers the columns listed, filtered and printed beside the
    content (account, API key, IP, model, thread, time zone and the "assumed" flag,
    parent, ...) and the item's payloads (app.core.hashing.item_listing_hash);
    `quarantine.row_hash` a quarantined record's place, reason and kept bytes. Each
    import's audit entry records a digest over them, and `verify` checks both. Rows
    imported earlier keep NULL: verify says what it cannot cover for them.
    """
    _execute_each(
        db.conn,
        (
            "ALTER TABLE items ADD COLUMN listing_hash BLOB",
            "ALTER TABLE quarantine ADD COLUMN row_hash BLOB",
        ),
    )


@migrations()
def m012_archive_members(db: Database) -> None:
    """A file unpacked from a zip archive is a source of its own, linked to the archive's source.

    `parent_source_id` names the archive (NULL for a file imported as it is) and
    `member_path` the member's path inside it, as the archive states it.
    """
    _execute_each(
        db.conn,
        (
            "ALTER TABLE sources ADD COLUMN parent_source_id INTEGER REFERENCES sources(id)",
            "ALTER TABLE sources ADD COLUMN member_path TEXT",
            "CREATE INDEX sources_parent ON sources(parent_source_id) WHERE parent_source_id IS NOT NULL",
        ),
    )


@migrations()
def m013_summary_exhibits_and_findings(db: Database) -> None:
    """Summary exhibits, drawn from case data (app/export/summaries.py), and the findings of analyses.

    `exhibits.summary_kind` names what draws the exhibit (NULL for an ordinary exhibit of
    items) and `summary_ref` (JSON) what it draws; a summary has no `exhibit_items`: it
    cites rows without taking them out of their own exhibits. A production records both
    for each exhibit so that it can be reproduced.

    An analysis run (`finding_runs`: its settings and their hash, the case state it read
    -- item count and audit-chain head -- and its clusters) has one `findings` row per
    account, each with its `finding_indicators`, and each indicator the rows behind it in
    `finding_rows` (app/store/findings.py).
    """
    _execute_each(
        db.conn,
        (
            "ALTER TABLE exhibits ADD COLUMN summary_kind TEXT",
            "ALTER TABLE exhibits ADD COLUMN summary_ref TEXT",
            "ALTER TABLE production_exhibits ADD COLUMN summary_kind TEXT",
            "ALTER TABLE production_exhibits ADD COLUMN summary_ref TEXT",
            "CREATE TABLE finding_runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, created_utc TEXT NOT NULL,"
            " operator TEXT, settings TEXT NOT NULL, settings_hash TEXT NOT NULL, source_id INTEGER,"
            " item_count INTEGER NOT NULL, rows_read INTEGER NOT NULL, audit_seq INTEGER, audit_hash TEXT,"
            " clusters TEXT NOT NULL, notes TEXT NOT NULL, digest TEXT NOT NULL)",
            "CREATE TABLE findings (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES finding_runs(id),"
            " rank INTEGER NOT NULL, account TEXT NOT NULL, score REAL NOT NULL, flagged INTEGER NOT NULL,"
            " requests INTEGER NOT NULL, output_tokens INTEGER NOT NULL, reason TEXT NOT NULL, details TEXT NOT NULL)",
            "CREATE INDEX findings_run ON findings(run_id, rank)",
            "CREATE TABLE finding_indicators (id INTEGER PRIMARY KEY,"
            " finding_id INTEGER NOT NULL REFERENCES findings(id), code TEXT NOT NULL, fired INTEGER NOT NULL,"
            " value REAL NOT NULL, threshold REAL NOT NULL, strength REAL NOT NULL, weight REAL NOT NULL,"
            " summary TEXT NOT NULL, row_count INTEGER NOT NULL)",
            "CREATE INDEX finding_indicators_finding ON finding_indicators(finding_id)",
            "CREATE TABLE finding_rows (indicator_id INTEGER NOT NULL REFERENCES finding_indicators(id),"
            " item_id INTEGER NOT NULL REFERENCES items(id), PRIMARY KEY (indicator_id, item_id)) WITHOUT ROWID",
            "CREATE INDEX finding_rows_item ON finding_rows(item_id)",
        ),
    )


@migrations()
def m014_provenance_links(db: Database) -> None:
    """Output provenance (app/analysis/provenance, app/store/provenance_links.py).

    `provenance_runs`: each run's settings, their hash and the case's state when it ran
    (item count, audit-chain head); `provenance_links`: an output, the logged response
    (or, `target_kind` 'output', the other output) it copies and the figures (shared
    passages as JSON word spans); `provenance_marks`:
    canaries and self-identification found in items; `provenance_terms`: the case's own
    canary strings and the lab's names. Only the newest run is kept.
    """
    _execute_each(
        db.conn,
        (
            "CREATE TABLE provenance_runs (id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, who TEXT,"
            " settings TEXT NOT NULL, settings_hash TEXT NOT NULL, item_count INTEGER NOT NULL,"
            " audit_seq INTEGER NOT NULL, audit_head TEXT NOT NULL, outputs_compared INTEGER,"
            " responses_compared INTEGER, distinct_responses INTEGER, candidates INTEGER, digest TEXT NOT NULL)",
            "CREATE TABLE provenance_links (id INTEGER PRIMARY KEY,"
            " run_id INTEGER NOT NULL REFERENCES provenance_runs(id),"
            " output_id INTEGER NOT NULL REFERENCES items(id), response_id INTEGER NOT NULL REFERENCES items(id),"
            " similarity REAL NOT NULL, shared_words INTEGER NOT NULL, longest_run INTEGER NOT NULL,"
            " output_words INTEGER NOT NULL, response_words INTEGER NOT NULL, same_text_count INTEGER NOT NULL,"
            " passages TEXT NOT NULL, target_kind TEXT NOT NULL DEFAULT 'response')",
            "CREATE INDEX provenance_links_output ON provenance_links(output_id)",
            "CREATE INDEX provenance_links_response ON provenance_links(response_id)",
            "CREATE TABLE provenance_marks (id INTEGER PRIMARY KEY,"
            " run_id INTEGER NOT NULL REFERENCES provenance_runs(id), item_id INTEGER NOT NULL REFERENCES items(id),"
            " kind TEXT NOT NULL, term TEXT NOT NULL, found TEXT NOT NULL, how TEXT NOT NULL,"
            " start INTEGER NOT NULL, end INTEGER NOT NULL)",
            "CREATE INDEX provenance_marks_item ON provenance_marks(item_id)",
            "CREATE TABLE provenance_terms (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL,"
            " who TEXT, created_utc TEXT NOT NULL, UNIQUE(kind, text))",
        ),
    )


@migrations()
def m015_facts(db: Database) -> None:
    """Facts of the case: what counsel must prove, linked to claim elements, items and findings.

    A fact keeps its date as the user wrote it (`date_text`) and as UTC microseconds
    (`start_us`, and `end_us` for a range; both NULL when undated). `fact_elements` names
    the claim elements (taxonomy codes) it supports, `fact_items` the items that prove it
    (role 'evidence') or that the other side relies on (role 'opposing'), and
    `fact_findings` the analysis findings it cites, as opaque references.
    """
    _execute_each(
        db.conn,
        (
            "CREATE TABLE facts (id INTEGER PRIMARY KEY, statement TEXT NOT NULL, date_text TEXT NOT NULL DEFAULT '',"
            " start_us INTEGER, end_us INTEGER, status TEXT NOT NULL, witness TEXT NOT NULL DEFAULT '',"
            " opposing TEXT NOT NULL DEFAULT '', who TEXT, created_utc TEXT NOT NULL, updated_utc TEXT)",
            "CREATE INDEX facts_chrono ON facts(coalesce(start_us, 9223372036854775807), id)",
            "CREATE TABLE fact_elements (fact_id INTEGER NOT NULL REFERENCES facts(id), code TEXT NOT NULL,"
            " PRIMARY KEY (fact_id, code))",
            "CREATE INDEX fact_elements_code ON fact_elements(code)",
            "CREATE TABLE fact_items (fact_id INTEGER NOT NULL REFERENCES facts(id), item_id INTEGER NOT NULL"
            " REFERENCES items(id), role TEXT NOT NULL, position INTEGER NOT NULL,"
            " PRIMARY KEY (fact_id, role, item_id))",
            "CREATE INDEX fact_items_item ON fact_items(item_id)",
            "CREATE TABLE fact_findings (fact_id INTEGER NOT NULL REFERENCES facts(id), ref TEXT NOT NULL,"
            " PRIMARY KEY (fact_id, ref))",
        ),
    )


@migrations()
def m016_redactions(db: Database) -> None:
    """Redactions as case data (app/store/redactions.py): never a change to an original.

    `redactions` holds a text span (item, start/end offsets in its text), a rule (literal,
    regular expression or built-in pattern, as JSON) or a box on a page (PDF points,
    origin lower left), each with its reason (a category of the taxonomy's REDACTION
    group), who and when. `redaction_matches` is what a rule matched when it was made
    (item, matched text, how often), so every export of the case hides the same text.
    """
    _execute_each(
        db.conn,
        (
            "CREATE TABLE redactions (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, item_id INTEGER REFERENCES items(id),"
            " start_offset INTEGER, end_offset INTEGER, page INTEGER, x0 REAL, y0 REAL, x1 REAL, y1 REAL, rule TEXT,"
            " reason TEXT NOT NULL, who TEXT, created_utc TEXT NOT NULL)",
            "CREATE INDEX redactions_item ON redactions(item_id) WHERE item_id IS NOT NULL",
            "CREATE TABLE redaction_matches (redaction_id INTEGER NOT NULL REFERENCES redactions(id),"
            " item_id INTEGER NOT NULL REFERENCES items(id), text TEXT NOT NULL, count INTEGER NOT NULL,"
            " PRIMARY KEY (redaction_id, item_id, text))",
            "CREATE INDEX redaction_matches_item ON redaction_matches(item_id)",
        ),
    )


@migrations()
def m017_review_batches(db: Database) -> None:
    """Review batches: a named share of the items for one reviewer, each item marked reviewed by whom and when.

    `review_batch_items.position` keeps the order the batch was made in (families
    together); `reviewed_by`/`reviewed_utc` are NULL until the item is marked reviewed.
    Every change is audited (batch.*) and replayed by verify (app/store/verify_review.py).
    """
    _execute_each(
        db.conn,
        (
            "CREATE TABLE review_batches (id INTEGER PRIMARY KEY, name TEXT NOT NULL, reviewer TEXT,"
            " who TEXT, created_utc TEXT NOT NULL)",
            "CREATE TABLE review_batch_items (batch_id INTEGER NOT NULL REFERENCES review_batches(id),"
            " item_id INTEGER NOT NULL REFERENCES items(id), position INTEGER NOT NULL,"
            " reviewed_by TEXT, reviewed_utc TEXT, PRIMARY KEY (batch_id, item_id)) WITHOUT ROWID",
            "CREATE INDEX review_batch_items_item ON review_batch_items(item_id)",
            "CREATE INDEX review_batch_items_position ON review_batch_items(batch_id, position)",
            # Which production page each produced item starts on, kept by a trigger from the
            # production's own records, so the review table can sort by Bates number in SQL.
            "CREATE TABLE production_items (production_id INTEGER NOT NULL REFERENCES productions(id),"
            " item_id INTEGER NOT NULL, position INTEGER NOT NULL, bates_first INTEGER NOT NULL,"
            " PRIMARY KEY (item_id, production_id)) WITHOUT ROWID",
            f"CREATE TRIGGER production_items_fill AFTER INSERT ON production_exhibits BEGIN {PRODUCTION_ITEMS_FILL}"
            " NEW.production_id, j.value, NEW.position, NEW.bates_first FROM json_each(NEW.item_ids) j"
            f" WHERE true {PRODUCTION_ITEMS_FIRST}; END",
            f"{PRODUCTION_ITEMS_FILL} e.production_id, j.value, e.position, e.bates_first"
            f" FROM production_exhibits e, json_each(e.item_ids) j WHERE true {PRODUCTION_ITEMS_FIRST}",
            # A log row's status and token counts, read once from its fields for sorting
            # (app/store/item_usage.py; each run audited as usage.index with a digest).
            "CREATE TABLE item_usage (item_id INTEGER PRIMARY KEY REFERENCES items(id), status TEXT,"
            " input_tokens INTEGER, output_tokens INTEGER, tokens INTEGER)",
        ),
    )


# An item cited by two exhibits of one production starts where the first of them starts
# (as app/store/production_cites.py cites it).
PRODUCTION_ITEMS_FILL = "INSERT INTO production_items(production_id, item_id, position, bates_first) SELECT"
PRODUCTION_ITEMS_FIRST = (
    "ON CONFLICT(item_id, production_id) DO UPDATE SET position = excluded.position,"
    " bates_first = excluded.bates_first WHERE excluded.position < production_items.position"
)


@migrations()
def m018_ocr_text(db: Database) -> None:
    """Text read from scanned pages and images by OCR: a derived layer beside the item.

    `ocr_text` holds one row per item read (its text, the mean word confidence, the
    pages with their own text and confidence as JSON, the engine and languages); the
    item, its text and its original are never changed. `ocr_fts` indexes that text for
    search as typed, `ocr_cjk` the CJK bigrams (both contentless) of the rows holding CJK
    characters, as `items_fts` / `items_cjk` do for items (app/store/ocr_layers.py).
    """
    _execute_each(
        db.conn,
        (
            "CREATE TABLE ocr_text (item_id INTEGER PRIMARY KEY REFERENCES items(id), text TEXT NOT NULL,"
            " confidence REAL, pages TEXT NOT NULL, engine TEXT NOT NULL, languages TEXT NOT NULL,"
            " created_utc TEXT NOT NULL)",
            # (title, text) like the items' indexes, so one query reads on all four; title stays empty
            "CREATE VIRTUAL TABLE ocr_fts USING fts5(title, text, content='',"
            " tokenize='unicode61 remove_diacritics 2')",
            "CREATE VIRTUAL TABLE ocr_cjk USING fts5(title, text, content='',"
            " tokenize='unicode61 remove_diacritics 2')",
        ),
    )


@migrations()
def m019_listing_indexes(db: Database) -> None:
    """Indexes that serve a filter and the table's time order together.

    A filter by account or by source (custodian) listed by time used to walk the whole
    time index for the few rows it keeps (~70 ms a page at a million rows); led by the
    filtered column and followed by the time key, each page is one range seek. Same
    names as the indexes they replace (queries name `items_account`), whose columns
    they begin with; the "source" sort lists each source's items by time.
    """
    _execute_each(
        db.conn,
        (
            "DROP INDEX IF EXISTS items_account",
            f"CREATE INDEX items_account ON items(account, {CHRONO_KEY}, id) WHERE account IS NOT NULL",
            "DROP INDEX IF EXISTS items_source",
            f"CREATE INDEX items_source ON items(source_id, {CHRONO_KEY}, id)",
        ),
    )


def _execute_each(conn, statements) -> None:
    """One by one: executescript would commit the migration's transaction first."""
    for statement in statements:
        conn.execute(statement)


def schema_version() -> int:
    """How many migrations this version of Casefile knows."""
    return len(migrations._migrations)


def apply_migrations(db: Database) -> None:
    migrations.apply(db)
    db.conn.execute(f"PRAGMA user_version = {schema_version()}")
