//! Everything the generator decides that is not in `schemas/`, in one place.

/// Folder of the JSON Schemas, relative to the workspace root.
pub const SCHEMA_DIR: &str = "schemas";

/// The folder of the generated modules, relative to the workspace root: everything in it is
/// written by `cargo xtask codegen`, and a file codegen does not write is an error there.
pub const GENERATED_DIR: &str = "crates/clerk-models/src/generated";

/// `$defs` entries whose Rust name differs from the schema name, as
/// `(file, schema name, rust name)`. A rename is checked (a stale one is an error) when its
/// file is among the schemas being generated.
///
/// Clerk's spec calls the activity object `SessionActivityResponse`; users see
/// `SessionActivity`. The webhook envelope and its hoisted parts get short names.
pub const RENAMES: &[(&str, &str, &str)] = &[
    ("session.json", "SessionActivityResponse", "SessionActivity"),
    (
        "webhook-event.json",
        "WebhookEventPayload",
        "WebhookEnvelope",
    ),
    (
        "webhook-event.json",
        "WebhookEventPayloadEventAttributes",
        "EventAttributes",
    ),
    (
        "webhook-event.json",
        "WebhookEventPayloadEventAttributesHttpRequest",
        "HttpRequest",
    ),
];

/// What `cargo xtask import-openapi` takes from Clerk's Backend API spec, as
/// `(file, root component)`: each file of `schemas/` holds its root component and every
/// component the root references, transitively, unless an earlier file already holds it.
/// One file per group of models a dependent thinks of as one thing.
pub const IMPORT: &[(&str, &str)] = &[
    ("session.json", "Session"),
    ("client.json", "Client"),
    ("organization.json", "Organization"),
    ("organization-membership.json", "OrganizationMembership"),
    ("user.json", "User"),
    ("organization-invitation.json", "OrganizationInvitation"),
    ("organization-domain.json", "OrganizationDomain"),
    ("role.json", "Role"),
    ("waitlist-entry.json", "WaitlistEntry"),
    ("deleted-object.json", "DeletedObject"),
];

/// The same for Clerk's webhooks spec (an OpenAPI document with `x-webhooks`): the event
/// envelope and the data of the events the Backend API has no component for. A component
/// that a file of [`IMPORT`] holds is never imported from here: the Backend API spec is the
/// newer of the two (its `Session`, `User`, `Organization`… are the source of truth), so the
/// webhook files reference it there, and `schema-diff` reports where the two specs differ.
pub const WEBHOOK_IMPORT: &[(&str, &str)] = &[
    ("webhook-event.json", "WebhookEventPayload"),
    (
        "organization-invitation-accepted.json",
        "OrganizationInvitationAcceptedPayload",
    ),
    ("email.json", "EmailEventPayload"),
    ("sms.json", "SmsEventPayload"),
    (
        "billing-subscription-item.json",
        "BillingSubscriptionItemEventPayload",
    ),
    ("billing-subscription.json", "SubscriptionEventPayload"),
    ("billing-payment-attempt.json", "PaymentAttemptEventPayload"),
];

/// The webhooks spec's envelope component, which every event of `x-webhooks` extends with a
/// required `data`.
pub const WEBHOOK_ENVELOPE: &str = "WebhookEventPayload";

/// The envelope property that names the event; the import writes the keys of `x-webhooks`
/// into it as known values, each with its event's description.
pub const WEBHOOK_EVENT_TYPE_PROPERTY: &str = "type";

/// The envelope property that holds the event's object. The import adds it to the envelope
/// as raw JSON and always requires it, although the spec leaves it optional for a few events:
/// a body without it is not an event (`@clerk/backend`'s `verifyWebhook` and every handler
/// read it), so a delivery without it is refused, while one whose `data` does not fit its
/// model is kept as `EventData::Invalid`.
pub const WEBHOOK_DATA_PROPERTY: &str = "data";

/// The folder of `schemas/` that holds the Backend API's operations, one file per group, and
/// the components only operations reach (`clerk-models-api`'s models).
pub const API_SCHEMA_DIR: &str = "api";

