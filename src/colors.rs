//! Initials of the built-in types, shown beside their colour (the colours themselves live in the CSS).

use sahifa_core::EntityType;

/// Initial shown beside the colour, so colour is never the only signal.
pub fn initial(t: EntityType) -> &'static str {
    match t {
        EntityType::Per => "P",
        EntityType::Loc => "L",
        EntityType::Org => "O",
        EntityType::Misc => "M",
        EntityType::Date => "D",
        EntityType::Num => "N",
    }
}
