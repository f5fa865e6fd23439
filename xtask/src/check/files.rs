//! Writing generated files, or checking that they are up to date.

use std::path::Path;

use crate::config;
use crate::error::{Error, Result};

/// What [`sync_dir`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The folder already held exactly these files.
    Fresh,
    /// Files were (re)written or removed.
    Written,
}

/// Every file under `dir`, as paths relative to it with `/` separators, sorted. A missing
/// folder has none.
///
/// # Errors
///
/// When a folder cannot be read.
pub fn list_dir(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && folder == dir => continue,
            Err(e) => return Err(Error(format!("cannot read {}: {e}", folder.display()))),
        };
        for entry in entries {
            let path = entry
                .map_err(|e| Error(format!("cannot read {}: {e}", folder.display())))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Makes the folder `dir` hold exactly `files` (`(path relative to it, contents)`). With
/// `check`, writes nothing and fails, naming every stale, missing and extra file (with a
/// short diff for a stale one). Without, writes what differs ([`write_all`]) and removes
/// the files `files` does not list.
///
/// # Errors
///
/// In check mode when anything differs; otherwise when a file cannot be written or removed.
pub fn sync_dir(dir: &Path, files: &[(String, String)], check: bool) -> Result<Outcome> {
    let present = list_dir(dir)?;
    let extra: Vec<&String> = present
        .iter()
        .filter(|p| !files.iter().any(|(name, _)| name == *p))
        .collect();
    let mut problems = Vec::new();
    let mut to_write = Vec::new();
    for (name, contents) in files {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(current) if current == *contents => {}
            Ok(current) => {
                problems.push(format!(
                    "{} is stale:\n{}",
                    path.display(),
                    short_diff(&current, contents)
                ));
                to_write.push((path, contents.clone()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("{} is missing", path.display()));
                to_write.push((path, contents.clone()));
            }
            Err(e) => return Err(Error(format!("cannot read {}: {e}", path.display()))),
        }
    }
    for name in &extra {
        problems.push(format!(
            "{} is extra: codegen does not write it",
            dir.join(name).display()
        ));
    }
    if problems.is_empty() {
        return Ok(Outcome::Fresh);
    }
    if check {
        return Err(Error(format!(
            "{} is not what `cargo xtask codegen` generates from schemas/. Run `cargo xtask \
             codegen` and commit the result.\n{}",
            dir.display(),
            problems.join("\n")
        )));
    }
    write_all(&to_write)?;
    for name in extra {
        let path = dir.join(name);
        std::fs::remove_file(&path)
            .map_err(|e| Error(format!("cannot remove {}: {e}", path.display())))?;
    }
    Ok(Outcome::Written)
}

/// Writes several files as one step: each new content goes to a temporary file beside its
/// target first, and only when all of them are written are they renamed into place. Files
/// whose content is already right are left alone. Returns the paths that changed.
pub fn write_all(files: &[(std::path::PathBuf, String)]) -> Result<Vec<std::path::PathBuf>> {
    let mut staged = Vec::new();
    for (path, contents) in files {
        if std::fs::read_to_string(path).is_ok_and(|current| current == *contents) {
            continue;
        }
        let tmp = path.with_extension("tmp");
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return Err(Error(format!("cannot create {}: {e}", parent.display())));
        }
        if let Err(e) = std::fs::write(&tmp, contents) {
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(Error(format!("cannot write {}: {e}", tmp.display())));
        }
        staged.push((tmp, path.clone()));
    }
    let mut changed = Vec::new();
    for (tmp, path) in staged {
        std::fs::rename(&tmp, &path)
            .map_err(|e| Error(format!("cannot replace {}: {e}", path.display())))?;
        changed.push(path);
    }
    Ok(changed)
}

