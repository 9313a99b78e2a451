//! One annotation type for the machine's findings and the user's marks, so that rendering, export, undo and
//! storage never need to ask where an annotation came from before handling it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The six built-in entity types of the annotation guidelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "MISC")]
    Misc,
    #[serde(rename = "DATE")]
    Date,
    #[serde(rename = "NUM")]
    Num,
}

impl EntityType {
    pub const ALL: [EntityType; 6] = [
        EntityType::Per,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
        EntityType::Date,
        EntityType::Num,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
            EntityType::Date => "DATE",
            EntityType::Num => "NUM",
        }
    }

    /// Arabic name shown in the legend and label picker.
    pub fn arabic_name(self) -> &'static str {
        match self {
            EntityType::Per => "شخص",
            EntityType::Loc => "مكان",
            EntityType::Org => "منظمة",
            EntityType::Misc => "متفرقات",
            EntityType::Date => "تاريخ",
            EntityType::Num => "عدد",
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A label that is none of the six built-in entity types (a custom label, or a typo).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity type {0:?}")]
pub struct UnknownEntityType(pub String);

impl FromStr for EntityType {
    type Err = UnknownEntityType;
    /// Accepts ANERcorp's `PERS` too, since that corpus is what the tagger reads.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "PER" | "PERS" => Ok(EntityType::Per),
            "LOC" => Ok(EntityType::Loc),
            "ORG" => Ok(EntityType::Org),
            "MISC" => Ok(EntityType::Misc),
            "DATE" => Ok(EntityType::Date),
            "NUM" => Ok(EntityType::Num),
            other => Err(UnknownEntityType(other.to_string())),
        }
    }
}

/// Who made an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    #[default]
    Extractor,
    User,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Extractor => "extractor",
            Source::User => "user",
        }
    }
}

/// Where a machine suggestion stands with the user. User annotations are always `Accepted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Suggested,
    Accepted,
    Rejected,
}

/// A labelled span of the article text, `start..end` in code points (end exclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    pub start: usize,
    pub end: usize,
    /// One of [`EntityType`]'s names or a user-defined label.
    pub label: String,
    /// The covered text, kept so exports and re-anchoring never need the article to read it.
    pub text: String,
    /// Entity id shared by all mentions of one entity.
    pub entity: String,
    /// Canonical form of the entity (its fullest, most frequent spelling).
    #[serde(default)]
    pub canonical: String,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

impl Annotation {
    /// A user's annotation with no entity yet (clustering or [`crate::assign`] assigns one) and no note.
    pub fn user(
        id: impl Into<String>,
        start: usize,
        end: usize,
        label: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Annotation {
            id: id.into(),
            start,
            end,
            label: label.into(),
            text: text.into(),
            entity: String::new(),
            canonical: String::new(),
            source: Source::User,
            status: Status::Accepted,
            note: None,
            confidence: None,
        }
    }

    pub fn entity_type(&self) -> Option<EntityType> {
        self.label.parse().ok()
    }
}