/// The file of [`API_SCHEMA_DIR`] (without `.json`) that holds the components several groups
/// of operations reach.
pub const API_SHARED_FILE: &str = "shared";

/// The keyword under which a file of [`API_SCHEMA_DIR`] lists its operations.
pub const OPERATIONS_KEYWORD: &str = "x-clerk-operations";

/// The keyword of `api/index.json` that gives the API's version and server.
pub const API_KEYWORD: &str = "x-clerk-api";

/// The keyword that marks a success response as a list of its `items`: `paginated` (a
/// `PaginatedList`, which reads the `data`/`total_count` envelope and a bare array) or
/// `bare` (a `Vec`).
pub const RESPONSE_LIST_KEYWORD: &str = "x-clerk-list";

/// The keys of the Backend API's list envelope.
pub const LIST_DATA_KEY: &str = "data";

/// See [`LIST_DATA_KEY`].
pub const LIST_COUNT_KEY: &str = "total_count";

/// The query parameter that asks a list operation for the paginated envelope instead of a
/// bare array (`GetSessionList`'s `paginated=true`): its response is read as a
/// `PaginatedList`, which takes both.
pub const PAGINATED_PARAMETER: &str = "paginated";

/// The query parameters by which a list operation pages: how many, from where.
pub const LIMIT_PARAMETER: &str = "limit";

/// See [`LIMIT_PARAMETER`].
pub const OFFSET_PARAMETER: &str = "offset";

/// The generated folder of `clerk-models-api`: its models (`models/`), one module per group
/// of operations, and the module file.
pub const API_GENERATED_DIR: &str = "crates/clerk-models-api/src/generated";

/// Where `cargo xtask codegen` writes `clerk-models-api`'s operation tests, relative to the
/// workspace root (the hand-written `tests/operations.rs` holds what they call).
pub const API_TESTS_DIR: &str = "crates/clerk-models-api/tests/generated";

/// `clerk-models-api`'s manifest, whose features (one per group of operations) the xtask
/// writes between [`API_FEATURES_BEGIN`] and [`API_FEATURES_END`].
pub const API_MANIFEST: &str = "crates/clerk-models-api/Cargo.toml";

/// The line before the generated features of [`API_MANIFEST`].
pub const API_FEATURES_BEGIN: &str =
    "# @generated by `cargo xtask codegen`: one feature per group of operations.";

/// The line after them.
pub const API_FEATURES_END: &str = "# end of the generated features";

/// The groups of operations `clerk-models-api` builds by default: what a typical backend
/// calls (its users' sessions and clients, users, organizations with their memberships and
/// invitations, the JWKS, and the machine tokens it verifies). `full` builds every group.
pub const API_DEFAULT_GROUPS: &[&str] = &[
    "sessions",
    "clients",
    "users",
    "organizations",
    "organization_memberships",
    "organization_invitations",
    "jwks",
    "m2m",
    "api_keys",
    "oauth_access_tokens",
];

/// The last path segment of the `POST` operations that change nothing (`/api_keys/verify`,
/// `/clients/verify`, `/m2m_tokens/verify`, `/oauth_applications/access_tokens/verify`), so
/// a client may send them again after a failure (`Endpoint::IDEMPOTENT`). Every `GET`, `PUT`
/// and `DELETE` is idempotent by HTTP's rules; no other `POST` and no `PATCH` is.
pub const RETRY_SAFE_SEGMENT: &str = "verify";

/// The prefixes of the secret keys the Backend API takes (a development instance's, a
/// production instance's): `SecretKey` refuses any other value.
pub const SECRET_KEY_PREFIXES: &[&str] = &["sk_test_", "sk_live_"];

/// The header that names the API version a request is written for; its value is the
/// spec's `info.version`.
pub const VERSION_HEADER: &str = "Clerk-API-Version";

/// The response headers that carry a trace id when the error body has none (its
/// `clerk_trace_id`), in the order they are read.
pub const TRACE_ID_HEADERS: &[&str] = &["clerk-trace-id", "cf-ray"];

