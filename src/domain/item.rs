//! What a work item is: its kind, where it came from, what it is about, and
//! whether it travels the green channel.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{EpochMs, HOUR_MS};

/// The three kinds of work a lawyer is assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A remote (video or phone) mediation session in a lawyer mediation room.
    Mediation,
    /// A consultation ticket (工单) from a walk-in desk, 12348 or online.
    Consultation,
    /// A pro bono request, usually from the green channel.
    ProBono,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [Self::Mediation, Self::Consultation, Self::ProBono];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mediation => "mediation",
            Self::Consultation => "consultation",
            Self::ProBono => "pro_bono",
        }
    }
}

/// Intake channels: the "three platforms" (实体、热线、网络) plus video and
/// letters (信).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    WalkIn,
    Hotline,
    Online,
    Wechat,
    Video,
    Letter,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Self::WalkIn,
        Self::Hotline,
        Self::Online,
        Self::Wechat,
        Self::Video,
        Self::Letter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WalkIn => "walk_in",
            Self::Hotline => "hotline",
            Self::Online => "online",
            Self::Wechat => "wechat",
            Self::Video => "video",
            Self::Letter => "letter",
        }
    }
}

/// Who a party is: a person, or an enterprise (企业) — Form 1 counts
/// losses recovered only in disputes with an enterprise party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    #[default]
    Person,
    Enterprise,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Enterprise => "enterprise",
        }
    }
}

/// Subject categories, after the topics the 2020–2021 notices name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LabourContract,
    Wages,
    HousingLease,
    ContractBreach,
    Insurance,
    EnterpriseHealthCheck,
    Epidemic,
    Other,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Self::LabourContract,
        Self::Wages,
        Self::HousingLease,
        Self::ContractBreach,
        Self::Insurance,
        Self::EnterpriseHealthCheck,
        Self::Epidemic,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LabourContract => "labour_contract",
            Self::Wages => "wages",
            Self::HousingLease => "housing_lease",
            Self::ContractBreach => "contract_breach",
            Self::Insurance => "insurance",
            Self::EnterpriseHealthCheck => "enterprise_health_check",
            Self::Epidemic => "epidemic",
            Self::Other => "other",
        }
    }

    /// Labour-related categories also count as labour disputes on Form 1.
    pub fn is_labour(self) -> bool {
        matches!(self, Self::LabourContract | Self::Wages)
    }
}

/// Frontline groups eligible for the green channel (绿色通道).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FrontlineGroup {
    Medical,
    Military,
    Volunteer,
    Police,
    Community,
    Other,
    /// 快递员
    Courier,
    /// 外卖骑手
    DeliveryRider,
    /// 网约车司机
    RideHailingDriver,
    /// 货车司机
    TruckDriver,
    /// 农民工
    MigrantWorker,
    /// 环卫工人
    SanitationWorker,
}

impl FrontlineGroup {
    pub const ALL: [FrontlineGroup; 12] = [
        Self::Medical,
        Self::Military,
        Self::Volunteer,
        Self::Police,
        Self::Community,
        Self::Other,
        Self::Courier,
        Self::DeliveryRider,
        Self::RideHailingDriver,
        Self::TruckDriver,
        Self::MigrantWorker,
        Self::SanitationWorker,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Military => "military",
            Self::Volunteer => "volunteer",
            Self::Police => "police",
            Self::Community => "community",
            Self::Other => "other",
            Self::Courier => "courier",
            Self::DeliveryRider => "delivery_rider",
            Self::RideHailingDriver => "ride_hailing_driver",
            Self::TruckDriver => "truck_driver",
            Self::MigrantWorker => "migrant_worker",
            Self::SanitationWorker => "sanitation_worker",
        }
    }
}

/// When an item must be answered. Green-channel requests are handled first
/// (优先办理), so their limits are shorter. A mediation session is due at
/// its scheduled start. Live channels (a person at a desk or on the line)
/// are answered within a day, written ones (web, WeChat) within two.
pub fn due_at(
    kind: ItemKind,
    channel: Channel,
    green_channel: bool,
    created_at: EpochMs,
    scheduled_start: Option<EpochMs>,
) -> EpochMs {
    let live = matches!(channel, Channel::WalkIn | Channel::Hotline | Channel::Video);
    let hours = match (kind, green_channel) {
        (ItemKind::Mediation, _) => match scheduled_start {
            Some(start) => return start,
            None if green_channel => 24,
            None => 72,
        },
        (ItemKind::Consultation, true) => 4,
        (ItemKind::Consultation, false) if live => 24,
        (ItemKind::Consultation, false) => 48,
        (ItemKind::ProBono, true) => 24,
        (ItemKind::ProBono, false) => 72,
    };
    created_at + hours * HOUR_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: EpochMs = 1_700_000_000_000;

    #[test]
    fn green_channel_consultations_are_due_sooner() {
        for channel in Channel::ALL {
            let green = due_at(ItemKind::Consultation, channel, true, T0, None);
            let normal = due_at(ItemKind::Consultation, channel, false, T0, None);
            assert!(green < normal, "{channel:?}");
            assert_eq!(green, T0 + 4 * HOUR_MS);
        }
    }

    #[test]
    fn live_channels_answer_within_a_day_written_within_two() {
        assert_eq!(
            due_at(ItemKind::Consultation, Channel::Hotline, false, T0, None),
            T0 + 24 * HOUR_MS
        );
        assert_eq!(
            due_at(ItemKind::Consultation, Channel::WalkIn, false, T0, None),
            T0 + 24 * HOUR_MS
        );
        assert_eq!(
            due_at(ItemKind::Consultation, Channel::Wechat, false, T0, None),
            T0 + 48 * HOUR_MS
        );
        assert_eq!(
            due_at(ItemKind::Consultation, Channel::Online, false, T0, None),
            T0 + 48 * HOUR_MS
        );
    }

    #[test]
    fn pro_bono_limits() {
        assert_eq!(
            due_at(ItemKind::ProBono, Channel::Online, true, T0, None),
            T0 + 24 * HOUR_MS
        );
        assert_eq!(
            due_at(ItemKind::ProBono, Channel::Online, false, T0, None),
            T0 + 72 * HOUR_MS
        );
    }

    #[test]
    fn mediation_is_due_at_its_scheduled_start() {
        let start = T0 + 5 * HOUR_MS;
        assert_eq!(
            due_at(ItemKind::Mediation, Channel::Video, false, T0, Some(start)),
            start
        );
        assert_eq!(
            due_at(ItemKind::Mediation, Channel::Video, true, T0, None),
            T0 + 24 * HOUR_MS
        );
        assert_eq!(
            due_at(ItemKind::Mediation, Channel::Video, false, T0, None),
            T0 + 72 * HOUR_MS
        );
    }

    #[test]
    fn labour_categories() {
        assert!(Category::Wages.is_labour());
        assert!(Category::LabourContract.is_labour());
        assert!(!Category::HousingLease.is_labour());
    }

    #[test]
    fn wire_names_match_as_str() {
        for k in ItemKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for c in Channel::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for g in FrontlineGroup::ALL {
            assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
        }
    }
}
