//! Sahifa widget (Yew shell).
