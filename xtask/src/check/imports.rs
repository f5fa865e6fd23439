//! The import graph of a crate's source tree, and its circles: which module reaches into
//! which through a `crate::…` or `super::…` path (a `use` or a path in code), read from the
//! tokens of each file. Paths inside macro invocations (`quote! { crate::… }` writes code, it
//! does not import it) and in doc comments are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::error::{Error, Result};

/// Module path (`model::normalize`; the crate root is `crate`) → the modules it imports.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The module path of a source file, relative to the crate's `src`.
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    if parts.is_empty() {
        "crate".to_owned()
    } else {
        parts.join("::")
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Error(format!("cannot read {}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// What one module file holds, for resolving a path through it.
#[derive(Debug, Default)]
struct Contents {
    /// Names of the items it declares (`struct X`, `fn x`, `mod x`…).
    defined: BTreeSet<String>,
    /// Its `use` declarations: the name each brings in, and the path it names.
    uses: Vec<(String, Vec<String>)>,
    /// Its glob imports (`use x::*`), as paths.
    globs: Vec<Vec<String>>,
    /// Every `crate::…` and `super::…` path in it, with the depth of the inline modules
    /// (`mod tests { … }`) it sits in: their `super` stays in the file.
    paths: Vec<(usize, Vec<String>)>,
}

/// The graph of the crate whose sources are under `src` (`src/lib.rs` is its root). A path
/// through a re-export (`crate::Session`, re-exported by the root from `generated`) is an
/// edge to the module that defines the item, so the root's facade is not a hub.
///
/// # Errors
///
/// When a file cannot be read or lexed.
pub fn graph(src: &Path) -> Result<Graph> {
    let mut files = Vec::new();
    rust_files(src, &mut files)?;
    let mut contents: BTreeMap<String, Contents> = BTreeMap::new();
    for file in &files {
        let Ok(relative) = file.strip_prefix(src) else {
            continue;
        };
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error(format!("cannot read {}: {e}", file.display())))?;
        let tokens = TokenStream::from_str(&text)
            .map_err(|e| Error(format!("{} does not lex: {e}", file.display())))?;
        let mut found = Contents::default();
        scan(tokens, 0, &mut found);
        contents.insert(module_of(relative), found);
    }
    let mut graph = Graph::new();
    for (from, found) in &contents {
        let edges = graph.entry(from.clone()).or_default();
        for (inline, path) in &found.paths {
            // A `super` that leaves an inline module only is this file again.
            let supers = path.iter().take_while(|s| *s == "super").count();
            if supers > 0 && supers <= *inline {
                continue;
            }
            let outer: Vec<String> = path.iter().skip(*inline).cloned().collect();
            let path = if supers > 0 { &outer } else { path };
            if let Some(to) = resolve(from, path, &contents)
                && to != *from
            {
                edges.insert(to);
            }
        }
    }
    Ok(graph)
}

/// Reads a file's tokens: declared names, `use` declarations, and `crate`/`super` paths.
fn scan(tokens: TokenStream, inline: usize, out: &mut Contents) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        match token {
            TokenTree::Ident(ident) if ident == "use" => {
                let mut paths = Vec::new();
                i = path_from(&tokens, i + 1, Vec::new(), &mut paths);
                for path in paths {
                    if path.first().is_some_and(|s| s == "crate" || s == "super") {
                        out.paths.push((inline, path.clone()));
                    }
                    match path.last().map(String::as_str) {
                        Some("*") => {
                            let mut base = path;
                            base.pop();
                            out.globs.push(base);
                        }
                        Some(name) => out.uses.push((name.to_owned(), path.clone())),
                        None => {}
                    }
                }
                continue;
            }
            TokenTree::Ident(ident)
                if [
                    "struct", "enum", "trait", "type", "fn", "const", "static", "mod", "union",
                ]
                .iter()
                .any(|k| ident == k) =>
            {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    out.defined.insert(name.to_string());
                    // An inline module: its paths are one level deeper.
                    if ident == "mod"
                        && let Some(TokenTree::Group(body)) = tokens.get(i + 2)
                    {
                        scan(body.stream(), inline + 1, out);
                        i += 3;
                        continue;
                    }
                }
            }
            TokenTree::Ident(ident)
                if (ident == "crate" || ident == "super") && is_path_sep(&tokens, i + 1) =>
            {
                let mut paths = Vec::new();
                i = path_from(&tokens, i, Vec::new(), &mut paths);
                out.paths.extend(paths.into_iter().map(|p| (inline, p)));
                continue;
            }
            // A macro's body is code it writes or matches, not an import; `macro_rules!`
            // declares a name.
            TokenTree::Punct(p) if p.as_char() == '!' => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    out.defined.insert(name.to_string());
                    i += 3;
                    continue;
                }
                if matches!(tokens.get(i + 1), Some(TokenTree::Group(_))) {
                    i += 2;
                    continue;
                }
            }
            TokenTree::Group(group) => scan(group.stream(), inline, out),
            _ => {}
        }
        i += 1;
    }
}

