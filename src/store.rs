//! Holds the widget's [`State`] where both Yew and the JS API can reach it synchronously.
//!
//! Yew's `use_reducer` keeps its value behind the component, and a dispatch shows up only at the next
//! render. The JS API must read its own write at once (`addAnnotation` then `entities()`), so the state
//! lives here and goes through the same `Reducible::reduce`; components subscribe and re-render.

use crate::state::{Action, State};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

type Listener = Rc<dyn Fn(&Rc<State>, &Action)>;

#[derive(Clone)]
pub struct Store {
    inner: Rc<Inner>,
}

struct Inner {
    state: RefCell<Rc<State>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next: RefCell<u32>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Store {
    pub fn new(state: State) -> Self {
        Store {
            inner: Rc::new(Inner {
                state: RefCell::new(Rc::new(state)),
                listeners: RefCell::default(),
                next: RefCell::new(0),
            }),
        }
    }

    pub fn get(&self) -> Rc<State> {
        self.inner.state.borrow().clone()
    }

    /// Applies `action`; returns whether the state changed. Listeners run after the borrow ends, so they
    /// may read the store or dispatch again.
    pub fn dispatch(&self, action: Action) -> bool {
        let (prev, next) = {
            let prev = self.get();
            let next = prev.clone().reduce(action.clone());
            *self.inner.state.borrow_mut() = next.clone();
            (prev, next)
        };
        let changed = !Rc::ptr_eq(&prev, &next);
        if changed {
            let listeners: Vec<Listener> = self
                .inner
                .listeners
                .borrow()
                .iter()
                .map(|(_, l)| l.clone())
                .collect();
            for l in listeners {
                l(&next, &action);
            }
        }
        changed
    }

    /// Calls `f` after every change; the returned id unsubscribes.
    pub fn subscribe(&self, f: impl Fn(&Rc<State>, &Action) + 'static) -> u32 {
        let id = {
            let mut n = self.inner.next.borrow_mut();
            *n += 1;
            *n
        };
        self.inner.listeners.borrow_mut().push((id, Rc::new(f)));
        id
    }

    pub fn unsubscribe(&self, id: u32) {
        self.inner.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }
}
