//! How work ends: outcome codes per kind and what each must carry; the
//! activities time is logged against.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ItemKind, Yuan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeCode {
    // consultation
    Answered,
    ReferredLegalAid,
    CaseAccepted,
    ReferredOther,
    // mediation
    Agreement,
    PartialAgreement,
    NoAgreement,
    Withdrawn,
    // mediation and pro bono
    Referred,
    // pro bono
    Completed,
    Declined,
}

impl OutcomeCode {
    pub const ALL: [OutcomeCode; 11] = [
        Self::Answered,
        Self::ReferredLegalAid,
        Self::CaseAccepted,
        Self::ReferredOther,
        Self::Agreement,
        Self::PartialAgreement,
        Self::NoAgreement,
        Self::Withdrawn,
        Self::Referred,
        Self::Completed,
        Self::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::ReferredLegalAid => "referred_legal_aid",
            Self::CaseAccepted => "case_accepted",
            Self::ReferredOther => "referred_other",
            Self::Agreement => "agreement",
            Self::PartialAgreement => "partial_agreement",
            Self::NoAgreement => "no_agreement",
            Self::Withdrawn => "withdrawn",
            Self::Referred => "referred",
            Self::Completed => "completed",
            Self::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The codes a lawyer may choose for an item of this kind, in the order
    /// a form offers them (most common first).
    pub fn for_kind(kind: ItemKind) -> &'static [OutcomeCode] {
        use OutcomeCode::*;
        match kind {
            ItemKind::Consultation => &[Answered, ReferredLegalAid, CaseAccepted, ReferredOther],
            ItemKind::Mediation => &[Agreement, PartialAgreement, NoAgreement, Withdrawn, Referred],
            ItemKind::ProBono => &[Completed, Referred, Declined],
        }
    }

    /// A settled amount may be recorded for a (partial) mediation agreement.
    pub fn takes_settled_amount(self) -> bool {
        matches!(self, Self::Agreement | Self::PartialAgreement)
    }
}

/// The fields of an outcome that the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeFields {
    pub kind: ItemKind,
    pub code: OutcomeCode,
    pub minutes: Option<i64>,
    pub settled_amount: Option<Yuan>,
    pub fee_waived: Option<Yuan>,
}

pub use super::records::MAX_MINUTES_PER_ENTRY;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutcomeRuleError {
    #[error("“{code}” is not an outcome of a {kind} item; choose one of: {allowed}")]
    WrongKind {
        code: &'static str,
        kind: &'static str,
        allowed: String,
    },
    #[error("a settled amount is recorded only with a mediation agreement or partial agreement")]
    SettledAmountNotAllowed,
    #[error("a waived fee is recorded only on a pro bono outcome")]
    FeeWaivedNotAllowed,
    #[error("a completed pro bono request must say the fee waived (0 if none)")]
    FeeWaivedRequired,
    #[error("minutes must be between 1 and {MAX_MINUTES_PER_ENTRY}; got {0}")]
    MinutesOutOfRange(i64),
}

impl OutcomeFields {
    pub fn check(&self) -> Result<(), OutcomeRuleError> {
        let allowed = OutcomeCode::for_kind(self.kind);
        if !allowed.contains(&self.code) {
            return Err(OutcomeRuleError::WrongKind {
                code: self.code.as_str(),
                kind: self.kind.as_str(),
                allowed: allowed.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
            });
        }
        if self.settled_amount.is_some()
            && !(self.kind == ItemKind::Mediation && self.code.takes_settled_amount())
        {
            return Err(OutcomeRuleError::SettledAmountNotAllowed);
        }
        match (self.kind, self.fee_waived) {
            (ItemKind::ProBono, None) if self.code == OutcomeCode::Completed => {
                return Err(OutcomeRuleError::FeeWaivedRequired);
            }
            (ItemKind::ProBono, _) | (_, None) => {}
            (_, Some(_)) => return Err(OutcomeRuleError::FeeWaivedNotAllowed),
        }
        check_minutes(self.minutes)
    }
}

/// Minutes, when given, are one plausible entry.
pub fn check_minutes(minutes: Option<i64>) -> Result<(), OutcomeRuleError> {
    match minutes {
        Some(m) if !(1..=MAX_MINUTES_PER_ENTRY).contains(&m) => Err(OutcomeRuleError::MinutesOutOfRange(m)),
        _ => Ok(()),
    }
}

