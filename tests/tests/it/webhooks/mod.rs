//! The webhook form: events and their signature verification.

mod events;
mod verify;
