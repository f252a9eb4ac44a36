-- Links between Discord accounts and Baton people, for people without `discord_id` in the
-- config. `/baton link EMAIL` writes a pending link; it takes effect once the person's team
-- manager or an admin confirms it with `/baton confirm @user`. One row per Discord user: a
-- new request replaces the old link (and needs confirming again).
CREATE TABLE discord_links (
    discord_user_id TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
    requested_at    TEXT NOT NULL,
    confirmed_by    TEXT,
    confirmed_at    TEXT
) WITHOUT ROWID;

-- An email has at most one confirmed Discord account.
CREATE UNIQUE INDEX discord_links_confirmed_email ON discord_links (email) WHERE status = 'confirmed';
