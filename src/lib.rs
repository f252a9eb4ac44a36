//! Baton keeps the marketing-to-sales SLA: it notices the moment a lead becomes an MQL in
//! SQLite, routes it to a salesperson, alerts them in chat and tracks what happens next.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod command;
pub mod config;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod errors;
pub mod http;
pub mod i18n;
pub mod import;
pub mod message;
pub mod plan;
pub mod reports;
pub mod route_file;
pub mod store;

#[cfg(test)]
mod layers;
