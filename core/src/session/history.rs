//! Undo and redo as whole versions of the work, shared by pointer.
//!
//! A version is the annotations, the labels and the import orphans together, because an import adds all
//! three and undoing it must take all three back. Versions share unchanged annotations (`Rc`), so keeping
//! every step costs pointers, not copies. Changes that are not edits but belong to every version — machine
//! suggestions that arrive while a long article is still being read, their entity ids after clustering, a
//! label the user defines — are applied to the current version and to every undo and redo version alike
//! ([`History::map_all`]), so undoing an edit never takes them away.

use super::labels::LabelDef;
use crate::annotation::Annotation;
use crate::formats::Orphan;
use std::rc::Rc;

/// One version of the work.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// Machine and user annotations in document order (`start`, then longest first), rejected
    /// suggestions included: they stay hidden but remembered.
    pub annotations: Rc<Vec<Rc<Annotation>>>,
    /// Built-in labels, then the user's.
    pub labels: Rc<Vec<LabelDef>>,
    /// Annotations of the last import that could not be placed in this text.
    pub orphans: Rc<Vec<Orphan>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    undo: Vec<Work>,
    redo: Vec<Work>,
}

impl History {
    /// Records `before` as the version an undo returns to; a new edit forgets what could be redone.
    pub fn record(&mut self, before: Work) {
        self.undo.push(before);
        self.redo.clear();
    }

    /// The version before `current`, which becomes redoable.
    pub fn undo(&mut self, current: Work) -> Option<Work> {
        let prev = self.undo.pop()?;
        self.redo.push(current);
        Some(prev)
    }

    /// The version after `current`, which becomes undoable again.
    pub fn redo(&mut self, current: Work) -> Option<Work> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies `f` to every stored version.
    pub fn map_all(&mut self, mut f: impl FnMut(&mut Work)) {
        for w in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            f(w);
        }
    }
}
