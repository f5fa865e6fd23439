//! The webhook form: events and their signature verification.

mod dashboard;
mod data;
mod events;
mod verify;
