//! The active organization of a session token: its role and permissions, read as Clerk's JS
//! reads them, through one rule per token version (`v1_name` for `org_permissions`,
//! [`masks`](super::masks) for `fea`, `o.per` and `o.fpm`) that both listing and checking
//! apply.

use core::fmt;

use super::ClaimList;
use super::masks;
use super::permission::{ORG, OrgPermission};

fn strip_org(text: &str) -> &str {
    text.strip_prefix(ORG).unwrap_or(text)
}

/// `text` without every leading `org:`: what Clerk's JS `prefixWithOrg` replaces
/// (`value.replace(/^(org:)*/, 'org:')`) before it looks a version 1 permission up.
fn strip_all_org(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix(ORG) {
        text = rest;
    }
    text
}

/// The name of a version 1 `org_permissions` entry, if the entry is one Clerk's JS can
/// grant: `org:<name>`, exactly as `prefixWithOrg(<name>)` writes it (so `org_permission`,
/// which lacks the prefix, and `org:org:x`, which has two, are granted by nothing). An
/// empty name (`org:`) is never granted, though Clerk's JS would grant it to `has("")`.
/// The one rule that both [`ActiveOrganization::permissions`] and
/// [`ActiveOrganization::has_permission`] apply.
fn v1_name(entry: &str) -> Option<&str> {
    let name = entry.strip_prefix(ORG)?;
    (!name.is_empty() && strip_all_org(name) == name).then_some(name)
}

/// The active organization of a session token, borrowed from its claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveOrganization<'a> {
    pub(super) id: &'a str,
    pub(super) slug: Option<&'a str>,
    pub(super) role: Option<&'a str>,
    pub(super) permissions: PermissionSource<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PermissionSource<'a> {
    /// Version 1: `org_permissions`, complete.
    List(&'a [String]),
    /// Version 2: computed from `fea`, `o.per` and `o.fpm`. Without any of them, nothing
    /// is granted.
    Masks {
        features: Option<&'a ClaimList>,
        per: Option<&'a ClaimList>,
        fpm: Option<&'a str>,
    },
}

impl<'a> ActiveOrganization<'a> {
    /// The organization's ID.
    #[must_use]
    pub const fn id(&self) -> &'a str {
        self.id
    }

    /// The organization's slug, if the token carries it.
    #[must_use]
    pub const fn slug(&self) -> Option<&'a str> {
        self.slug
    }

    /// The user's role, if the token carries one.
    #[must_use]
    pub const fn role(&self) -> Option<OrgRole<'a>> {
        match self.role {
            Some(text) => Some(OrgRole(text)),
            None => None,
        }
    }

    /// Whether the user's role is `role` (`org:admin` and `admin` are the same role).
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        self.role().is_some_and(|r| r.matches(role))
    }

    /// The user's permissions in the organization, in the token's order: exactly those
    /// [`has_permission`](Self::has_permission) grants. A version 1 entry that Clerk's JS
    /// could never grant (`org_permission`, without the `org:` prefix) is left out.
    #[must_use]
    pub fn permissions(&self) -> Permissions<'a> {
        Permissions {
            inner: match self.permissions {
                PermissionSource::List(list) => PermissionsInner::List(list.iter()),
                PermissionSource::Masks { features, per, fpm } => {
                    let text = |list: Option<&'a ClaimList>| list.map_or("", ClaimList::as_str);
                    PermissionsInner::Masks(masks::MaskPermissions::new(
                        text(features),
                        text(per),
                        fpm.unwrap_or_default(),
                    ))
                }
            },
        }
    }

    /// Whether the user has `permission` (`org:<feature>:<permission>`, or without the
    /// `org:` prefix). Nothing malformed or missing grants anything.
    #[must_use]
    pub fn has_permission(&self, permission: &str) -> bool {
        match self.permissions {
            PermissionSource::List(list) => {
                let wanted = strip_all_org(permission);
                !wanted.is_empty() && list.iter().any(|entry| v1_name(entry) == Some(wanted))
            }
            PermissionSource::Masks { features, per, fpm } => {
                grants_permission(features, per, fpm, permission)
            }
        }
    }
}

/// Whether version 2 claims grant `permission` (`org:<feature>:<permission>`, or without
/// the `org:` prefix): split at its first `:`, then the one rule of [`masks::grants`].
pub(super) fn grants_permission(
    features: Option<&ClaimList>,
    per: Option<&ClaimList>,
    fpm: Option<&str>,
    permission: &str,
) -> bool {
    let Some((feature, name)) = strip_org(permission).split_once(':') else {
        return false;
    };
    match (features, per, fpm) {
        (Some(features), Some(per), Some(fpm)) => {
            masks::grants(features.as_str(), per.as_str(), fpm, feature, name)
        }
        // An absent `fea` or `per` has no entry, and an absent `fpm` no mask.
        _ => false,
    }
}

/// A role in an organization. It displays with the `org:` prefix, added once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrgRole<'a>(&'a str);

impl<'a> OrgRole<'a> {
    /// The role Clerk names `text` (with or without the `org:` prefix).
    pub(crate) const fn from_text(text: &'a str) -> Self {
        Self(text)
    }

    /// The role without the `org:` prefix, such as `admin`.
    #[must_use]
    pub fn key(&self) -> &'a str {
        strip_org(self.0)
    }

    /// Whether this is `role`, with or without the `org:` prefix.
    #[must_use]
    pub fn matches(&self, role: &str) -> bool {
        let wanted = strip_org(role);
        !wanted.is_empty() && self.key() == wanted
    }
}

impl fmt::Display for OrgRole<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{ORG}{}", self.key())
    }
}

/// The permissions of an [`ActiveOrganization`], computed as they are iterated (no allocation).
#[derive(Clone, Debug)]
pub struct Permissions<'a> {
    inner: PermissionsInner<'a>,
}

#[derive(Clone, Debug)]
enum PermissionsInner<'a> {
    List(core::slice::Iter<'a, String>),
    Masks(masks::MaskPermissions<'a>),
}

impl<'a> Iterator for Permissions<'a> {
    type Item = OrgPermission<'a>;

    fn next(&mut self) -> Option<OrgPermission<'a>> {
        match &mut self.inner {
            PermissionsInner::List(list) => list
                .find(|entry| v1_name(entry).is_some())
                .map(|entry| OrgPermission::text(entry.as_str())),
            PermissionsInner::Masks(masks) => masks.next(),
        }
    }
}
