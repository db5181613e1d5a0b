//! minutes: live meeting notes in the terminal.
//!
//! `model` is the meeting, `store` reads and writes it, `app` changes it
//! from actions, `keymap` turns keys into actions, `ui` draws, and
//! `event_loop` with `terminal` connects them to a real terminal.

// No unwrap or expect on I/O or user input: kept by the compiler, not by
// habit (unit tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod archive;
pub mod calendar;
pub mod chatlog;
pub mod check;
pub mod cli;
pub mod config;
pub mod event_loop;
pub mod export;
pub mod finalize;
pub mod import;
pub mod keymap;
pub mod model;
pub mod page;
pub mod publish;
pub mod share;
pub mod store;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod transcript;
pub mod ui;
