//! What an outbox entry asks the server to do, stored with the entry (the
//! `kind` column) so the flush decides by it rather than by reading its
//! path again.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteKind {
    Outcome,
    TimeEntry,
    Activity,
    Claim,
    Transition,
    Note,
    Typical,
    CheckIn,
    CheckOut,
    /// The intake desk's registration of a new item.
    NewItem,
    /// The acknowledgment of a conflict-of-interest warning.
    ConflictAck,
    /// A kind this version does not know (a newer client's row in a shared
    /// store): sent as it is, with no resend check.
    Other,
}

impl WriteKind {
    pub const ALL: [WriteKind; 12] = [
        Self::Outcome,
        Self::TimeEntry,
        Self::Activity,
        Self::Claim,
        Self::Transition,
        Self::Note,
        Self::Typical,
        Self::CheckIn,
        Self::CheckOut,
        Self::NewItem,
        Self::ConflictAck,
        Self::Other,
    ];

    /// The stored name (migration 0006 writes the same names).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outcome => "outcome",
            Self::TimeEntry => "time_entry",
            Self::Activity => "activity",
            Self::Claim => "claim",
            Self::Transition => "transition",
            Self::Note => "note",
            Self::Typical => "typical",
            Self::CheckIn => "check_in",
            Self::CheckOut => "check_out",
            Self::NewItem => "new_item",
            Self::ConflictAck => "conflict_ack",
            Self::Other => "other",
        }
    }

    pub fn named(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .unwrap_or(Self::Other)
    }

    /// Claims, moves, flags and duty stamps are not records with an
    /// idempotency key on the server: a resend of one that already went
    /// through answers 409, and the flush then checks whether the state it
    /// asked for holds. They are settled before the next entry of their
    /// queue goes, since that check only works while the state still holds.
    pub fn changes_state(self) -> bool {
        matches!(
            self,
            Self::Claim | Self::Transition | Self::Typical | Self::CheckIn | Self::CheckOut
        )
    }
}
