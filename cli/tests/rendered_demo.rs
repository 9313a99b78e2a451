//! `www/demo-rendered.html` shows a CMS page whose article was rendered ahead of time by `sahifa render`;
//! the page is committed, and this test keeps it current: its article is exactly what `sahifa render` gives
//! for the seed article today. When extraction changes, regenerate it with
//! `SAHIFA_UPDATE_DEMO=1 cargo test -p sahifa-cli --test rendered_demo`.

mod common;

use common::sahifa;
use std::path::PathBuf;

const BEGIN: &str = "<!-- sahifa render core/assets/seed-article-ar.txt: begin -->\n";
const END: &str = "<!-- sahifa render: end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_rendered_demo_page_holds_the_current_render_of_the_seed_article() {
    let seed = root().join("core/assets/seed-article-ar.txt");
    let (code, html, err) = sahifa(&["render", seed.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let page_path = root().join("www/demo-rendered.html");
    let page = std::fs::read_to_string(&page_path).unwrap();
    let from = page.find(BEGIN).expect("the begin marker") + BEGIN.len();
    let to = page[from..].find(END).expect("the end marker") + from;
    if std::env::var_os("SAHIFA_UPDATE_DEMO").is_some() {
        let updated = format!("{}{html}{}", &page[..from], &page[to..]);
        std::fs::write(&page_path, updated).unwrap();
        return;
    }
    assert!(
        page[from..to] == html,
        "www/demo-rendered.html is stale: regenerate it with \
         SAHIFA_UPDATE_DEMO=1 cargo test -p sahifa-cli --test rendered_demo"
    );
}
