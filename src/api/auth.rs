use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Profession, Role};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// A name for this device's token (e.g. `ssh:duty-server`), shown in
    /// token lists so one device can be revoked alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// The bearer token. Shown once; the server keeps only its hash.
    pub token: String,
    pub user: User,
}

/// A reporting unit (填报单位): a firm, an office or a centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub profession: Profession,
    pub unit: UnitRef,
}

/// Who an item is assigned to, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}
