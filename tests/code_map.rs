//! The shape of the code, held to what docs/code.md says of it: which
//! module may import which (rules without I/O, storage without screens or
//! sync, a hub that knows nothing of the kiosk), that every file says what
//! it is for, and that the map names every part of the tree and nothing
//! that is not there. Reads the sources as text; builds nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .expect("inside the crate")
        .to_string_lossy()
        .replace('\\', "/")
}

/// The crate's top-level modules a file names as `crate::<module>`.
fn crate_imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        // `cekiosk::crate::` never occurs; skip `$crate::` in macros.
        if text[..i].ends_with('$') {
            continue;
        }
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

/// The import rules as docs/code.md draws them: lines such as
/// `store   ──► records, domain`, one per top-level module.
fn import_rules(map: &str) -> Vec<(String, BTreeSet<String>)> {
    map.lines()
        .filter_map(|l| l.split_once("──►"))
        .map(|(module, to)| {
            let allowed = if to.contains("nothing of the crate") {
                BTreeSet::new()
            } else {
                to.split(',')
                    .filter_map(|m| m.split_whitespace().next())
                    .map(str::to_string)
                    .collect()
            };
            (module.trim().to_string(), allowed)
        })
        .collect()
}

#[test]
fn modules_import_only_what_the_map_draws() {
    let map = std::fs::read_to_string(root().join("docs/code.md")).expect("docs/code.md");
    let rules = import_rules(&map);
    assert!(rules.len() >= 8, "docs/code.md draws no import rules");
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let rel = relative(f);
        let text = std::fs::read_to_string(f).expect("a source file");
        let top = rel
            .trim_start_matches("src/")
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" || top == "lib" {
            continue;
        }
        seen.insert(top.clone());
        match rules.iter().find(|(m, _)| *m == top) {
            None => wrong.push(format!("{rel}: module {top} has no line on the map")),
            Some((_, allowed)) => {
                for m in crate_imports(&text) {
                    if m != top && !allowed.contains(&m) {
                        wrong.push(format!("{rel} imports crate::{m}"));
                    }
                }
            }
        }
        // Screens are driven by the app; they share its message and
        // context types, never the app itself.
        if rel.starts_with("src/kiosk/screens/")
            && (text.contains("kiosk::app") || text.contains("super::app"))
        {
            wrong.push(format!("{rel} imports the kiosk app"));
        }
    }
    for (m, _) in &rules {
        if !seen.contains(m) {
            wrong.push(format!("the map draws {m}, which is not a module"));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against docs/code.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_file_says_what_it_is_for() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("a source file");
            !text.trim_start().starts_with("//!")
        })
        .map(|f| relative(f))
        .collect();
    assert!(missing.is_empty(), "no module doc: {missing:?}");
}

/// The paths docs/code.md names in backticks, such as `src/hub/http/`.
fn mapped_paths(map: &str) -> BTreeSet<String> {
    map.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("src/"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_code_map_matches_the_tree() {
    let map = std::fs::read_to_string(root().join("docs/code.md")).expect("docs/code.md");
    let named = mapped_paths(&map);
    let gone: Vec<&String> = named.iter().filter(|p| !root().join(p).exists()).collect();
    assert!(
        gone.is_empty(),
        "docs/code.md names what is not there: {gone:?}"
    );
    // Every file and folder of src/ and of its module folders is on the
    // map (a folder's mod.rs goes with the folder; deeper files are the
    // folder's business).
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(root().join("src")).expect("src") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            for inner in std::fs::read_dir(&p).expect("a module folder") {
                parts.push(inner.expect("an entry").path());
            }
        }
        parts.push(p);
    }
    let mut unmapped: Vec<String> = parts
        .iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "mod.rs" && n != "tests.rs" && n != "snapshots")
        })
        .map(|p| {
            let rel = relative(p);
            if p.is_dir() { format!("{rel}/") } else { rel }
        })
        .filter(|rel| !named.contains(rel))
        .collect();
    unmapped.sort();
    assert!(
        unmapped.is_empty(),
        "docs/code.md does not say where these live: {unmapped:?}"
    );
}
