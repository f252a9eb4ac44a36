-- Engagement activities posted through the API, and why Baton itself qualified a lead.

CREATE TABLE activities (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL,
    type       TEXT NOT NULL,
    at         TEXT NOT NULL,
    properties TEXT
);
CREATE INDEX activities_by_lead ON activities (lead_id, at);

-- When `[mql] mode = "score"` moves a lead to mql, the rules that fired, keyed by the
-- stage change they caused; the alert shows them as its "why".
CREATE TABLE mql_reasons (
    event_id INTEGER PRIMARY KEY,
    lead_id  INTEGER NOT NULL,
    why      TEXT NOT NULL
);