fn is_path_sep(tokens: &[TokenTree], at: usize) -> bool {
    matches!(
        (tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// Reads the path starting at `tokens[start]` (after `prefix`), pushing each full path;
/// returns the index after it.
fn path_from(
    tokens: &[TokenTree],
    start: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut i = start;
    loop {
        match tokens.get(i) {
            Some(TokenTree::Ident(ident)) => {
                prefix.push(ident.to_string());
                i += 1;
                // `use a::b as c`: the name is `c`, the path still `a::b`.
                if matches!(tokens.get(i), Some(TokenTree::Ident(kw)) if kw == "as") {
                    i += 2;
                    break;
                }
            }
            Some(TokenTree::Punct(star)) if star.as_char() == '*' => {
                prefix.push("*".to_owned());
                i += 1;
                break;
            }
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                // `{a, b::c, self}`: one path per part.
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let mut j = 0;
                while j < inner.len() {
                    let end = inner
                        .iter()
                        .skip(j)
                        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                        .map_or(inner.len(), |p| j + p);
                    if let Some(part) = inner.get(j..end).filter(|p| !p.is_empty()) {
                        path_from(part, 0, prefix.clone(), out);
                    }
                    j = end + 1;
                }
                return i + 1;
            }
            _ => break,
        }
        if !is_path_sep(tokens, i) {
            break;
        }
        i += 2;
    }
    out.push(prefix);
    i
}

/// The module a path names: its longest prefix that is a module of the crate, or, when the
/// path goes on to an item that module re-exports, the module that defines the item.
fn resolve(from: &str, path: &[String], contents: &BTreeMap<String, Contents>) -> Option<String> {
    let mut absolute: Vec<String> = if from == "crate" {
        Vec::new()
    } else {
        from.split("::").map(str::to_owned).collect()
    };
    let mut rest = path.iter().peekable();
    match rest.peek().map(|s| s.as_str()) {
        Some("crate") => {
            absolute.clear();
            rest.next();
        }
        Some("super") => {
            while rest.peek().is_some_and(|s| *s == "super") {
                absolute.pop()?;
                rest.next();
            }
        }
        _ => return None,
    }
    let name = |parts: &[String]| {
        if parts.is_empty() {
            "crate".to_owned()
        } else {
            parts.join("::")
        }
    };
    let mut module = name(&absolute);
    if !contents.contains_key(&module) {
        return None;
    }
    for segment in rest {
        if segment == "self" || segment == "*" {
            break;
        }
        absolute.push(segment.clone());
        let candidate = name(&absolute);
        if contents.contains_key(&candidate) {
            module = candidate;
        } else {
            return Some(defining(&module, segment, contents, 0).unwrap_or(module));
        }
    }
    Some(module)
}

/// The module that defines `item`, as seen from `module`: itself, or where its `use`
/// declarations and globs lead. `None` for a name from outside the crate.
fn defining(
    module: &str,
    item: &str,
    contents: &BTreeMap<String, Contents>,
    depth: usize,
) -> Option<String> {
    let found = contents.get(module)?;
    if depth > 16 {
        return None;
    }
    if found.defined.contains(item) {
        return Some(module.to_owned());
    }
    let target = |path: &[String]| -> Option<String> {
        // A relative path starts at a child module; `crate`/`super` as in `resolve`.
        let first = path.first()?;
        let full: Vec<String> = if first == "crate" || first == "super" || first == "self" {
            path.to_vec()
        } else {
            std::iter::once("self".to_owned())
                .chain(path.iter().cloned())
                .collect()
        };
        let mut absolute: Vec<String> = if module == "crate" {
            Vec::new()
        } else {
            module.split("::").map(str::to_owned).collect()
        };
        let mut rest = full.iter().peekable();
        if rest.peek().is_some_and(|s| *s == "crate") {
            absolute.clear();
            rest.next();
        }
        while rest.peek().is_some_and(|s| *s == "super" || *s == "self") {
            if rest.next().is_some_and(|s| s == "super") {
                absolute.pop()?;
            }
        }
        absolute.extend(rest.cloned());
        Some(if absolute.is_empty() {
            "crate".to_owned()
        } else {
            absolute.join("::")
        })
    };
    for (name, path) in &found.uses {
        if name == item {
            let full = target(path)?;
            let (parent, leaf) = full.rsplit_once("::").unwrap_or(("crate", full.as_str()));
            if contents.contains_key(&full) {
                return Some(full.clone());
            }
            return defining(parent, leaf, contents, depth + 1)
                .or_else(|| contents.contains_key(parent).then(|| parent.to_owned()));
        }
    }
    for glob in &found.globs {
        if let Some(base) = target(glob)
            && let Some(owner) = defining(&base, item, contents, depth + 1)
        {
            return Some(owner);
        }
    }
    None
}

/// Every circle of the graph, each as the modules around it (`a -> b -> a`), in a fixed
/// order: for each strongly connected component of more than one module (or a module that
/// imports itself), a shortest way around it from its first module.
#[must_use]
pub fn circles(graph: &Graph) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut done: BTreeSet<&String> = BTreeSet::new();
    for start in graph.keys() {
        if done.contains(start) {
            continue;
        }
        let forward = reachable(graph, start);
        let component: BTreeSet<&String> = forward
            .iter()
            .copied()
            .filter(|m| reachable(graph, m).contains(start))
            .collect();
        done.extend(component.iter().copied());
        if !component.is_empty() {
            out.push(walk(graph, start, &component));
        }
    }
    out
}

/// The modules `from` imports, directly or not.
fn reachable<'a>(graph: &'a Graph, from: &String) -> BTreeSet<&'a String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&String> = graph.get(from).into_iter().flatten().collect();
    while let Some(m) = stack.pop() {
        if seen.insert(m) {
            stack.extend(graph.get(m).into_iter().flatten());
        }
    }
    seen
}

