//! The shape of the code, held to what docs/code.md says of it: which
//! module may import which (rules without I/O, storage without screens or
//! sync, a hub that knows nothing of the kiosk), that every file says what
//! it is for, that the map names every part of the tree and nothing that
//! is not there, that no files and no folders import each other in a
//! circle, and that no two types share a name. Reads the sources as text;
//! builds nothing.

use std::collections::{BTreeMap, BTreeSet};
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

/// A source file's module path: `src/hub/db/ingest.rs` is
/// `["hub", "db", "ingest"]`, `src/hub/db/mod.rs` is `["hub", "db"]`.
fn module_of(rel: &str) -> Vec<String> {
    let path = rel.trim_start_matches("src/").trim_end_matches(".rs");
    let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The file that defines module `path`, if the tree has one.
fn file_of(path: &[String], files: &BTreeSet<String>) -> Option<String> {
    let joined = path.join("/");
    [
        format!("src/{joined}.rs"),
        format!("src/{joined}/mod.rs"),
        if path.is_empty() {
            "src/lib.rs".to_string()
        } else {
            String::new()
        },
    ]
    .into_iter()
    .find(|f| files.contains(f))
}

/// Every path a file names from its own crate (`crate::`, `super::`,
/// `self::`), with one level of `{a, b::c}` groups spread out, as module
/// paths from the crate's root.
fn named_paths(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| ident(c) || c == '$' || c == ':') {
                continue;
            }
            let rest = &text[i..];
            let end = rest
                .find(|c: char| {
                    !(ident(c)
                        || c == ':'
                        || c == '{'
                        || c == '}'
                        || c == ','
                        || c == ' '
                        || c == '\n')
                })
                .unwrap_or(rest.len());
            let whole = &rest[..end];
            let (head, group) = match whole.split_once("::{") {
                Some((h, g)) => (h, g.split('}').next().unwrap_or("")),
                None => (
                    whole.split([' ', ',', '}', '{', '\n']).next().unwrap_or(""),
                    "",
                ),
            };
            let mut base: Vec<String> = Vec::new();
            let mut segs = head.split("::").filter(|s| !s.is_empty());
            match segs.next() {
                Some("crate") => {}
                Some("super") => {
                    // The module `super` names: a mod.rs's parent is the
                    // folder above it; a file's is its own folder.
                    base = module.to_vec();
                    base.pop();
                    for s in segs.by_ref() {
                        if s == "super" {
                            base.pop();
                        } else {
                            base.push(s.to_string());
                            break;
                        }
                    }
                }
                Some("self") => base = module.to_vec(),
                _ => continue,
            }
            base.extend(segs.map(str::to_string));
            if group.is_empty() {
                out.push(base);
            } else {
                for g in group.split(',') {
                    let mut p = base.clone();
                    p.extend(
                        g.trim()
                            .split("::")
                            .filter(|s| !s.is_empty() && s.chars().all(ident))
                            .map(str::to_string),
                    );
                    out.push(p);
                }
            }
        }
    }
    out
}

/// Strongly connected parts of more than one node, each sorted.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: Vec<&String> = edges.keys().collect();
    let reach = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let part: Vec<String> = nodes
            .iter()
            .filter(|m| reached[*n].contains(**m) && reached[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if part.len() > 1 {
            found.insert(part);
        }
    }
    found.into_iter().collect()
}

/// Which file imports which: the files of `src/`, and each file's
/// imports resolved to the file that defines what it names (the deepest
/// module of the path that is a file of the tree). A parent's `mod`
/// declarations are not imports.
fn file_imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut paths = Vec::new();
    rust_files(&root().join("src"), &mut paths);
    let files: BTreeSet<String> = paths.iter().map(|p| relative(p)).collect();
    let mut edges = BTreeMap::new();
    for p in &paths {
        let rel = relative(p);
        let text = std::fs::read_to_string(p).expect("a source file");
        let module = module_of(&rel);
        let mut to = BTreeSet::new();
        for path in named_paths(&text, &module) {
            let target = (0..=path.len())
                .rev()
                .find_map(|n| file_of(&path[..n], &files));
            // A folder's mod.rs hands on and drives its own files: that
            // is the folder's face, not an import (the files may use
            // what it defines).
            let own_file =
                |t: &str| rel.ends_with("/mod.rs") && t.starts_with(rel.trim_end_matches("mod.rs"));
            if let Some(t) = target
                && t != rel
                && t != "src/lib.rs"
                && !own_file(&t)
            {
                to.insert(t);
            }
        }
        edges.insert(rel, to);
    }
    edges
}

