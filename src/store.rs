//! Holds the widget's [`Session`] where both Yew and the JS API can reach it synchronously.
//!
//! Yew's `use_reducer` keeps its value behind the component, and a dispatch shows up only at the next
//! render. The JS API must read its own write at once (`addAnnotation` then `entities()`), so the session
//! lives here and every action goes through the core's one reducer ([`Session::apply`]); components
//! subscribe and re-render. Listeners are told the action's [`ActionKind`], never handed its payload, so a
//! dispatch copies nothing.

use sahifa_core::session::{Action, ActionKind, Refused, Session};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

type Listener = Rc<dyn Fn(&Rc<Session>, ActionKind)>;

#[derive(Clone)]
pub struct Store {
    inner: Rc<Inner>,
}

struct Inner {
    session: RefCell<Rc<Session>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next: Cell<u32>,
    /// Set while the work is saved somewhere else than the single-article autosave (an open collection).
    saves_elsewhere: Cell<bool>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Store {
    pub fn new(session: Session) -> Self {
        Store {
            inner: Rc::new(Inner {
                session: RefCell::new(Rc::new(session)),
                listeners: RefCell::default(),
                next: Cell::new(0),
                saves_elsewhere: Cell::new(false),
            }),
        }
    }

    pub fn get(&self) -> Rc<Session> {
        self.inner.session.borrow().clone()
    }

    /// Applies `action`: the session it produced (before any listener reacted to it), or why it was
    /// refused (nothing changed, no listener runs). Listeners run after the borrow ends, so they may read
    /// the store or dispatch again.
    pub fn dispatch(&self, action: Action) -> Result<Rc<Session>, Refused> {
        let kind = action.kind();
        let next = Rc::new(self.get().apply(action)?);
        *self.inner.session.borrow_mut() = next.clone();
        let listeners: Vec<Listener> = self
            .inner
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for l in listeners {
            l(&next, kind);
        }
        Ok(next)
    }

    /// Calls `f` after every change; the returned id unsubscribes.
    pub fn subscribe(&self, f: impl Fn(&Rc<Session>, ActionKind) + 'static) -> u32 {
        let id = self.inner.next.get() + 1;
        self.inner.next.set(id);
        self.inner.listeners.borrow_mut().push((id, Rc::new(f)));
        id
    }

    /// Whether the single-article `localStorage` autosave should stand aside (a collection saves the work).
    pub fn saves_elsewhere(&self) -> bool {
        self.inner.saves_elsewhere.get()
    }

    pub fn set_saves_elsewhere(&self, yes: bool) {
        self.inner.saves_elsewhere.set(yes);
    }

    pub fn unsubscribe(&self, id: u32) {
        self.inner.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }
}