/// A shortest circle from `start` back to it, inside `component`, found breadth first.
fn walk(graph: &Graph, start: &String, component: &BTreeSet<&String>) -> Vec<String> {
    let mut previous: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(m) = queue.pop_front() {
        for next in graph.get(m).into_iter().flatten() {
            if next == start {
                // Back from `m` to `start` through `previous`, then the right way round.
                let mut back = vec![start.clone()];
                let mut at = m;
                while at != start {
                    back.push(at.clone());
                    match previous.get(at) {
                        Some(before) => at = before,
                        None => break,
                    }
                }
                back.push(start.clone());
                back.reverse();
                return back;
            }
            if component.contains(next) && !previous.contains_key(next) {
                previous.insert(next, m);
                queue.push_back(next);
            }
        }
    }
    vec![start.clone()]
}

/// The imports against a stage rule: `stages` gives each top-level module its stage; a module
/// may import an ancestor, a module of an earlier stage, or one of its own stage, except that
/// the children of a module in `separate` (the emitters) may not import one another: only
/// its `shared` child (what several of them read), which imports none of them.
#[must_use]
pub fn stage_violations(graph: &Graph, stages: &[(&str, u8)], separate: &[&str]) -> Vec<String> {
    let stage = |module: &str| {
        let top = module.split("::").next().unwrap_or_default();
        stages
            .iter()
            .find(|(name, _)| *name == top)
            .map(|(_, s)| *s)
    };
    let mut out = Vec::new();
    for (from, targets) in graph {
        for to in targets {
            let ancestor = from.starts_with(&format!("{to}::")) || to == "crate";
            if ancestor && to != "crate" {
                continue;
            }
            let (Some(a), Some(b)) = (stage(from), stage(to)) else {
                out.push(format!("{from} -> {to}: a module in no stage"));
                continue;
            };
            if b > a {
                out.push(format!("{from} -> {to}: stage {a} imports stage {b}"));
            } else if b == a {
                let top = from.split("::").next().unwrap_or_default();
                let siblings = to.starts_with(&format!("{top}::")) && from != top && to != top;
                // `{top}::shared` is what the emitters share: any of them may import it.
                let shared =
                    *to == format!("{top}::shared") || to.starts_with(&format!("{top}::shared::"));
                if separate.contains(&top) && siblings && !shared {
                    out.push(format!("{from} -> {to}: an emitter imports another"));
                }
            }
        }
    }
    out
}
