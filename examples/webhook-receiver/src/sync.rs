//! What an event changes in the user's database: users and organization memberships, planned
//! from the typed event ([`plan`]) and applied in the delivery's transaction ([`apply`]).
//!
//! Svix does not deliver in order, so every write is guarded:
//!
//! - an upsert changes a row only when the event's data is newer (`updated_at`) than the row;
//! - a deletion removes the row and leaves a tombstone, which no later upsert passes: Clerk
//!   never reuses an id, so a late `user.updated` after `user.deleted` is stale by definition.

use clerk_models::{EventData, EventType, OrganizationMembership, User, WebhookEvent};
use sqlx::{Any, Transaction};

/// What the receiver made of a stored event, kept in `webhook_events.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Typed and applied to `users` or `organization_memberships`.
    Handled,
    /// Typed, of a kind this receiver does not sync (sessions, roles, …): stored only.
    Ignored,
    /// Of a known type, but its `data` did not fit the model: stored with the error, for
    /// `webhook-receiver replay` after an upgrade of `clerk-models`.
    Invalid,
    /// Of a type this version of `clerk-models` does not know: stored for replay.
    Unknown,
    /// Authentic, but no event at all (no `type` or `data`): stored as received.
    Malformed,
}

impl Status {
    /// The text kept in the database.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Handled => "handled",
            Self::Ignored => "ignored",
            Self::Invalid => "invalid",
            Self::Unknown => "unknown",
            Self::Malformed => "malformed",
        }
    }

    /// The statuses `replay` reads again: those a newer `clerk-models` may type.
    pub const REPLAYED: [Self; 3] = [Self::Invalid, Self::Unknown, Self::Malformed];
}

/// One change to the user's tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Insert the user, or update it when this data is newer; never past a tombstone.
    UpsertUser {
        /// Clerk's user id.
        id: String,
        /// The primary email address, if the user has one.
        primary_email: Option<String>,
        /// First and last name, joined as Clerk's components join them.
        full_name: String,
        /// The data's `updated_at` (Unix ms): the version of this row.
        updated_at: i64,
    },
    /// Delete the user and keep a tombstone.
    DeleteUser {
        /// Clerk's user id.
        id: String,
    },
    /// Insert the membership, or update it when this data is newer; never past a tombstone.
    UpsertMembership {
        /// The membership's id.
        id: String,
        /// Its organization's id.
        organization_id: String,
        /// Its user's id, when Clerk sends the user's public data.
        user_id: Option<String>,
        /// The role's key, as sent (`org:admin`, or a legacy `admin`).
        role: String,
        /// The data's `updated_at` (Unix ms).
        updated_at: i64,
    },
    /// Delete the membership and keep a tombstone.
    DeleteMembership {
        /// The membership's id.
        id: String,
    },
}

/// What to do with an event: its status, and the change a handled event makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The status stored with the event.
    pub status: Status,
    /// The change, for [`Status::Handled`].
    pub change: Option<Change>,
    /// Why the event is [`Status::Invalid`]: the error, with its path.
    pub error: Option<String>,
}

impl Plan {
    fn handled(change: Change) -> Self {
        Self {
            status: Status::Handled,
            change: Some(change),
            error: None,
        }
    }

    fn stored(status: Status, error: Option<String>) -> Self {
        Self {
            status,
            change: None,
            error,
        }
    }
}

/// Plans an event from its typed data. Pure: the database is not read.
#[must_use]
pub fn plan(event: &WebhookEvent) -> Plan {
    let event_type = event.event_type();
    match event.data() {
        EventData::User(user) => Plan::handled(upsert_user(user)),
        EventData::Deleted(deleted) if *event_type == EventType::UserDeleted => match &deleted.id {
            Some(id) => Plan::handled(Change::DeleteUser { id: id.clone() }),
            None => Plan::stored(
                Status::Invalid,
                Some("data: a deleted user without an id".to_owned()),
            ),
        },
        EventData::OrganizationMembership(membership) => {
            if *event_type == EventType::OrganizationMembershipDeleted {
                Plan::handled(Change::DeleteMembership {
                    id: membership.id.clone(),
                })
            } else {
                Plan::handled(upsert_membership(membership))
            }
        }
        EventData::Invalid(invalid) => {
            Plan::stored(Status::Invalid, Some(invalid.error().to_string()))
        }
        EventData::Unknown(_) => Plan::stored(Status::Unknown, None),
        // Typed, but nothing this receiver keeps: sessions, organizations, roles, …
        _ => Plan::stored(Status::Ignored, None),
    }
}

fn upsert_user(user: &User) -> Change {
    Change::UpsertUser {
        id: user.id.clone(),
        primary_email: user
            .primary_email_address()
            .map(|email| email.email_address.clone()),
        full_name: user.full_name().to_string(),
        updated_at: user.updated_at,
    }
}