/// Groups of event types by what their `data` holds, as `(spec component, group)`: an event
/// whose `data` is that component gets the group (a component named directly wins over one
/// an `allOf` includes: `SessionEventPayload` is a `Session` with its `user`), the generated
/// `EventType` an `is_<group>()`, and the generated `EventData` a variant named after the
/// group, holding the component's Rust type. Every event type of the spec must fall in one.
pub const WEBHOOK_DATA_GROUPS: &[(&str, &str)] = &[
    ("Session", "session"),
    ("User", "user"),
    ("Organization", "organization"),
    ("OrganizationMembership", "organization_membership"),
    (
        "OrganizationInvitationAcceptedPayload",
        "accepted_invitation",
    ),
    ("OrganizationInvitation", "organization_invitation"),
    ("OrganizationDomain", "organization_domain"),
    ("Role", "role"),
    ("Permission", "permission"),
    ("WaitlistEntry", "waitlist_entry"),
    ("EmailEventPayload", "email"),
    ("SmsEventPayload", "sms"),
    ("SubscriptionEventPayload", "subscription"),
    ("BillingSubscriptionItemEventPayload", "subscription_item"),
    ("PaymentAttemptEventPayload", "payment_attempt"),
    ("DeletedObject", "deleted"),
];

/// Objects that events carry beside their `data`'s own fields, as
/// `(group, property, component)`: a session event's `data` is the `Session` with the whole
/// `user` in it (the webhooks spec's `SessionEventPayload`), which `WebhookEvent::user`
/// decodes as the `User` of `user.json`.
pub const WEBHOOK_EMBEDDED: &[(&str, &str, &str)] = &[("session", "user", "User")];

/// The schema keyword that marks a property as raw JSON, kept as received
/// (`clerk_models::RawJson`) for the caller to decode later.
pub const RAW_KEYWORD: &str = "x-clerk-raw";

/// The schema keyword that marks a string property as a comma-separated list, kept as
/// received (`clerk_models::ClaimList`): for the lists a permission check reads.
pub const LIST_KEYWORD: &str = "x-clerk-comma-list";

/// Rust names of the enums hoisted from properties, as `(type, property, rust name)`; a
/// hoisted enum is otherwise named `<Type><Property>`.
pub const ENUM_NAMES: &[(&str, &str, &str)] = &[
    ("OrganizationMembership", "role", "MembershipRole"),
    ("SessionTask", "key", "TaskKey"),
    ("WebhookEventPayload", "type", "EventType"),
    ("ActorClaims", "type", "ActorType"),
];

/// The rule by which the importer marks an integer property as a Unix millisecond timestamp
/// ([`TIMESTAMP_KEYWORD`]), since Clerk's spec has no format for one: its name ends in
/// [`TIMESTAMP_SUFFIX`] (`created_at`, `expire_at`, `last_active_at`: the Backend API's
/// every timestamp), or its description starts with [`TIMESTAMP_DESCRIPTION`] (the
/// envelope's `timestamp`, an SMS's `created_at_ms`, billing's `period_start`). Every one is
/// in milliseconds: real deliveries send 13 digits (an envelope's 1744276393644, 18 ms after
/// its user's `updated_at`), as Clerk's webhook docs show; only the spec's examples use
/// seconds. A property the rule takes that is not a timestamp goes in [`NOT_TIMESTAMPS`].
pub const TIMESTAMP_SUFFIX: &str = "_at";

/// See [`TIMESTAMP_SUFFIX`]; compared without regard to case.
pub const TIMESTAMP_DESCRIPTION: &str = "Unix timestamp";

/// Exceptions to the timestamp rule, as `(component, property)`: none in Clerk's specs
/// today. An entry the specs do not have is an error, so the list cannot go stale.
pub const NOT_TIMESTAMPS: &[(&str, &str)] = &[];