/// What a time entry was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimeActivity {
    Preparation,
    Session,
    FollowUp,
    Travel,
    Duty,
}

impl TimeActivity {
    pub const ALL: [TimeActivity; 5] = [
        Self::Preparation,
        Self::Session,
        Self::FollowUp,
        Self::Travel,
        Self::Duty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparation => "preparation",
            Self::Session => "session",
            Self::FollowUp => "follow_up",
            Self::Travel => "travel",
            Self::Duty => "duty",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::OutcomeCode::*;
    use super::*;

    fn fields(kind: ItemKind, code: OutcomeCode) -> OutcomeFields {
        OutcomeFields {
            kind,
            code,
            minutes: None,
            settled_amount: None,
            fee_waived: None,
        }
    }

    #[test]
    fn each_kind_has_its_codes() {
        assert_eq!(
            OutcomeCode::for_kind(ItemKind::Consultation),
            &[Answered, ReferredLegalAid, CaseAccepted, ReferredOther]
        );
        assert_eq!(
            OutcomeCode::for_kind(ItemKind::Mediation),
            &[Agreement, PartialAgreement, NoAgreement, Withdrawn, Referred]
        );
        assert_eq!(
            OutcomeCode::for_kind(ItemKind::ProBono),
            &[Completed, Referred, Declined]
        );
        // Every code belongs to some kind.
        for code in OutcomeCode::ALL {
            assert!(
                ItemKind::ALL
                    .iter()
                    .any(|k| OutcomeCode::for_kind(*k).contains(&code)),
                "{code:?}"
            );
        }
    }

    #[test]
    fn a_code_of_another_kind_is_refused_with_the_choices() {
        let err = fields(ItemKind::Consultation, Agreement).check().unwrap_err();
        assert_eq!(
            err.to_string(),
            "“agreement” is not an outcome of a consultation item; choose one of: answered, referred_legal_aid, case_accepted, referred_other"
        );
    }

    #[test]
    fn every_valid_plain_outcome_passes() {
        for kind in ItemKind::ALL {
            for code in OutcomeCode::for_kind(kind) {
                let mut f = fields(kind, *code);
                if kind == ItemKind::ProBono {
                    f.fee_waived = Some(Yuan::ZERO);
                }
                assert_eq!(f.check(), Ok(()), "{kind:?} {code:?}");
            }
        }
    }

    #[test]
    fn settled_amount_only_on_agreements() {
        let amount = Some(Yuan::from_fen(100).unwrap());
        for code in [Agreement, PartialAgreement] {
            let f = OutcomeFields {
                settled_amount: amount,
                ..fields(ItemKind::Mediation, code)
            };
            assert_eq!(f.check(), Ok(()));
        }
        let f = OutcomeFields {
            settled_amount: amount,
            ..fields(ItemKind::Mediation, NoAgreement)
        };
        assert_eq!(f.check(), Err(OutcomeRuleError::SettledAmountNotAllowed));
        let f = OutcomeFields {
            settled_amount: amount,
            ..fields(ItemKind::Consultation, Answered)
        };
        assert_eq!(f.check(), Err(OutcomeRuleError::SettledAmountNotAllowed));
    }

    #[test]
    fn fee_waived_rules() {
        assert_eq!(
            fields(ItemKind::ProBono, Completed).check(),
            Err(OutcomeRuleError::FeeWaivedRequired)
        );
        assert_eq!(fields(ItemKind::ProBono, Declined).check(), Ok(()));
        let f = OutcomeFields {
            fee_waived: Some(Yuan::ZERO),
            ..fields(ItemKind::Consultation, Answered)
        };
        assert_eq!(f.check(), Err(OutcomeRuleError::FeeWaivedNotAllowed));
    }

    #[test]
    fn minutes_range() {
        for (m, ok) in [(0, false), (1, true), (720, true), (721, false), (-5, false)] {
            let f = OutcomeFields {
                minutes: Some(m),
                ..fields(ItemKind::Consultation, Answered)
            };
            assert_eq!(f.check().is_ok(), ok, "{m}");
        }
    }

    #[test]
    fn parse_round_trips() {
        for c in OutcomeCode::ALL {
            assert_eq!(OutcomeCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for a in TimeActivity::ALL {
            assert_eq!(TimeActivity::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
