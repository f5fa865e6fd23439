// EventType is #[non_exhaustive] (Clerk adds event types): naming every type this version
// knows, and the catch-all, is still not enough without a wildcard arm.
use clerk_models::EventType;

fn main() {
    let event_type = EventType::SessionCreated;
    match event_type {
        EventType::EmailCreated => {}
        EventType::OrganizationCreated => {}
        EventType::OrganizationUpdated => {}
        EventType::OrganizationDeleted => {}
        EventType::OrganizationDomainCreated => {}
        EventType::OrganizationDomainUpdated => {}
        EventType::OrganizationDomainDeleted => {}
        EventType::OrganizationInvitationCreated => {}
        EventType::OrganizationInvitationAccepted => {}
        EventType::OrganizationInvitationRevoked => {}
        EventType::OrganizationMembershipCreated => {}
        EventType::OrganizationMembershipUpdated => {}
        EventType::OrganizationMembershipDeleted => {}
        EventType::PaymentAttemptCreated => {}
        EventType::PaymentAttemptUpdated => {}
        EventType::PermissionCreated => {}
        EventType::PermissionUpdated => {}
        EventType::PermissionDeleted => {}
        EventType::RoleCreated => {}
        EventType::RoleUpdated => {}
        EventType::RoleDeleted => {}
        EventType::SessionCreated => {}
        EventType::SessionPending => {}
        EventType::SessionEnded => {}
        EventType::SessionRemoved => {}
        EventType::SessionRevoked => {}
        EventType::SmsCreated => {}
        EventType::SubscriptionCreated => {}
        EventType::SubscriptionUpdated => {}
        EventType::SubscriptionActive => {}
        EventType::SubscriptionPastDue => {}
        EventType::SubscriptionItemAbandoned => {}
        EventType::SubscriptionItemActive => {}
        EventType::SubscriptionItemCanceled => {}
        EventType::SubscriptionItemEnded => {}
        EventType::SubscriptionItemFreeTrialEnding => {}
        EventType::SubscriptionItemIncomplete => {}
        EventType::SubscriptionItemPastDue => {}
        EventType::SubscriptionItemUpcoming => {}
        EventType::SubscriptionItemUpdated => {}
        EventType::UserCreated => {}
        EventType::UserUpdated => {}
        EventType::UserDeleted => {}
        EventType::WaitlistEntryCreated => {}
        EventType::WaitlistEntryUpdated => {}
        EventType::Unknown(_) => {}
    }
}
