//! The integration tests, in one binary (one compile, one link): each
//! module drives the app, the binary or the files the way a user does.

mod common;
#[path = "../../benches/common/sample.rs"]
mod sample;

mod calendar;
mod call;
mod capture;
mod cli;
mod crash;
mod docs;
mod durability;
mod editing;
mod export;
mod format;
mod fuzz;
mod grammar;
mod hardening;
mod import;
mod layers;
mod mouse;
mod page;
mod pty;
mod publish;
mod screen;
mod series;
mod setup;
mod share;
mod themes;
mod transcript;
