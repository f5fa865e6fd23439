//! The webhook form: events and their signature verification.

mod data;
mod events;
mod verify;
