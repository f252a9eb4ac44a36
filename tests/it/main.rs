//! The one integration-test binary. `harness` holds the one harness
//! (`TestApp::builder()`, with `.fake_slack()` and `.fake_discord()` over the fakes of
//! `fake_slack` and `fake_discord`, and the external writer); each other module tests one
//! capability end to end against a real SQLite file in WAL mode and a real HTTP listener.
//! `pg_harness` gives the `pg_*` modules a fresh database on the PostgreSQL server at
//! 127.0.0.1:5432.

mod api;
mod breaches;
mod buttons;
mod charts;
mod cli;
mod crash;
mod digest;
mod discord;
mod discord_locales;
mod fake_discord;
mod fake_slack;
mod harness;
mod health;
mod intake_batch;
mod load;
mod locale_replies;
mod locale_routing;
mod locales;
mod outbox;
mod pg_harness;
mod pg_leader;
mod pg_schema;
mod pg_waker;
mod pipeline;
mod plan;
mod reassign;
mod reference;
mod report_facts;
mod report_locales;
mod reports;
mod routing_accounts;
mod routing_availability;
mod routing_chat;
mod routing_discord;
mod routing_duplicates;
mod routing_return;
mod shutdown;
mod sla;
mod slack;
mod trend;
mod typed_boundary;
mod watcher;