/// The evidence of the examples Clerk's dashboard sends when a user clicks "Send example" on
/// a webhook endpoint (its event catalog): the first deliveries a new endpoint receives.
const DASHBOARD_EXAMPLES: &str = "Absent from the examples Clerk's dashboard sends with \
    \"Send example\" (its webhook event catalog, as copied in PolarCoding85/vibe-kit-convex \
    docs/clerk/events-catalog @ 27c9f45f and andrictham/clerk-webhooks-inconsistent-payloads \
    @ e6d9c31e) for organization.*, organizationMembership.* and organizationInvitation.*; \
    shared/fixtures/clerk/webhooks/ (MANIFEST.json names each file's source).";

/// Keys the spec calls required that Clerk's own payloads leave out, with the payload that
/// shows it: the import drops them from `required` (an absent list decodes as empty, an
/// absent fact as `None`, never as an invented `false`) and writes the evidence as the
/// property's `$comment`. Every other required key stays required. An entry whose component
/// the spec being imported lacks is skipped; one whose property it lacks is an error.
pub const OMITTED_BY_CLERK: &[Omitted] = &[
    Omitted {
        component: "WebhookEventPayload",
        properties: &["instance_id"],
        evidence: "Absent from deliveries before 2025 and from the user.created example of \
                   Clerk's docs (clerk.com/docs/core-1/integrations/webhooks/overview, \
                   \"Payload structure\"); tests/fixtures/webhooks/docs-user-created.json.",
    },
    Omitted {
        component: "WebhookEventPayload",
        properties: &["timestamp"],
        evidence: "Absent from the payload structure of Clerk's webhook docs of 2022 and 2023 \
                   (clerk.dev/docs/integration/webhooks, reference.clerk.dev/reference/webhooks: \
                   `{\"object\": \"event\", \"type\": \"user.created\", \"data\": {...}}`), \
                   the form of deliveries of that time; tests/fixtures/webhooks/\
                   docs-2022-no-timestamp.json.",
    },
    Omitted {
        component: "User",
        properties: &[
            "has_image",
            "passkeys",
            "saml_accounts",
            "enterprise_accounts",
            "totp_enabled",
            "backup_code_enabled",
            "mfa_enabled_at",
            "mfa_disabled_at",
            "banned",
            "locked",
            "lockout_expires_in_seconds",
            "verification_attempts_remaining",
            "delete_self_enabled",
            "create_organization_enabled",
            "last_active_at",
            "legal_accepted_at",
        ],
        evidence: "Absent from the user.created example of Clerk's docs \
                   (clerk.com/docs/core-1/integrations/webhooks/overview, \"Payload \
                   structure\"), which predates these fields; \
                   tests/fixtures/webhooks/docs-user-created.json.",
    },
    Omitted {
        component: "EmailAddress",
        properties: &["reserved", "created_at", "updated_at"],
        evidence: "Absent from the email addresses of the user.created example of Clerk's \
                   docs (clerk.com/docs/core-1/integrations/webhooks/overview); \
                   tests/fixtures/webhooks/docs-user-created.json.",
    },
    Omitted {
        component: "Organization",
        properties: &[
            "has_image",
            "max_allowed_memberships",
            "admin_delete_enabled",
        ],
        evidence: DASHBOARD_EXAMPLES,
    },
    Omitted {
        component: "OrganizationMembership",
        properties: &["permissions", "public_metadata"],
        evidence: DASHBOARD_EXAMPLES,
    },
    Omitted {
        component: "OrganizationMembershipPublicUserData",
        properties: &["has_image"],
        evidence: DASHBOARD_EXAMPLES,
    },
    Omitted {
        component: "OrganizationInvitation",
        properties: &[
            "role_name",
            "public_metadata",
            "url",
            "expires_at",
            "inviter_id",
            "public_inviter_data",
        ],
        evidence: DASHBOARD_EXAMPLES,
    },
    Omitted {
        component: "OrganizationInvitationAcceptedPayload",
        properties: &["user_id"],
        evidence: DASHBOARD_EXAMPLES,
    },
    Omitted {
        component: "OrganizationInvitationAcceptedPayload",
        properties: &["data"],
        evidence: "Absent from the organizationInvitation.accepted example of Clerk's \
                   webhooks spec (clerk-webhooks-2025-04-15.yml, the example of its request \
                   body).",
    },
    Omitted {
        component: "BillingPayerEventPayload",
        properties: &["organization_id", "organization_name"],
        evidence: "Absent from the payer, a user, of the paymentAttempt.created and \
                   paymentAttempt.updated examples of Clerk's webhooks spec \
                   (clerk-webhooks-2025-04-15.yml, the examples of their request bodies).",
    },
    Omitted {
        component: "PaymentAttemptEventPayload",
        properties: &["invoice_id"],
        evidence: "Absent from the paymentAttempt.created and paymentAttempt.updated examples \
                   of Clerk's webhooks spec (clerk-webhooks-2025-04-15.yml, the examples of \
                   their request bodies), which send `statement_id`.",
    },
    Omitted {
        component: "BillingSubscriptionItem",
        properties: &["object", "created_at", "updated_at", "interval"],
        evidence: "Absent from the subscription items of the paymentAttempt.created and \
                   paymentAttempt.updated examples of Clerk's webhooks spec \
                   (clerk-webhooks-2025-04-15.yml, the examples of their request bodies), \
                   which send the period as `plan_period`, a key the schema does not list.",
    },
    Omitted {
        component: "Invitation",
        properties: &["public_metadata"],
        evidence: "Absent from the invitation of the waitlistEntry.updated example of \
                   Clerk's webhooks spec (clerk-webhooks-2025-04-15.yml, the example of its \
                   request body).",
    },
    Omitted {
        component: "Role",
        properties: &["is_creator_eligible"],
        evidence: "Absent from the role.updated example of Clerk's webhooks spec \
                   (clerk-webhooks-2025-04-15.yml, the example of its request body).",
    },
    Omitted {
        component: "SmsEventPayload",
        properties: &["created_at_ms"],
        evidence: "Absent from the sms.created example of Clerk's webhooks spec \
                   (clerk-webhooks-2025-04-15.yml, the example of its request body), which \
                   sends the time as `created_at`, a key the schema does not list.",
    },
];

