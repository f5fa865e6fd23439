//! The Backend API form: `Session`, `Client` and their lists.

mod decode;
mod fixtures;
mod lenient;
mod lifecycle;
mod properties;
mod storage;