#[test]
fn no_file_and_no_folder_imports_in_a_circle() {
    let files = file_imports();
    let mut wrong: Vec<String> = circles(&files)
        .into_iter()
        .map(|c| format!("files in a circle: {}", c.join(" -> ")))
        .collect();
    // Folders, as a reader looking into each folder sees them: its files
    // and its sub-folders, each sub-folder one room standing for every
    // file under it.
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for f in files.keys() {
        let mut d = f.as_str();
        while let Some((up, _)) = d.rsplit_once('/') {
            folders.insert(up.to_string());
            d = up;
        }
    }
    for dir in &folders {
        let room = |f: &str| -> Option<String> {
            let rest = f.strip_prefix(&format!("{dir}/"))?;
            Some(match rest.split_once('/') {
                Some((sub, _)) => format!("{dir}/{sub}/"),
                None => f.to_string(),
            })
        };
        let mut rooms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in &files {
            let Some(a) = room(from) else { continue };
            for t in to {
                if let Some(b) = room(t)
                    && a != b
                {
                    rooms.entry(a.clone()).or_default().insert(b);
                }
            }
        }
        wrong.extend(
            circles(&rooms)
                .into_iter()
                .map(|c| format!("in {dir}/, rooms in a circle: {}", c.join(" -> "))),
        );
    }
    assert!(wrong.is_empty(), "import circles:\n{}", wrong.join("\n"));
}

/// Every `struct`, `enum`, `trait` and type alias the crate defines (not
/// a trait's associated types), with the file it is in.
fn type_names() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    rust_files(&root().join("src"), &mut paths);
    let mut out = Vec::new();
    for p in &paths {
        let rel = relative(p);
        let text = std::fs::read_to_string(p).expect("a source file");
        let mut depth_in_impl: Option<usize> = None;
        let mut depth = 0usize;
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with("//") {
                continue;
            }
            if (t.starts_with("impl")
                || t.contains(" impl ")
                || t.starts_with("pub trait")
                || t.starts_with("trait"))
                && depth_in_impl.is_none()
                && line.contains('{')
            {
                depth_in_impl = Some(depth);
            }
            let words: Vec<&str> = t
                .split(|c: char| {
                    c.is_whitespace() || c == '<' || c == '{' || c == '(' || c == ';' || c == '='
                })
                .filter(|w| !w.is_empty())
                .collect();
            let kw = words
                .iter()
                .position(|w| matches!(*w, "struct" | "enum" | "trait" | "type"));
            if let Some(k) = kw
                && words[..k].iter().all(|w| w.starts_with("pub"))
                && let Some(name) = words.get(k + 1)
                && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && !(words[k] == "type" && depth_in_impl.is_some())
            {
                out.push((name.to_string(), rel.clone()));
            }
            depth += line.matches('{').count();
            depth = depth.saturating_sub(line.matches('}').count());
            if depth_in_impl.is_some_and(|d| depth <= d) && line.contains('}') {
                depth_in_impl = None;
            }
        }
    }
    out
}

#[test]
fn no_two_types_share_a_name() {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, file) in type_names() {
        by_name.entry(name).or_default().push(file);
    }
    assert!(
        by_name.len() > 50,
        "too few types found: the reader is broken"
    );
    let shared: Vec<String> = by_name
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "types that share a name (rename one to say what it holds):\n{}",
        shared.join("\n")
    );
}
