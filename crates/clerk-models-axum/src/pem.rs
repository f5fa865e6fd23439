//! A public key as people hold it in the environment (`CLERK_JWT_KEY`), made into the PEM
//! text a verifier reads: the forms `@clerk/backend`'s `loadClerkJWKFromLocal` takes, and
//! the literal `\n` of `.env` files.

/// What every message about an unusable key says it expected.
pub(crate) const EXPECTED: &str = "expected an RSA public key as PEM (`-----BEGIN PUBLIC KEY-----`) \
     on several lines or on one, with real or literal `\\n` line breaks, or its base64 body \
     alone";

/// The PEM of `text`: the label of its `-----BEGIN …-----` line (`PUBLIC KEY` if it has
/// none, as for a bare base64 body), and its body wrapped at 64 columns. `Err` with what is
/// wrong, for a text that is no such key in any of these forms.
pub(crate) fn normalize(text: &[u8]) -> Result<String, &'static str> {
    let text = std::str::from_utf8(text).map_err(|_| "the key is not UTF-8 text")?;
    // `.env` files hold the key on one line with `\n` written out.
    let text = text.replace("\\r\\n", "\n").replace("\\n", "\n");
    let text = text.trim();
    let (label, body) = match text.strip_prefix("-----BEGIN ") {
        Some(rest) => {
            let (label, rest) = rest
                .split_once("-----")
                .ok_or("the `-----BEGIN` line does not end in `-----`")?;
            let end = format!("-----END {label}-----");
            let body = rest
                .trim_end()
                .strip_suffix(end.as_str())
                .ok_or("the key has no `-----END` line matching its `-----BEGIN` line")?;
            (label.to_owned(), body)
        }
        None => ("PUBLIC KEY".to_owned(), text),
    };
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if body.is_empty() {
        return Err("the key's body is empty");
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Err("the key's body is not base64");
    }
    let mut pem = format!("-----BEGIN {label}-----\n");
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        pem.push_str(line);
        pem.push('\n');
        rest = tail;
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    Ok(pem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_becomes_the_same_pem() {
        let body = "QUJD".repeat(40); // 160 base64 characters
        let lines: Vec<&str> = [&body[..64], &body[64..128], &body[128..]].to_vec();
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            lines.join("\n")
        );
        for form in [
            pem.clone(),
            pem.replace('\n', "\r\n"),
            format!("-----BEGIN PUBLIC KEY----- {body} -----END PUBLIC KEY-----"),
            format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----"),
            pem.replace('\n', "\\n"),
            format!("  {body}\n"),
        ] {
            assert_eq!(
                normalize(form.as_bytes()).as_deref(),
                Ok(pem.as_str()),
                "{form:?}"
            );
        }
        let rsa = normalize(b"-----BEGIN RSA PUBLIC KEY-----\nQUJD\n-----END RSA PUBLIC KEY-----");
        assert_eq!(
            rsa.as_deref(),
            Ok("-----BEGIN RSA PUBLIC KEY-----\nQUJD\n-----END RSA PUBLIC KEY-----\n")
        );
    }

    #[test]
    fn what_is_no_key_in_any_form_says_what_is_wrong() {
        for (text, why) in [
            (&b"\xff\xfe"[..], "not UTF-8"),
            (b"", "empty"),
            (b"-----BEGIN PUBLIC KEY-----\nQUJD\n", "`-----END`"),
            (
                b"-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PRIVATE KEY-----",
                "`-----END`",
            ),
            (b"sk_test_not a key", "not base64"),
            (b"-----BEGIN PUBLIC KEY", "does not end"),
        ] {
            let error = normalize(text).unwrap_err();
            assert!(error.contains(why), "{text:?}: {error}");
        }
    }
}
