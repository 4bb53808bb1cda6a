//! Money as whole fen (分), never as floating point in storage or sums.
//!
//! On the wire an amount is a JSON number of yuan with at most two decimals
//! (`12000.5`), because that is what a person types; inside it is an `i64`
//! of fen so that sums are exact. The forms report in 万元 (10,000 yuan).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// An amount of money in yuan, held as fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Yuan {
    fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("an amount of money cannot be negative")]
    Negative,
    #[error("an amount of money has at most two decimals (fen)")]
    TooPrecise,
    #[error("“{0}” is not an amount of money; write yuan like 1200 or 1200.50")]
    NotANumber(String),
    #[error("that amount is too large")]
    TooLarge,
}

/// Ten billion yuan: far above any dispute a duty lawyer sees, far below
/// where `f64` loses fen.
const MAX_FEN: i64 = 1_000_000_000_000;

impl Yuan {
    pub const ZERO: Yuan = Yuan { fen: 0 };

    pub fn from_fen(fen: i64) -> Result<Self, MoneyError> {
        if fen < 0 {
            Err(MoneyError::Negative)
        } else if fen > MAX_FEN {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Yuan { fen })
        }
    }

    pub fn fen(self) -> i64 {
        self.fen
    }

    pub fn from_yuan_f64(v: f64) -> Result<Self, MoneyError> {
        if !v.is_finite() {
            return Err(MoneyError::NotANumber(v.to_string()));
        }
        if v < 0.0 {
            return Err(MoneyError::Negative);
        }
        let scaled = v * 100.0;
        let fen = scaled.round();
        if (scaled - fen).abs() > 1e-6 {
            return Err(MoneyError::TooPrecise);
        }
        if fen > MAX_FEN as f64 {
            return Err(MoneyError::TooLarge);
        }
        // In range and integral by the checks above.
        Self::from_fen(fen as i64)
    }

    /// Parses what a person types: `1200`, `1200.5`, `1,200.50`, `¥1200`.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        // `１２。５` is 12.5: Chinese input methods type these.
        let normalized = super::number::normalize(text);
        let cleaned: String = normalized
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .collect();
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
            return Err(MoneyError::NotANumber(text.trim().to_string()));
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::TooLarge)?
        };
        let frac_fen: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let fen = whole
            .checked_mul(100)
            .and_then(|f| f.checked_add(frac_fen))
            .ok_or(MoneyError::TooLarge)?;
        Self::from_fen(fen)
    }

    pub fn as_yuan_f64(self) -> f64 {
        self.fen as f64 / 100.0
    }

    /// The amount in 万元, as the forms report it.
    pub fn as_wan_f64(self) -> f64 {
        self.fen as f64 / 1_000_000.0
    }

    pub fn checked_add(self, other: Yuan) -> Option<Yuan> {
        self.fen.checked_add(other.fen).map(|fen| Yuan { fen })
    }
}

/// In the API document an amount is a number of yuan with two decimals.
impl utoipa::PartialSchema for Yuan {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .minimum(Some(0.0))
            .multiple_of(Some(0.01))
            .description(Some("An amount in yuan (CNY), at most two decimals"))
            .into()
    }
}

impl utoipa::ToSchema for Yuan {}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.fen / 100, self.fen % 100)
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.fen % 100 == 0 {
            s.serialize_i64(self.fen / 100)
        } else {
            s.serialize_f64(self.as_yuan_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        let parsed = match Raw::deserialize(d)? {
            Raw::Int(y) => y
                .checked_mul(100)
                .ok_or(MoneyError::TooLarge)
                .and_then(Yuan::from_fen),
            Raw::Float(v) => Yuan::from_yuan_f64(v),
            Raw::Text(t) => Yuan::parse(&t),
        };
        parsed.map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Yuan::parse("1200").unwrap().fen(), 120_000);
        assert_eq!(Yuan::parse("1200.5").unwrap().fen(), 120_050);
        assert_eq!(Yuan::parse("¥1,200.05").unwrap().fen(), 120_005);
        assert_eq!(Yuan::parse(" .5 ").unwrap().fen(), 50);
        assert_eq!(Yuan::parse("１２００。５").unwrap().fen(), 120_050);
        assert_eq!(Yuan::parse("￥３．０５").unwrap().fen(), 305);
        assert_eq!(Yuan::parse("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(Yuan::parse("-3"), Err(MoneyError::Negative));
        assert!(matches!(Yuan::parse("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Yuan::parse(""), Err(MoneyError::NotANumber(_))));
        assert_eq!(Yuan::parse("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn json_round_trip() {
        let y: Yuan = serde_json::from_str("12000.5").unwrap();
        assert_eq!(y.fen(), 1_200_050);
        assert_eq!(serde_json::to_string(&y).unwrap(), "12000.5");
        let whole: Yuan = serde_json::from_str("300").unwrap();
        assert_eq!(serde_json::to_string(&whole).unwrap(), "300");
        let text: Yuan = serde_json::from_str("\"1,000.10\"").unwrap();
        assert_eq!(text.fen(), 100_010);
        assert!(serde_json::from_str::<Yuan>("0.001").is_err());
        assert!(serde_json::from_str::<Yuan>("-1").is_err());
        // 0.1 + 0.2 style float noise within a fen still parses.
        assert_eq!(Yuan::from_yuan_f64(0.1 + 0.2).unwrap().fen(), 30);
    }

    #[test]
    fn wan_and_display() {
        let y = Yuan::parse("12345.67").unwrap();
        assert_eq!(y.to_string(), "12345.67");
        assert!((y.as_wan_f64() - 1.234567).abs() < 1e-12);
    }
}
