//! Helpers on a [`Client`]: its live session, its active sessions, and whether its parts
//! agree with each other.

use core::fmt;
use std::time::SystemTime;

use crate::{Client, Session};

impl Client {
    /// The session named by `last_active_session_id`, if that is set and the session is
    /// among `sessions`.
    ///
    /// ```
    /// # let json = r#"{"object":"client","id":"client_1","session_ids":["sess_1"],"sign_in_id":null,"sign_up_id":null,"last_active_session_id":"sess_1","last_authentication_strategy":null,"updated_at":1000,"created_at":1000,
    /// #   "sessions":[{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000}]}"#;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let client: clerk_models::Client = clerk_models::from_str(json)?;
    /// assert_eq!(client.last_active_session().map(|s| s.id.as_str()), Some("sess_1"));
    /// let now = UNIX_EPOCH + Duration::from_millis(2_000);
    /// assert_eq!(client.sessions_active_at(now).count(), 1);
    /// assert!(client.inconsistencies().is_empty());
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn last_active_session(&self) -> Option<&Session> {
        let id = self.last_active_session_id.as_deref()?;
        self.sessions.iter().find(|s| same_id(&s.id, id))
    }

    /// The sessions that are [active](Session::is_active_at) at `now`, in Clerk's order.
    pub fn sessions_active_at(&self, now: SystemTime) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(move |s| s.is_active_at(now))
    }

    /// Every way this client's parts disagree: `session_ids` entries without a session
    /// object, session objects missing from `session_ids`, sessions that belong to another
    /// client, and a `last_active_session_id` that names no session. Empty when consistent.
    #[must_use]
    pub fn inconsistencies(&self) -> Vec<Inconsistency<'_>> {
        let mut found = Vec::new();
        for id in &self.session_ids {
            if !self.sessions.iter().any(|s| same_id(&s.id, id)) {
                found.push(Inconsistency::MissingSession { session_id: id });
            }
        }
        for session in &self.sessions {
            if !self.session_ids.contains(&session.id) {
                found.push(Inconsistency::UnlistedSession {
                    session_id: &session.id,
                });
            }
            if session.client_id != self.id {
                found.push(Inconsistency::ForeignSession {
                    session_id: &session.id,
                    client_id: &session.client_id,
                });
            }
        }
        if let Some(id) = self.last_active_session_id.as_deref()
            && !self.sessions.iter().any(|s| same_id(&s.id, id))
        {
            found.push(Inconsistency::DanglingLastActiveSession { session_id: id });
        }
        found
    }
}

/// Whether two Clerk ids are equal. Ids of one kind share their length and prefix and are
/// random at the end, so comparing the last byte first settles almost every mismatch
/// without a full comparison.
#[inline]
fn same_id(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().last() == b.as_bytes().last() && a == b
}

/// One way a [`Client`]'s parts disagree, found by [`Client::inconsistencies`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inconsistency<'a> {
    /// `session_ids` lists a session that `sessions` does not hold.
    MissingSession {
        /// The listed ID.
        session_id: &'a str,
    },
    /// `sessions` holds a session that `session_ids` does not list.
    UnlistedSession {
        /// The session's ID.
        session_id: &'a str,
    },
    /// A session in `sessions` belongs to another client.
    ForeignSession {
        /// The session's ID.
        session_id: &'a str,
        /// The client it says it belongs to.
        client_id: &'a str,
    },
    /// `last_active_session_id` names a session that `sessions` does not hold.
    DanglingLastActiveSession {
        /// The ID it names.
        session_id: &'a str,
    },
}

impl fmt::Display for Inconsistency<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSession { session_id } => {
                write!(
                    f,
                    "session_ids lists {session_id}, which sessions does not hold"
                )
            }
            Self::UnlistedSession { session_id } => {
                write!(
                    f,
                    "sessions holds {session_id}, which session_ids does not list"
                )
            }
            Self::ForeignSession {
                session_id,
                client_id,
            } => write!(f, "session {session_id} belongs to client {client_id}"),
            Self::DanglingLastActiveSession { session_id } => write!(
                f,
                "last_active_session_id is {session_id}, which sessions does not hold"
            ),
        }
    }
}