fn upsert_membership(membership: &OrganizationMembership) -> Change {
    Change::UpsertMembership {
        id: membership.id.clone(),
        organization_id: membership.organization.id.clone(),
        user_id: membership
            .public_user_data
            .as_ref()
            .map(|data| data.user_id.clone()),
        role: membership.role.as_str().to_owned(),
        updated_at: membership.updated_at,
    }
}

/// The tombstone kinds.
const USER: &str = "user";
const MEMBERSHIP: &str = "organization_membership";

/// Applies a change inside the delivery's transaction; `now` (Unix ms) dates a tombstone.
///
/// # Errors
///
/// The database's error; the caller rolls back.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    change: &Change,
    now: i64,
) -> Result<(), sqlx::Error> {
    match change {
        Change::UpsertUser {
            id,
            primary_email,
            full_name,
            updated_at,
        } => {
            sqlx::query(
                "INSERT INTO users (id, primary_email, full_name, updated_at) \
                 SELECT $1, $2, $3, $4 \
                 WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE kind = $5 AND id = $1) \
                 ON CONFLICT (id) DO UPDATE SET primary_email = excluded.primary_email, \
                 full_name = excluded.full_name, updated_at = excluded.updated_at \
                 WHERE users.updated_at < excluded.updated_at",
            )
            .bind(id)
            .bind(primary_email)
            .bind(full_name)
            .bind(updated_at)
            .bind(USER)
            .execute(&mut **tx)
            .await?;
        }
        Change::DeleteUser { id } => {
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            tombstone(tx, USER, id, now).await?;
        }
        Change::UpsertMembership {
            id,
            organization_id,
            user_id,
            role,
            updated_at,
        } => {
            sqlx::query(
                "INSERT INTO organization_memberships \
                 (id, organization_id, user_id, role, updated_at) \
                 SELECT $1, $2, $3, $4, $5 \
                 WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE kind = $6 AND id = $1) \
                 ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, \
                 user_id = excluded.user_id, role = excluded.role, \
                 updated_at = excluded.updated_at \
                 WHERE organization_memberships.updated_at < excluded.updated_at",
            )
            .bind(id)
            .bind(organization_id)
            .bind(user_id)
            .bind(role)
            .bind(updated_at)
            .bind(MEMBERSHIP)
            .execute(&mut **tx)
            .await?;
        }
        Change::DeleteMembership { id } => {
            sqlx::query("DELETE FROM organization_memberships WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            tombstone(tx, MEMBERSHIP, id, now).await?;
        }
    }
    Ok(())
}

async fn tombstone(
    tx: &mut Transaction<'static, Any>,
    kind: &str,
    id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tombstones (kind, id, deleted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, id) DO NOTHING",
    )
    .bind(kind)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn event(json: &str) -> WebhookEvent {
        clerk_models::from_str(json).unwrap()
    }

    #[test]
    fn a_user_event_upserts_its_user_and_a_deletion_deletes_it() {
        let user = event(
            r#"{"type":"user.updated","data":{"object":"user","id":"user_1","first_name":"Ada",
            "last_name":"Lovelace","primary_email_address_id":"idn_1","email_addresses":[
            {"object":"email_address","id":"idn_1","email_address":"ada@example.com",
            "verification":null,"linked_to":[]}],"phone_numbers":[],"web3_wallets":[],
            "external_accounts":[],"username":null,"primary_phone_number_id":null,
            "primary_web3_wallet_id":null,"password_enabled":false,"two_factor_enabled":false,
            "public_metadata":{},"external_id":null,"last_sign_in_at":null,
            "created_at":1,"updated_at":2}}"#,
        );
        assert_eq!(
            plan(&user),
            Plan::handled(Change::UpsertUser {
                id: "user_1".into(),
                primary_email: Some("ada@example.com".into()),
                full_name: "Ada Lovelace".into(),
                updated_at: 2,
            })
        );
        let deleted = event(
            r#"{"type":"user.deleted","data":{"object":"user","id":"user_1","deleted":true}}"#,
        );
        assert_eq!(
            plan(&deleted).change,
            Some(Change::DeleteUser {
                id: "user_1".into()
            })
        );
        // Another kind's deletion is stored, not applied to users.
        let role = event(
            r#"{"type":"role.deleted","data":{"object":"role","id":"role_1","deleted":true}}"#,
        );
        assert_eq!(plan(&role).status, Status::Ignored);
    }

    #[test]
    fn data_that_does_not_fit_and_unknown_types_are_stored_for_replay() {
        let invalid = plan(&event(
            r#"{"type":"user.created","data":{"object":"user"}}"#,
        ));
        assert_eq!(invalid.status, Status::Invalid);
        assert!(invalid.error.unwrap().starts_with("data"));
        let unknown = plan(&event(r#"{"type":"user.teleported","data":{}}"#));
        assert_eq!((unknown.status, unknown.change), (Status::Unknown, None));
        assert!(Status::REPLAYED.contains(&Status::Invalid));
        assert!(!Status::REPLAYED.contains(&Status::Handled));
    }
}
