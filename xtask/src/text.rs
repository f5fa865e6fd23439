//! Text in generated code: doc attributes (one `///` line each, wrapped to fit 100 columns),
//! and the article before a word.

use syn::{Attribute, parse_quote};

/// The width of a doc line's text: with `    /// ` at two levels of nesting it ends at
/// column 100.
const DOC_WIDTH: usize = 88;

/// `#[doc = " line"]` per line of `text`, wrapped at [`DOC_WIDTH`], so that prettyplease
/// prints `/// line` (never a `/** … */` block). Lines of a table or a code block, and words
/// longer than the width, stay whole.
pub(crate) fn doc_attrs(text: &str) -> Vec<Attribute> {
    wrap(text)
        .into_iter()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            parse_quote!(#[doc = #line])
        })
        .collect()
}

/// `text`'s lines, each paragraph line wrapped at [`DOC_WIDTH`] on spaces.
pub(crate) fn wrap(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            out.push(line.to_owned());
            continue;
        }
        let linked = link_bare_urls(line);
        let line = linked.as_str();
        if line.len() <= DOC_WIDTH || line.trim_start().starts_with('|') {
            out.push(line.to_owned());
            continue;
        }
        // A list item's continuation lines are indented under its text.
        let indent = " ".repeat(list_marker_width(line));
        let indent = indent.as_str();
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.len() + 1 + word.len() > DOC_WIDTH {
                out.push(std::mem::take(&mut current));
                current.push_str(indent);
            } else if !current.is_empty() && current != indent {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out
}

/// `line` with each bare URL (a word that starts with `http://` or `https://`, or with `(`
/// and one of them) in angle brackets, as rustdoc wants a link; a closing `.`, `,`, `;`, `:`
/// or `)` stays outside.
fn link_bare_urls(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let open = if word.starts_with('(') { "(" } else { "" };
            let rest = word.get(open.len()..).unwrap_or_default();
            if !(rest.starts_with("http://") || rest.starts_with("https://")) {
                return word.to_owned();
            }
            let url = rest.trim_end_matches(['.', ',', ';', ':', ')']);
            let after = rest.get(url.len()..).unwrap_or_default();
            format!("{open}<{url}>{after}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The width of a line's list marker with its indentation (`- `, `* `, `12. `), 0 when
/// the line is no list item.
fn list_marker_width(line: &str) -> usize {
    let text = line.trim_start();
    let lead = line.len() - text.len();
    if text.starts_with("- ") || text.starts_with("* ") {
        return lead + 2;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && text
            .get(digits..)
            .is_some_and(|rest| rest.starts_with(". "))
    {
        return lead + digits + 2;
    }
    0
}

/// `a` or `an`, as `word` is spoken (`an` before a vowel sound: `an Organization`,
/// `a User`), ignoring leading punctuation such as a backtick or a bracket.
pub(crate) fn article(word: &str) -> &'static str {
    let word = word
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase();
    let vowel = word.starts_with(['a', 'e', 'i', 'o'])
        || (word.starts_with('u')
            && !["us", "uni", "uti", "ur"]
                .iter()
                .any(|p| word.starts_with(p)));
    if vowel { "an" } else { "a" }
}

/// `text` with its first letter in upper case (`an [`X`]` → `An [`X`]`).
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `a word` or `an word`: [`article`] and the word.
pub(crate) fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(with_article("`Organization`"), "an `Organization`");
        assert_eq!(
            with_article("[`EventAttributes`]"),
            "an [`EventAttributes`]"
        );
        assert_eq!(with_article("`Session`"), "a `Session`");
        assert_eq!(with_article("`User`"), "a `User`");
        assert_eq!(with_article("`UnknownValue`"), "an `UnknownValue`");
    }

    #[test]
    fn long_lines_wrap_and_tables_and_code_do_not() {
        let long = "word ".repeat(40);
        let lines = wrap(long.trim());
        assert!(lines.len() > 1 && lines.iter().all(|l| l.len() <= DOC_WIDTH));
        assert_eq!(lines.join(" "), long.trim());
        let table = format!("| {} |", "x".repeat(120));
        assert_eq!(wrap(&table), std::slice::from_ref(&table));
        let code = format!("```\n{}\n```", "y ".repeat(80));
        assert_eq!(wrap(&code).len(), 3);
        for (marker, indent) in [("- ", "  "), ("* ", "  "), ("10. ", "    ")] {
            let item = format!("{marker}{}", "z ".repeat(60));
            let lines = wrap(&item);
            assert!(
                lines
                    .get(1)
                    .is_some_and(|l| l.starts_with(&format!("{indent}z")))
            );
        }
    }

    #[test]
    fn bare_urls_become_links_and_code_keeps_them() {
        assert_eq!(
            wrap("e.g. https://www.example.com. Or (http://a.test), `https://b.test`"),
            ["e.g. <https://www.example.com>. Or (<http://a.test>), `https://b.test`"]
        );
        assert_eq!(wrap("```\nhttps://c.test\n```")[1], "https://c.test");
    }
}
