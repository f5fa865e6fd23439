//! Helpers on [`User`] and [`OrganizationMembership`]: the fields users
//! reach for, found without allocating.

use core::fmt;

use crate::{
    EmailAddress, ExternalAccountWithVerification, OrgRole as Role, OrganizationMembership,
    PhoneNumber, User,
};

impl User {
    /// The primary email address: the entry of `email_addresses` whose `id` is
    /// `primary_email_address_id`. `None` when the user has none, or when the list does not
    /// hold it (never another address in its place).
    ///
    /// ```
    /// let user: clerk_models::User = clerk_models::from_str(r#"{"object": "user", "id": "user_1",
    ///   "username": null, "first_name": null, "last_name": null,
    ///   "primary_email_address_id": "idn_2", "primary_phone_number_id": null,
    ///   "primary_web3_wallet_id": null, "password_enabled": false, "two_factor_enabled": false,
    ///   "email_addresses": [
    ///     {"object": "email_address", "id": "idn_1", "email_address": "old@example.com",
    ///      "verification": null, "linked_to": []},
    ///     {"object": "email_address", "id": "idn_2", "email_address": "ada@example.com",
    ///      "verification": {"status": "verified", "strategy": "email_code"}, "linked_to": []}],
    ///   "phone_numbers": [], "web3_wallets": [], "external_accounts": [],
    ///   "public_metadata": {}, "external_id": null, "last_sign_in_at": null,
    ///   "created_at": 1744276393000, "updated_at": 1744276393000}"#)?;
    /// let primary = user.primary_email_address().map(|e| e.email_address.as_str());
    /// assert_eq!(primary, Some("ada@example.com"));
    /// let status = user.primary_email_address().and_then(|e| e.verification.as_ref()?.status());
    /// assert_eq!(status, Some("verified"));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id.as_deref() == Some(id))
    }

    /// The primary phone number: the entry of `phone_numbers` whose `id` is
    /// `primary_phone_number_id`, as [`primary_email_address`](Self::primary_email_address)
    /// finds the email address.
    #[must_use]
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        let id = self.primary_phone_number_id.as_deref()?;
        self.phone_numbers
            .iter()
            .find(|p| p.id.as_deref() == Some(id))
    }

    /// `first_name` and `last_name`, joined by a space when both are there, as Clerk's
    /// `fullName` is; it displays as an empty string when the user has neither
    /// ([`FullName::is_empty`]). Nothing is allocated until you format it.
    #[must_use]
    pub fn full_name(&self) -> FullName<'_> {
        fn part(name: Option<&str>) -> Option<&str> {
            name.map(str::trim).filter(|n| !n.is_empty())
        }
        FullName {
            first: part(self.first_name.as_deref()),
            last: part(self.last_name.as_deref()),
        }
    }

    /// The external account of `provider`, compared with its `provider` exactly as Clerk
    /// names it (`oauth_google`, `oauth_github`, `oauth_custom_<name>`): the first one, if
    /// the user linked several.
    #[must_use]
    pub fn external_account(&self, provider: &str) -> Option<&ExternalAccountWithVerification> {
        self.external_accounts
            .iter()
            .find(|account| account.provider == provider)
    }
}

/// A user's full name, from [`User::full_name`]: displays as `first last`, either alone, or
/// nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FullName<'a> {
    first: Option<&'a str>,
    last: Option<&'a str>,
}

impl FullName<'_> {
    /// Whether the user has neither a first nor a last name.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.first.is_none() && self.last.is_none()
    }
}

impl fmt::Display for FullName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.first, self.last) {
            (Some(first), Some(last)) => write!(f, "{first} {last}"),
            (Some(name), None) | (None, Some(name)) => f.write_str(name),
            (None, None) => Ok(()),
        }
    }
}

impl OrganizationMembership {
    /// The member's role, as the session token's [`ActiveOrganization::role`] gives it: it
    /// displays with the `org:` prefix, and [`OrgRole::matches`] compares keys with or without
    /// it.
    ///
    /// [`ActiveOrganization::role`]: crate::ActiveOrganization::role
    /// [`OrgRole::matches`]: crate::OrgRole::matches
    #[must_use]
    pub fn role(&self) -> Role<'_> {
        Role::from_text(self.role.as_str())
    }

    /// Whether the member's role is `role` (`org:admin` and `admin` are the same role), as
    /// the token's `has_role` decides.
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        self.role().matches(role)
    }
}
