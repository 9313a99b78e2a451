//! Articles and annotation files that come in (the file picker, a drop, a paste): an article replaces the
//! one shown, an annotation file is imported as one undoable step; the status line says what happened.

use crate::files::{self, FileKind};
use crate::hooks::Pending;
use crate::notice::Notice;
use crate::store::Store;
use sahifa_core::formats::Format;
use sahifa_core::session::{Action, Refused};
use yew::prelude::*;

/// A named file read as text, or why it could not be read.
pub type FileRead = (String, Result<String, String>);

/// `(on_file, on_paste)`: a named file read as text (or why it could not be), and pasted text.
#[hook]
pub fn use_article_files(
    store: &Store,
    notice: UseStateSetter<Notice>,
    pending: UseStateHandle<Option<Pending>>,
) -> (Callback<FileRead>, Callback<String>) {
    let load_article = {
        let (store, notice) = (store.clone(), notice.clone());
        Callback::from(move |text: Result<String, String>| match text {
            Ok(text) => {
                pending.set(None);
                let _ = store.dispatch(Action::Load {
                    text,
                    annotations: Vec::new(),
                    extracted: false,
                });
                notice.set(Notice::info("حُمِّل المقال الجديد"));
            }
            Err(e) => notice.set(Notice::error(format!("تعذّر تحميل المقال: {e}"))),
        })
    };
    let on_file = {
        let (store, load_article) = (store.clone(), load_article.clone());
        Callback::from(move |(name, text): FileRead| {
            let text = match text {
                Ok(t) => t,
                Err(e) => return notice.set(Notice::error(format!("{name}: {e}"))),
            };
            match files::kind_of(&name) {
                Some(FileKind::Article { html }) => load_article.emit(if html {
                    files::article_from_html(&text).and_then(|t| files::clean_text(&t))
                } else {
                    files::clean_text(&text)
                }),
                Some(FileKind::Annotations(f)) => notice.set(import(&store, f, &name, &text)),
                None => notice.set(Notice::error(format!(
                    "{name}: نوع ملف غير معروف (.txt .html .json .ann .conll .jsonl .csv)"
                ))),
            }
        })
    };
    let on_paste = load_article.reform(|t: String| files::clean_text(&t));
    (on_file, on_paste)
}

/// Imports a file into the work as one undoable step; the notice says what happened.
fn import(store: &Store, f: Format, name: &str, data: &str) -> Notice {
    let (action, r) = match store.get().import(f, data) {
        Ok(ok) => ok,
        Err(e) => return Notice::error(format!("{name}: {e} — لم يتغير شيء")),
    };
    match store.dispatch(action) {
        Ok(_) | Err(Refused::EmptyImport) => Notice::info(format!(
            "{name}: أُضيف {}، حُدِّث {}، مكرر {}، بلا مكان {}",
            r.added,
            r.updated,
            r.duplicates,
            r.orphans.len()
        )),
        Err(e) => Notice::error(format!("{name}: {e} — لم يتغير شيء")),
    }
}