/// Values Clerk's own payloads send for a property beside those its spec's `enum` lists, with
/// the payload that shows it: the import adds them to the `enum` and writes the evidence as
/// the property's `$comment`. (A one-valued `object` enum is a closed discriminator; with a
/// second value it becomes an open enum.)
pub const ALSO_SENT: &[AlsoSent] = &[
    AlsoSent {
        component: "BillingSubscriptionItemEventPayload",
        property: "object",
        values: &["subscription_item"],
        evidence: "Every subscriptionItem.* example of Clerk's webhooks spec \
               (clerk-webhooks-2025-04-15.yml, components.examples.SubscriptionItem*Example) \
               sends `object: subscription_item`, while its schema lists only \
               `commerce_subscription_item`, which the items of a subscription send.",
    },
    AlsoSent {
        component: "WaitlistEntry",
        property: "object",
        values: &["waitlistEntry"],
        evidence: "The waitlistEntry.created and waitlistEntry.updated examples of Clerk's \
                   webhooks spec (clerk-webhooks-2025-04-15.yml, the examples of their request \
                   bodies) send `object: waitlistEntry`; the Backend API spec lists only \
                   `waitlist_entry`.",
    },
];

/// One entry of [`ALSO_SENT`].
#[derive(Debug, Clone, Copy)]
pub struct AlsoSent {
    /// The spec component.
    pub component: &'static str,
    /// Its string property with an `enum`.
    pub property: &'static str,
    /// The values to add, in order.
    pub values: &'static [&'static str],
    /// The payload that shows them.
    pub evidence: &'static str,
}

/// One entry of [`OMITTED_BY_CLERK`].
#[derive(Debug, Clone, Copy)]
pub struct Omitted {
    /// The spec component.
    pub component: &'static str,
    /// Its properties that Clerk's payloads omit.
    pub properties: &'static [&'static str],
    /// The payload that shows it, and where it is kept.
    pub evidence: &'static str,
}

