//! The one integration-test binary. `helpers` holds the harness (`TestApp::spawn`, the
//! external writer); each other module tests one capability end to end against a real
//! SQLite file in WAL mode and a real HTTP listener.

mod cli;
mod crash;
mod helpers;
mod pipeline;
mod sla;
