//! Who does the work, and what they may do.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The profession columns of the bureau's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    Lawyer,
    Notary,
    GrassrootsWorker,
}

impl Profession {
    pub const ALL: [Profession; 3] = [Self::Lawyer, Self::Notary, Self::GrassrootsWorker];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lawyer => "lawyer",
            Self::Notary => "notary",
            Self::GrassrootsWorker => "grassroots_worker",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// What a user is in the system, which decides what the server lets them
/// see and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Lawyer,
    Mediator,
    Operator,
    Coordinator,
    Admin,
    /// The intake desk / hotline (三台融合): registers what comes in.
    Intake,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Self::Lawyer,
        Self::Mediator,
        Self::Operator,
        Self::Coordinator,
        Self::Admin,
        Self::Intake,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lawyer => "lawyer",
            Self::Mediator => "mediator",
            Self::Operator => "operator",
            Self::Coordinator => "coordinator",
            Self::Admin => "admin",
            Self::Intake => "intake",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Lawyers and mediators take work: they have assigned items and a pool.
    pub fn takes_work(self) -> bool {
        matches!(self, Self::Lawyer | Self::Mediator)
    }

    /// Whether the room schedule shows the role every session of its
    /// rooms (room staff, mediators, coordinators) or only its own (a lawyer
    /// sees the sessions they run, not the room's whole day).
    pub fn sees_whole_rooms(self) -> bool {
        !matches!(self, Self::Lawyer | Self::Intake)
    }

    /// Coordinators see their whole reporting unit; admins see everything.
    pub fn sees_unit(self) -> bool {
        matches!(self, Self::Coordinator | Self::Admin)
    }
}

/// The longest username there can be, in characters. Sign-in refuses a
/// longer one before looking anything up or counting it, so a megabyte of
/// "name" costs the server nothing but reading it.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Whether `name` (as looked up: trimmed) is within [`MAX_USERNAME_CHARS`].
pub fn username_fits(name: &str) -> bool {
    name.trim().chars().take(MAX_USERNAME_CHARS + 1).count() <= MAX_USERNAME_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_measured_in_characters_as_looked_up() {
        assert!(username_fits(&"张".repeat(64)), "64 characters, 192 bytes");
        assert!(!username_fits(&"张".repeat(65)));
        assert!(username_fits(&format!("  {}  ", "a".repeat(64))), "trimmed");
        assert!(!username_fits(&"x".repeat(1_000_000)));
    }

    #[test]
    fn parse_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for p in Profession::ALL {
            assert_eq!(Profession::parse(p.as_str()), Some(p));
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        assert_eq!(Role::parse("boss"), None);
    }

    #[test]
    fn capabilities() {
        assert!(Role::Lawyer.takes_work() && Role::Mediator.takes_work());
        assert!(!Role::Operator.takes_work());
        assert!(!Role::Lawyer.sees_whole_rooms());
        assert!(Role::Operator.sees_whole_rooms() && Role::Mediator.sees_whole_rooms());
        assert!(Role::Coordinator.sees_unit() && Role::Admin.sees_unit() && !Role::Lawyer.sees_unit());
    }
}