/// The keys that tell the members of a `oneOf` apart, in the order they are tried: the
/// spec's `discriminator.propertyName` (`object`) and then `strategy`, because Clerk's
/// payloads often leave `object` out of a verification (`{"status": "verified",
/// "strategy": "admin"}`). A member is chosen by a key's value among the values its
/// property's `enum` lists, or that its `pattern` starts with (`^from_oauth_`); a value no
/// member claims decodes as the union's `Unknown`, keeping its JSON.
pub const UNION_KEYS: &[&str] = &["object", "strategy"];

/// The schema keyword that lists the values Clerk documents for a string property whose spec
/// gives no `enum`, without closing it: `[{"value": "...", "description": "..."}, ...]`. The
/// generator turns the property into an open enum (the known values plus a catch-all that keeps
/// any other text), exactly like a spec enum.
pub const KNOWN_VALUES_KEYWORD: &str = "x-clerk-known-values";

/// What `cargo xtask import-openapi` writes under [`KNOWN_VALUES_KEYWORD`], because Clerk's
/// spec lists no values for these properties. An entry whose component a spec lacks (older
/// specs have no `SessionTask`) is skipped.
pub const KNOWN_VALUES: &[KnownValues] = &[
    KnownValues {
        component: "SessionTask",
        property: "key",
        sources: "Task keys as Clerk documents them: the SessionTask['key'] union of the JS SDK \
              (packages/shared/src/types/session.ts), the 'Tasks after sign-up/sign-in' page \
              of Clerk's docs (guides/configure/session-tasks), and the iOS and Android SDKs, \
              which also keep an unknown key.",
        values: &[
            (
                "choose-organization",
                "The user must choose or create an organization (personal accounts are disabled).",
            ),
            (
                "reset-password",
                "The user must set a new password, because the current one was marked compromised.",
            ),
            (
                "setup-mfa",
                "The user must set up multi-factor authentication, which the instance requires.",
            ),
        ],
    },
    KnownValues {
        component: "OrganizationMembership",
        property: "role",
        sources: "Roles as Clerk documents them: the default roles of 'Roles and permissions' \
              (guides/organizations/roles-and-permissions: org:admin, org:member), and the \
              legacy keys that instances created before 2023 and the dashboard's example \
              events still send (admin, basic_member; OrganizationMembershipRole in \
              @clerk/shared). A custom role is any other `org:<key>`.",
        values: &[
            (
                "org:admin",
                "The default admin role: every system permission.",
            ),
            (
                "org:member",
                "The default member role: read members and billing.",
            ),
            ("admin", "The legacy admin role of older instances."),
            ("basic_member", "The legacy member role of older instances."),
        ],
    },
];

/// Known values of one open string property; see [`KNOWN_VALUES`].
#[derive(Debug, Clone, Copy)]
pub struct KnownValues {
    /// The spec component.
    pub component: &'static str,
    /// Its string property.
    pub property: &'static str,
    /// Where the values come from, written as the property's `$comment`.
    pub sources: &'static str,
    /// `(value, description)`, in the order the generated enum declares them.
    pub values: &'static [(&'static str, &'static str)],
}

/// The schema keyword that marks an integer property as a Unix timestamp in milliseconds.
pub const TIMESTAMP_KEYWORD: &str = "x-clerk-timestamp";

/// [`TIMESTAMP_KEYWORD`]'s value for Unix milliseconds (the Backend API and webhooks), the
/// unit the importer writes.
pub const TIMESTAMP_UNIT: &str = "unix-ms";

/// [`TIMESTAMP_KEYWORD`]'s value for Unix seconds (a JWT's `iat`, `exp`, `nbf`).
pub const TIMESTAMP_UNIT_SECONDS: &str = "unix-s";

/// The schema keyword on an object type whose keys the schema does not list are kept: its
/// value names the Rust field that collects them. The generated struct gets a type parameter
/// for that field, defaulting to [`OTHER_CLAIMS_TYPE`], so a user can type their own claims.
pub const OTHER_CLAIMS_KEYWORD: &str = "x-clerk-other-claims";

