//! Conflict of interest (利益冲突审查): the parties of an item matched
//! against earlier items of the unit. A warning, never a block.

/// Which side a party stood on, from its stored role (codes or the
/// Chinese words earlier items carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Applicant,
    Respondent,
    Other,
}

impl Side {
    pub fn of_role(role: &str) -> Side {
        match role.trim() {
            "applicant" | "申请人" | "当事人" | "委托人" => Side::Applicant,
            "respondent" | "被申请人" | "对方当事人" => Side::Respondent,
            _ => Side::Other,
        }
    }

    fn opposite(self, other: Side) -> bool {
        matches!(
            (self, other),
            (Side::Applicant, Side::Respondent) | (Side::Respondent, Side::Applicant)
        )
    }
}

/// One party: display name, match keys (`privacy::match_keys`) and side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyFacts {
    pub name: String,
    pub keys: Vec<String>,
    pub side: Side,
}

/// An earlier item of the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastItem {
    pub id: i64,
    pub assignee_id: Option<i64>,
    pub parties: Vec<PartyFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The same person stood on the other side of the earlier item.
    OppositeSide,
    /// The assignee acted for this item's opponent in the earlier item.
    RepresentedOpponent,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OppositeSide => "opposite_side",
            Self::RepresentedOpponent => "represented_opponent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub item_id: i64,
    pub party: String,
    pub reason: Reason,
}

/// The conflicts of an item with `parties`, to be handled by `assignee`,
/// against `past` items (the item itself excluded by the caller). Each
/// (earlier item, party, reason) once, in the order of `past`.
pub fn find(parties: &[PartyFacts], assignee: Option<i64>, past: &[PastItem]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut push = |f: Found| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    for y in past {
        for p in parties {
            for q in y
                .parties
                .iter()
                .filter(|q| q.keys.iter().any(|k| p.keys.contains(k)))
            {
                if p.side.opposite(q.side) {
                    push(Found {
                        item_id: y.id,
                        party: p.name.clone(),
                        reason: Reason::OppositeSide,
                    });
                }
                // The assignee acted for the applicant there; that person
                // is this item's respondent, the opponent.
                if assignee.is_some()
                    && y.assignee_id == assignee
                    && p.side == Side::Respondent
                    && q.side == Side::Applicant
                {
                    push(Found {
                        item_id: y.id,
                        party: p.name.clone(),
                        reason: Reason::RepresentedOpponent,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, key: &str, side: Side) -> PartyFacts {
        PartyFacts {
            name: name.into(),
            keys: vec![key.into()],
            side,
        }
    }

    #[test]
    fn the_other_side_and_the_assignees_former_client_are_found() {
        let past = vec![
            PastItem {
                id: 1,
                assignee_id: Some(7),
                parties: vec![
                    p("甲公司", "k1", Side::Applicant),
                    p("乙", "k2", Side::Respondent),
                ],
            },
            PastItem {
                id: 2,
                assignee_id: Some(8),
                parties: vec![p("乙", "k2", Side::Applicant)],
            },
        ];
        // 乙 now applies against 甲公司, handled by 7 who acted for 甲公司.
        let now = [
            p("乙", "k2", Side::Applicant),
            p("甲公司", "k1", Side::Respondent),
        ];
        let found = find(&now, Some(7), &past);
        let got: Vec<(i64, &str, Reason)> = found
            .iter()
            .map(|f| (f.item_id, f.party.as_str(), f.reason))
            .collect();
        assert_eq!(
            got,
            [
                (1, "乙", Reason::OppositeSide),
                (1, "甲公司", Reason::OppositeSide),
                (1, "甲公司", Reason::RepresentedOpponent),
            ]
        );
        assert!(
            find(&now, Some(9), &past)
                .iter()
                .all(|f| f.reason == Reason::OppositeSide)
        );
        let unrelated = [PartyFacts {
            name: "丙".into(),
            keys: Vec::new(),
            side: Side::Applicant,
        }];
        assert!(find(&unrelated, Some(7), &past).is_empty());
        assert_eq!(Side::of_role("被申请人"), Side::Respondent);
    }
}
