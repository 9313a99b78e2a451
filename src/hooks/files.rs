//! Articles and annotation files that come in (the file picker, a drop, a paste): an article replaces the
//! one shown, an annotation file is imported as one undoable step; the status line says what happened.

use crate::components::article::Headings;
use crate::files::{self, ArticleError, FileKind};
use crate::hooks::Pending;
use crate::i18n::{self, Lang, Msg};
use crate::notice::Notice;
use crate::store::Store;
use sahifa_core::formats::Format;
use sahifa_core::session::{Action, Refused};
use yew::prelude::*;

/// A named file read as text, or why it could not be read.
pub type FileRead = (String, Result<String, String>);

/// `(on_file, on_paste, on_paste_html)`: a named file read as text (or why it could not be), pasted text,
/// and pasted HTML (a copied web page: its headings stay headings).
#[hook]
pub fn use_article_files(
    store: &Store,
    notice: UseStateSetter<Notice>,
    pending: UseStateHandle<Option<Pending>>,
    headings: UseStateSetter<Headings>,
    lang: Lang,
) -> (Callback<FileRead>, Callback<String>, Callback<String>) {
    let load_article = {
        let (store, notice) = (store.clone(), notice.clone());
        // The text, and the heading level of each paragraph when it came from HTML.
        Callback::from(move |text: Result<(String, Vec<Option<u8>>), ArticleError>| match text {
            Ok((text, levels)) => {
                pending.set(None);
                let _ = store.dispatch(Action::Load {
                    text,
                    annotations: Vec::new(),
                    extracted: false,
                });
                headings.set(Headings::new(store.get().article.clone(), levels));
                notice.set(Notice::info(Msg::ArticleLoaded.text(lang)));
            }
            Err(e) => notice.set(Notice::error(Msg::ArticleLoadFailed.fill(lang, &[&e.text(lang)]))),
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
                Some(FileKind::Article { html }) => load_article.clone().emit(if html {
                    files::article_from_html(&text)
                        .and_then(|(t, levels)| Ok((files::clean_text(&t)?, levels)))
                } else {
                    files::clean_text(&text).map(|t| (t, Vec::new()))
                }),
                Some(FileKind::Annotations(f)) => notice.set(import(&store, f, &name, &text, lang)),
                None => notice.set(Notice::error(Msg::UnknownFileKind.fill(lang, &[&name]))),
            }
        })
    };
    let on_paste = load_article.reform(|t: String| files::clean_text(&t).map(|t| (t, Vec::new())));
    let on_paste_html = load_article.reform(|h: String| {
        files::article_from_html(&h).and_then(|(t, levels)| Ok((files::clean_text(&t)?, levels)))
    });
    (on_file, on_paste, on_paste_html)
}

/// Imports a file into the work as one undoable step; the notice says what happened.
fn import(store: &Store, f: Format, name: &str, data: &str, lang: Lang) -> Notice {
    let (action, r) = match store.get().import(f, data) {
        Ok(ok) => ok,
        Err(e) => {
            return Notice::error(Msg::ImportFailed.fill(lang, &[&name, &i18n::format_error(&e, lang)]))
        }
    };
    match store.dispatch(action) {
        Ok(_) | Err(Refused::EmptyImport) => Notice::info(Msg::Imported.fill(
            lang,
            &[&name, &r.added, &r.updated, &r.duplicates, &r.orphans.len()],
        )),
        Err(e) => Notice::error(Msg::ImportFailed.fill(lang, &[&name, &i18n::refused(&e, lang)])),
    }
}