/// The type parameter of a struct with [`OTHER_CLAIMS_KEYWORD`].
pub const OTHER_CLAIMS_PARAM: &str = "C";

/// The default of the type parameter [`OTHER_CLAIMS_KEYWORD`] adds: a map that keeps every
/// key as received.
pub const OTHER_CLAIMS_TYPE: &str = "::clerk_models::OtherClaims";

/// Files of `schemas/` written by hand (from Clerk's docs, where Clerk publishes no schema):
/// imports keep them and never write them.
pub const HAND_WRITTEN: &[&str] = &[
    "session-token.json",
    "m2m-token.json",
    "oauth-access-token.json",
];

/// Variant groups of the string enums, as `(enum, group, values)`: the `StringEnum` derive
/// turns each into `is_<group>()`. A value that is not in the enum is an error, not ignored.
pub const GROUPS: &[(&str, &str, &[&str])] = &[(
    "SessionStatus",
    "terminal",
    &[
        "revoked",
        "ended",
        "expired",
        "removed",
        "abandoned",
        "replaced",
    ],
)];

/// Variant names for enum values made of symbols only, which have no words to be named
/// after: `CreateAgentTask`'s `permissions` may be `*` (every permission), and
/// `UpdateInstance`'s strategy may be `""` (none chosen).
pub const SYMBOL_VARIANTS: &[(&str, &str)] = &[("*", "Wildcard"), ("", "Empty")];

/// Name of the catch-all variant of every open enum.
pub const CATCH_ALL_VARIANT: &str = "Unknown";

/// Name of the `EventData` variant for the `data` of a known event type that does not fit
/// its model: kept as received with the error (`clerk_models::InvalidData`), never refused.
pub const INVALID_DATA_VARIANT: &str = "Invalid";

/// The first lines of the generated file.
pub const HEADER: &str = "\
// @generated by `cargo xtask codegen` from the JSON Schemas in `schemas/`. Do not edit by hand:
// change the schema or the xtask, then run `cargo xtask codegen`.
";

/// The classes of token a Clerk backend receives, in the order `jwt::TokenType` declares
/// them, with what tells each apart. Clerk signs the JWT forms of the first three with the
/// same instance key, so a verifier of one class must refuse the others before it trusts a
/// claim. Sources: `@clerk/backend`'s `tokens/tokenTypes.ts` (the names), `tokens/machine.ts`
/// (the opaque prefixes and `getMachineTokenType`), `jwt/assertions.ts` (`assertHeaderType`:
/// a session token's `typ` is absent or `JWT`), `jwt/verifyMachineJwt.ts` (an OAuth JWT's
/// `typ` is `at+jwt` or `application/at+jwt`, RFC 9068; an M2M JWT's `sub` starts `mch_`),
/// `tokens/jwtCategories.ts` (the header `cat`), and Clerk's machine-auth docs (the Backend
/// API endpoints that verify each opaque form).
pub const TOKEN_TYPES: &[TokenClass] = &[
    TokenClass {
        variant: "SessionToken",
        name: "session_token",
        doc: "A session token: the JWT a signed-in user's browser or app sends on every request, \
              decoded as `SessionClaims`.",
        opaque_prefix: None,
        verify_endpoint: None,
        jwt: Some(JwtClass {
            header_types: &["JWT"],
            header_type_required: false,
            categories: &["cl_B7d4PD111AAA"],
            subject: SubjectRule::NotMachine,
        }),
    },
    TokenClass {
        variant: "M2mToken",
        name: "m2m_token",
        doc: "A machine-to-machine token: one of your machines calling another in its own name. \
              Its JWT form decodes as `M2mTokenClaims`.",
        opaque_prefix: Some("mt_"),
        verify_endpoint: Some("POST /m2m_tokens/verify"),
        jwt: Some(JwtClass {
            header_types: &["JWT"],
            header_type_required: false,
            categories: &["cl_B7d4PD333AAA"],
            subject: SubjectRule::Machine,
        }),
    },
    TokenClass {
        variant: "OAuthToken",
        name: "oauth_token",
        doc: "An OAuth access token: a third-party OAuth application acting for a user, with the \
              scopes the user granted it. Its JWT form decodes as `OAuthAccessTokenClaims`.",
        opaque_prefix: Some("oat_"),
        verify_endpoint: Some("POST /oauth_applications/access_tokens/verify"),
        jwt: Some(JwtClass {
            header_types: &["at+jwt", "application/at+jwt"],
            header_type_required: true,
            categories: &[],
            subject: SubjectRule::Any,
        }),
    },
    TokenClass {
        variant: "ApiKey",
        name: "api_key",
        doc: "An API key: a long-lived secret your users or machines hold. It has no JWT form.",
        opaque_prefix: Some("ak_"),
        verify_endpoint: Some("POST /api_keys/verify"),
        jwt: None,
    },
];

