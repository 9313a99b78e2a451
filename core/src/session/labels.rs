//! Labels the picker offers: the six built-in types, then the user's own (an embedder's `labels` option,
//! the toolbar's "+ label" form, labels that came with an import). One validation serves all three, so a
//! label that would break an export (a space in CoNLL) or shadow a built-in type never enters the work.

use crate::annotation::EntityType;
use serde::{Deserialize, Serialize};

/// A label: its name (what annotations carry), a CSS colour and the key that picks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDef {
    pub name: String,
    pub color: String,
    /// Key that picks it in the label picker (`1`–`6` for the built-in types).
    pub key: Option<char>,
}

/// The colour of user labels that did not name one.
pub const CUSTOM_COLOR: &str = "var(--custom)";

/// Longest label name, in code points.
pub const MAX_LABEL_CHARS: usize = 40;

/// Why a label definition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("{0:?} is not a label name (1–40 letters, digits, '_', '-' or '.'; no spaces or markup)")]
    BadName(String),
    #[error("{0} is a built-in label")]
    Builtin(String),
    #[error("the colour {0:?} is not a CSS colour")]
    BadColor(String),
    #[error("the key {key:?} is not a single letter or digit")]
    BadKey { key: char },
    #[error("the key {key:?} already picks {other}")]
    KeyTaken { key: char, other: String },
}

/// Built-in labels in legend order, keys 1–6.
pub fn builtin_labels() -> Vec<LabelDef> {
    EntityType::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| LabelDef {
            name: t.as_str().to_string(),
            color: format!("var(--{})", t.as_str()),
            key: char::from_digit(i as u32 + 1, 10),
        })
        .collect()
}

impl LabelDef {
    /// A user label with the default colour and no key.
    pub fn custom(name: impl Into<String>) -> Self {
        LabelDef {
            name: name.into(),
            color: CUSTOM_COLOR.to_string(),
            key: None,
        }
    }

    /// Whether this is one of the six built-in types (under any of their spellings, `PERS` included).
    pub fn is_builtin_name(name: &str) -> bool {
        name.parse::<EntityType>().is_ok()
    }

    /// Checks a user label on its own: name, colour, key. Trims the name.
    pub fn validated(mut self) -> Result<LabelDef, LabelError> {
        self.name = self.name.trim().to_string();
        let n = self.name.chars().count();
        if n == 0
            || n > MAX_LABEL_CHARS
            || !self
                .name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(LabelError::BadName(self.name));
        }
        if Self::is_builtin_name(&self.name) {
            return Err(LabelError::Builtin(self.name));
        }
        let c = self.color.trim();
        if c.is_empty() {
            self.color = CUSTOM_COLOR.to_string();
        } else if !c
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "#(),.% -".contains(ch))
        {
            return Err(LabelError::BadColor(self.color));
        } else {
            self.color = c.to_string();
        }
        if let Some(k) = self.key {
            if !k.is_alphanumeric() {
                return Err(LabelError::BadKey { key: k });
            }
        }
        Ok(self)
    }

    /// Checks a user label against the labels already defined (`existing`, built-ins included): valid on
    /// its own, and its key not taken by another label.
    pub fn validated_among(self, existing: &[LabelDef]) -> Result<LabelDef, LabelError> {
        let def = self.validated()?;
        if let Some(k) = def.key {
            if let Some(other) = existing.iter().find(|l| l.key == Some(k) && l.name != def.name) {
                return Err(LabelError::KeyTaken {
                    key: k,
                    other: other.name.clone(),
                });
            }
        }
        Ok(def)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, key: Option<char>) -> LabelDef {
        LabelDef {
            name: name.into(),
            color: String::new(),
            key,
        }
    }

    #[test]
    fn names_that_would_break_exports_or_shadow_types_are_refused() {
        assert!(matches!(def("two words", None).validated(), Err(LabelError::BadName(_))));
        assert!(matches!(def("  ", None).validated(), Err(LabelError::BadName(_))));
        assert!(matches!(def("PER", None).validated(), Err(LabelError::Builtin(_))));
        // A label is an identifier in every export (CoNLL tags, brat types, CSS hooks): no markup.
        assert!(matches!(def("<script>", None).validated(), Err(LabelError::BadName(_))));
        assert!(matches!(def("a\"b", None).validated(), Err(LabelError::BadName(_))));
        assert!(def("حدث_رياضي", None).validated().is_ok(), "Arabic names are names");
        assert!(matches!(def("PERS", None).validated(), Err(LabelError::Builtin(_))));
        let ok = def(" EVENT ", Some('7')).validated().unwrap();
        assert_eq!((ok.name.as_str(), ok.color.as_str()), ("EVENT", CUSTOM_COLOR));
    }

    #[test]
    fn a_key_picks_one_label() {
        let all = builtin_labels();
        assert_eq!(
            def("EVENT", Some('1')).validated_among(&all),
            Err(LabelError::KeyTaken { key: '1', other: "PER".into() })
        );
        assert!(def("EVENT", Some('7')).validated_among(&all).is_ok());
        assert!(matches!(def("EVENT", Some('+')).validated(), Err(LabelError::BadKey { .. })));
        assert!(matches!(
            LabelDef { color: "red;}".into(), ..def("EVENT", None) }.validated(),
            Err(LabelError::BadColor(_))
        ));
    }
}
