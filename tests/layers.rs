//! Every import points down (issue 19), in the portal (`src/`) and the emulator (`emulator/src/`):
//! - the portal's pure rules (`domain/`) import nothing from the ARM client (`arm/`);
//! - in the emulator, `store/` (state, its rules and demo data, persistence) imports neither
//!   `sim/` nor anything above; `sim/` imports nothing above it (`arm/`, the servers);
//! - no two files import each other, tests included.
//! The order is written out in docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every `.rs` file under `root`, by module path (`store/demo/mod.rs` is `store::demo`).
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Module = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                if parts == ["lib"] || parts == ["main"] {
                    parts.clear();
                }
                out.insert(parts, path);
            }
        }
    }
    out
}

/// The paths written in some code: `a::b::c` runs of identifiers (comments left out).
fn paths(code: &str) -> Vec<Vec<String>> {
    let code: String = code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if ident(b[i]) && (i == 0 || (!ident(b[i - 1]) && b[i - 1] != b':')) {
            let mut parts = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < b.len() && ident(b[j]) {
                    j += 1;
                }
                parts.push(code[start..j].to_string());
                if j + 2 < b.len() && &b[j..j + 2] == b"::" && ident(b[j + 2]) {
                    j += 2;
                } else {
                    break;
                }
            }
            if parts.len() > 1 {
                out.push(parts);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The file modules `code` (in module `base`, or in its `tests`) refers to.
fn deps(files: &BTreeMap<Module, PathBuf>, module: &Module, base: &Module, code: &str) -> BTreeSet<Module> {
    let resolve = |path: Vec<String>| -> Option<Module> { (0..=path.len()).rev().map(|k| path[..k].to_vec()).find(|p| files.contains_key(p)) };
    let mut out = BTreeSet::new();
    for p in paths(code) {
        let target = match p[0].as_str() {
            "crate" => resolve(p[1..].to_vec()),
            "super" => {
                let ups = p.iter().take_while(|x| *x == "super").count();
                let mut b = base.clone();
                b.truncate(base.len().saturating_sub(ups));
                resolve([b, p[ups..].to_vec()].concat())
            }
            first => {
                let child = [module.clone(), vec![first.to_string()]].concat();
                files.contains_key(&child).then(|| resolve([module.clone(), p.clone()].concat())).flatten()
            }
        };
        if let Some(t) = target.filter(|t| t != module) {
            out.insert(t);
        }
    }
    out
}

fn graph(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let files = modules(root);
    files
        .iter()
        .map(|(m, path)| {
            let text = std::fs::read_to_string(path).unwrap();
            let (main, tests) = text.split_once("#[cfg(test)]\nmod tests").unwrap_or((&text, ""));
            let mut d = deps(&files, m, m, main);
            d.extend(deps(&files, m, &[m.clone(), vec!["tests".into()]].concat(), tests));
            (m.clone(), d)
        })
        .collect()
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn mutual(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let mut out = Vec::new();
    for (a, ds) in g {
        for b in ds.iter().filter(|b| a < *b) {
            if g.get(b).is_some_and(|back| back.contains(a)) {
                out.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    out
}

fn under(m: &Module, top: &str) -> bool {
    m.first().is_some_and(|f| f == top)
}

#[test]
fn no_two_files_import_each_other() {
    for tree in ["src", "emulator/src"] {
        let found = mutual(&graph(&root(tree)));
        assert!(found.is_empty(), "{tree}: {found:#?}");
    }
}

#[test]
fn the_portals_rules_import_nothing_from_the_arm_client() {
    let g = graph(&root("src"));
    let up: Vec<String> = g.iter().filter(|(m, _)| under(m, "domain")).flat_map(|(m, ds)| ds.iter().filter(|d| under(d, "arm")).map(move |d| format!("{} -> {}", m.join("::"), d.join("::")))).collect();
    assert!(up.is_empty(), "{up:#?}");
}

#[test]
fn the_emulators_layers_only_look_down() {
    let g = graph(&root("emulator/src"));
    // Above `store`: everything but the bottom helpers and the demo users' identities.
    let store_may = |d: &Module| under(d, "store") || under(d, "clock") || under(d, "ids") || d == &["authority".to_string(), "users".to_string()];
    let sim_may = |d: &Module| store_may(d) || under(d, "sim");
    let mut up = Vec::new();
    for (m, ds) in &g {
        let allowed: &dyn Fn(&Module) -> bool = if under(m, "store") { &store_may } else if under(m, "sim") { &sim_may } else { continue };
        up.extend(ds.iter().filter(|d| !allowed(d)).map(|d| format!("{} -> {}", m.join("::"), d.join("::"))));
    }
    assert!(up.is_empty(), "{up:#?}");
}

#[test]
fn the_check_itself_sees_a_mutual_import_and_an_upward_one() {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("store")).unwrap();
    std::fs::write(dir.join("lib.rs"), "pub mod store; pub mod sim;").unwrap();
    std::fs::write(dir.join("store/mod.rs"), "pub mod a;\nuse a::thing;\n").unwrap();
    std::fs::write(dir.join("store/a.rs"), "use super::Other; // comment: crate::sim::x\n").unwrap();
    std::fs::write(dir.join("sim.rs"), "fn f() { crate::store::a::thing(); }\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n").unwrap();
    let g = graph(&dir);
    assert_eq!(mutual(&g), ["store <-> store::a"]);
    assert!(g[&vec!["sim".to_string()]].contains(&vec!["store".to_string(), "a".to_string()]));
    assert!(!g[&vec!["store".to_string(), "a".to_string()]].contains(&vec!["sim".to_string()]), "comments are not imports");
    std::fs::remove_dir_all(dir).unwrap();
}