/// The header `cat` that instances with `use_ignore_jwt_cat` stamp on every class: it names
/// none, so every verifier accepts it (`tokens/jwtCategories.ts`, `JWT_CATEGORY_IGNORE`).
pub const JWT_CATEGORY_IGNORE: &str = "cl_I7d4PD111III";

/// Every header `cat` Clerk documents, with the class it names, for errors that say what a
/// refused token was (`tokens/jwtCategories.ts`). A value not listed is quoted as it is.
pub const JWT_CATEGORIES: &[(&str, &str)] = &[
    ("cl_B7d4PD111AAA", "a session token"),
    ("cl_B7d4PD222AAA", "a JWT-template token"),
    ("cl_B7d4PD333AAA", "an M2M token"),
];

/// The cookie in which a browser sends its session token, read when a request has no
/// `Authorization: Bearer` (`tokens/authenticateContext.ts`, `constants.Cookies.Session`).
pub const SESSION_COOKIE: &str = "__session";

/// The cookie that says when the browser's client last signed in or out, in Unix seconds
/// (`constants.Cookies.ClientUat`). `@clerk/backend`'s `authenticateRequest` refuses a token
/// from [`SESSION_COOKIE`] when this cookie is absent, not a number, `0` (signed out), or
/// later than the token's `iat` (signed in again since: the token is outdated).
pub const CLIENT_UAT_COOKIE: &str = "__client_uat";

/// The prefix of a machine's ID: an M2M JWT's `sub` (`tokens/machine.ts`, `isM2MJwt`).
pub const MACHINE_SUBJECT_PREFIX: &str = "mch_";

/// One class of [`TOKEN_TYPES`].
#[derive(Debug, Clone, Copy)]
pub struct TokenClass {
    /// The `TokenType` variant.
    pub variant: &'static str,
    /// Clerk's name of the class (`TokenType::as_str`).
    pub name: &'static str,
    /// The variant's documentation.
    pub doc: &'static str,
    /// The prefix of the opaque form, which only the Backend API can verify.
    pub opaque_prefix: Option<&'static str>,
    /// The Backend API endpoint that verifies the opaque form.
    pub verify_endpoint: Option<&'static str>,
    /// What the JWT form's header and subject must be, if the class has one.
    pub jwt: Option<JwtClass>,
}

/// What a verifier of one JWT class accepts.
#[derive(Debug, Clone, Copy)]
pub struct JwtClass {
    /// The accepted header `typ` values.
    pub header_types: &'static [&'static str],
    /// Whether a token without `typ` is refused.
    pub header_type_required: bool,
    /// The accepted header `cat` values besides [`JWT_CATEGORY_IGNORE`]; an absent `cat` is
    /// accepted (tokens minted before the rollout carry none).
    pub categories: &'static [&'static str],
    /// What the `sub` claim must be.
    pub subject: SubjectRule,
}

/// What a JWT class requires of `sub`, against [`MACHINE_SUBJECT_PREFIX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectRule {
    /// `sub` starts with the machine prefix.
    Machine,
    /// `sub` does not start with it.
    NotMachine,
    /// Either.
    Any,
}
