//! The import graph of the xtask and of `clerk-models`: no circle, and the xtask's stages
//! import only downwards (ARCHITECTURE.md, "Generator stages").

// Test code: a failed step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use xtask::check::imports::{self, Graph};

fn graph_of(src: &str) -> Graph {
    imports::graph(&xtask::workspace_root().join(src)).unwrap()
}

fn no_circle(src: &str) {
    let graph = graph_of(src);
    assert!(graph.len() > 10, "{src}: only {} modules read", graph.len());
    let circles = imports::circles(&graph);
    let named: Vec<String> = circles.iter().map(|c| c.join(" -> ")).collect();
    assert!(
        named.is_empty(),
        "{src} has import circles:\n{}",
        named.join("\n")
    );
}

#[test]
fn the_xtask_has_no_import_circle() {
    no_circle("xtask/src");
}

#[test]
fn clerk_models_has_no_import_circle() {
    no_circle("crates/clerk-models/src");
}

/// The xtask's stages in order: a module may import from an earlier stage, from its own
/// stage (but an emitter not from another emitter), and from its ancestors.
const STAGES: &[(&str, u8)] = &[
    ("error", 0),
    ("config", 0),
    ("naming", 0),
    ("text", 0),
    ("load", 1),
    ("model", 2),
    ("typify_pass", 3),
    ("emit", 4),
    ("check", 5),
    ("tools", 6),
    ("pipeline", 7),
    ("cli", 8),
    ("crate", 9),
];

#[test]
fn the_xtask_stages_import_only_downwards() {
    let graph = graph_of("xtask/src");
    let violations = imports::stage_violations(&graph, STAGES, &["emit"]);
    assert!(
        violations.is_empty(),
        "imports against the stage rule:\n{}",
        violations.join("\n")
    );
    // Every module is in a stage.
    for module in graph.keys() {
        let top = module.split("::").next().unwrap_or_default();
        assert!(
            STAGES.iter().any(|(name, _)| *name == top),
            "{module} is in no stage of this test"
        );
    }
}

#[test]
fn a_circle_and_a_stage_break_are_named() {
    let dir = std::env::temp_dir().join(format!("xtask-imports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "mod emit; mod pipeline;");
    write(
        "pipeline.rs",
        "use crate::emit::enums::tokens;\nfn f() { quote::quote!(crate::x::y) }",
    );
    write(
        "emit/mod.rs",
        "pub(crate) mod enums; pub(crate) mod unions; pub(crate) mod shared;",
    );
    // What the emitters share may be imported by them, and may import none of them.
    write(
        "emit/shared/mod.rs",
        "use crate::emit::enums::tokens;\npub(crate) mod signature;",
    );
    write("emit/shared/signature.rs", "pub(crate) fn s() {}");
    // An emitter that reaches back into the orchestrator and into another emitter.
    write(
        "emit/enums.rs",
        "use crate::{pipeline::generate, emit::unions::{a, b::c}};\npub(crate) fn tokens() {}",
    );
    write(
        "emit/unions.rs",
        "use super::super::pipeline;\nuse super::shared::signature::s;\n\
         /// [link](crate::emit::enums)\nfn u() {}",
    );
    let graph = imports::graph(Path::new(&dir)).unwrap();
    let edges = |m: &str| graph[m].iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        edges("pipeline"),
        ["emit::enums"],
        "macro bodies are not imports"
    );
    assert_eq!(edges("emit::enums"), ["emit::unions", "pipeline"]);
    assert_eq!(
        edges("emit::unions"),
        ["emit::shared::signature", "pipeline"],
        "doc links are not imports"
    );
    let circles = imports::circles(&graph);
    assert_eq!(
        circles,
        [vec!["emit::enums", "pipeline", "emit::enums"]],
        "{circles:?}"
    );
    let stages = [("emit", 4), ("pipeline", 7), ("crate", 9)];
    let violations = imports::stage_violations(&graph, &stages, &["emit"]);
    assert_eq!(
        violations,
        [
            "emit::enums -> emit::unions: an emitter imports another",
            "emit::enums -> pipeline: stage 4 imports stage 7",
            "emit::shared -> emit::enums: an emitter imports another",
            "emit::unions -> pipeline: stage 4 imports stage 7",
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
