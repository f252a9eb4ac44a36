-- Routing that sales ops can trust (SPEC §2 `[routing]`, §3 `accounts`, §6 `/lead why`).
--
-- `accounts` is written by other systems, like `leads`: a company's domain and the rep
-- who owns it. `leads.company_domain` lets a writer give the company's domain when the
-- email's is not it (a free-mail address, a reseller).
--
-- `routing_decisions` keeps, per handoff, why its assignee got it: the one line shown in
-- the alert and every candidate with the reason they were skipped or chosen (JSON), plus
-- the lead's company domain at routing time, so "the domain's most recent accepted
-- handoff" is one indexed lookup however many leads there are.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    domain      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT,
    owner_email TEXT,
    external_id TEXT UNIQUE
);

ALTER TABLE leads ADD COLUMN company_domain TEXT;

CREATE TABLE routing_decisions (
    handoff_id INTEGER PRIMARY KEY REFERENCES handoffs (id),
    decided_at TEXT NOT NULL,
    domain     TEXT,
    summary    TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX routing_decisions_by_domain ON routing_decisions (domain) WHERE domain IS NOT NULL;

-- Handoffs opened before this migration keep their one-line reason; their domain is the
-- email's (free-mail domains are harmless here: they are never looked up).
INSERT INTO routing_decisions (handoff_id, decided_at, domain, summary, detail)
SELECT h.id, h.opened_at,
       CASE WHEN typeof(l.email) = 'text' AND instr(l.email, '@') > 0
            THEN lower(trim(substr(l.email, instr(l.email, '@') + 1))) END,
       h.route_reason, NULL
FROM handoffs h LEFT JOIN leads l ON l.id = h.lead_id;

-- Availability said in chat (`/baton away`, `/baton back`), merged with the config's
-- `out_of_office`. An `away` row covers first_day..last_day (local dates of the person's
-- calendar); a `back` row says they were back on first_day, which ends a config range
-- that began before it. `/baton back` also cuts the chat ranges covering that day.
CREATE TABLE availability (
    id        INTEGER PRIMARY KEY,
    email     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('away', 'back')),
    first_day TEXT NOT NULL,
    last_day  TEXT,
    note      TEXT,
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL
);
CREATE INDEX availability_by_email ON availability (email, first_day);

-- One person, one handoff: an MQL for an email that already has an open handoff (on this
-- or another lead row) within `[routing] duplicate_window` opens none; it is attached to
-- the open one here. Emails are compared lower-cased, through the index below.
CREATE TABLE handoff_duplicates (
    id         INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    lead_id    INTEGER NOT NULL,
    event_id   INTEGER NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    source     TEXT,
    campaign   TEXT
);
CREATE INDEX handoff_duplicates_by_handoff ON handoff_duplicates (handoff_id);
CREATE INDEX handoff_duplicates_by_lead ON handoff_duplicates (lead_id);
CREATE INDEX leads_by_lower_email ON leads (lower(email));