/// The lines that differ between `old` (on disk) and `new` (generated), with line numbers:
/// the common head and tail are skipped and at most 12 lines of each side are shown.
#[must_use]
pub fn short_diff(old: &str, new: &str) -> String {
    const MAX: usize = 12;
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let old = old.get(head..).unwrap_or_default();
    let new = new.get(head..).unwrap_or_default();
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = old.get(..old.len() - tail).unwrap_or_default();
    let added = new.get(..new.len() - tail).unwrap_or_default();
    let mut out = format!(
        "--- on disk\n+++ generated\n@@ line {}: {} line(s) on disk, {} generated @@\n",
        head + 1,
        removed.len(),
        added.len()
    );
    for line in removed.iter().take(MAX) {
        out.push_str(&format!("-{line}\n"));
    }
    if removed.len() > MAX {
        out.push_str(&format!("-... {} more\n", removed.len() - MAX));
    }
    for line in added.iter().take(MAX) {
        out.push_str(&format!("+{line}\n"));
    }
    if added.len() > MAX {
        out.push_str(&format!("+... {} more\n", added.len() - MAX));
    }
    out
}

/// Makes the lines of `manifest` between [`config::API_FEATURES_BEGIN`] and
/// [`config::API_FEATURES_END`] read `block`. With `check`, writes nothing and fails, showing
/// the block, when they differ.
///
/// # Errors
///
/// When the manifest cannot be read or written, has no such lines, or (in check mode)
/// differs.
pub fn sync_features(manifest: &Path, block: &str, check: bool) -> Result<Outcome> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| Error(format!("cannot read {}: {e}", manifest.display())))?;
    let begin = text.find(config::API_FEATURES_BEGIN);
    let end = text.find(config::API_FEATURES_END);
    let (Some(begin), Some(end)) = (begin, end.filter(|e| Some(*e) > begin)) else {
        return Err(Error(format!(
            "{} has no generated features (the lines `{}` and `{}`)",
            manifest.display(),
            config::API_FEATURES_BEGIN,
            config::API_FEATURES_END
        )));
    };
    let start = begin + config::API_FEATURES_BEGIN.len() + 1;
    let current = text.get(start..end).unwrap_or_default();
    if current == block {
        return Ok(Outcome::Fresh);
    }
    if check {
        return Err(Error(format!(
            "{}'s features are not what `cargo xtask codegen` generates; they should read:\n{block}",
            manifest.display()
        )));
    }
    let updated = format!(
        "{}{block}{}",
        text.get(..start).unwrap_or_default(),
        text.get(end..).unwrap_or_default()
    );
    write_all(&[(manifest.to_path_buf(), updated)])?;
    Ok(Outcome::Written)
}

/// Every file of the generated folder under `root`, concatenated in path order: what the
/// tests search for a generated item without knowing its file.
///
/// # Errors
///
/// When the folder cannot be read.
pub fn read_generated(root: &Path) -> Result<String> {
    let dir = root.join(config::GENERATED_DIR);
    let mut text = String::new();
    for name in list_dir(&dir)? {
        let path = dir.join(&name);
        text.push_str(
            &std::fs::read_to_string(&path)
                .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?,
        );
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_diff_shows_a_deleted_line_with_its_number() {
        let diff = short_diff("a\nb\nc\n", "a\nB\nb\nc\n");
        assert!(
            diff.contains("@@ line 2: 0 line(s) on disk, 1 generated @@"),
            "{diff}"
        );
        assert!(diff.contains("+B\n"), "{diff}");
    }

    #[test]
    fn check_mode_names_the_stale_file_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("g.rs");
        std::fs::write(&path, "old\n").unwrap();
        let files = [("g.rs".to_owned(), "new\n".to_owned())];
        let err = sync_dir(&dir, &files, true).unwrap_err();
        assert!(err.0.contains("g.rs is stale"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(sync_dir(&dir, &files, false).unwrap(), Outcome::Written);
        assert_eq!(sync_dir(&dir, &files, true).unwrap(), Outcome::Fresh);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
