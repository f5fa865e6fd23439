//! Multipart bodies: [`Upload`], the file a user sends (a profile image, a logo), and
//! [`Form`], the body the upload operations write.

use core::fmt;

use crate::RequestError;

/// A file to upload: a user's profile image, an organization's or an OAuth application's
/// logo.
///
/// ```
/// use clerk_models_api::Upload;
///
/// let logo = Upload::new("logo.png", "image/png", vec![0x89, b'P', b'N', b'G']);
/// assert_eq!(logo.len(), 4);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    file_name: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl Upload {
    /// A file by its name, its media type (`image/png`) and its content.
    #[must_use]
    pub fn new(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }

    /// Its file name.
    #[must_use]
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Its media type.
    #[must_use]
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Its content.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Its size in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether it is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for Upload {
    /// Its name, type and size; not its bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One part of a form.
#[allow(dead_code, reason = "only the groups with an upload build a form")]
enum Part<'a> {
    Text(&'a str),
    File(&'a Upload),
}

/// A `multipart/form-data` body being written, part by part.
#[derive(Default)]
#[allow(dead_code, reason = "only the groups with an upload build a form")]
pub(crate) struct Form<'a> {
    parts: Vec<(&'static str, Part<'a>)>,
}

#[allow(dead_code, reason = "only the groups with an upload build a form")]
impl<'a> Form<'a> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A text part.
    pub(crate) fn text(&mut self, name: &'static str, value: &'a str) {
        self.parts.push((name, Part::Text(value)));
    }

    /// A file part.
    pub(crate) fn file(&mut self, name: &'static str, upload: &'a Upload) {
        self.parts.push((name, Part::File(upload)));
    }

    /// The body's `Content-Type` (with its boundary) and bytes.
    ///
    /// The boundary is the first of a fixed sequence that no part holds, so the same form
    /// always gives the same bytes, and no content can end a part early.
    pub(crate) fn into_body(self) -> Result<(String, Vec<u8>), RequestError> {
        let contents = |boundary: &str| {
            self.parts.iter().any(|(_, part)| {
                let bytes = match part {
                    Part::Text(text) => text.as_bytes(),
                    Part::File(upload) => upload.bytes(),
                };
                contains(bytes, boundary.as_bytes())
            })
        };
        let mut boundary = String::from("clerk-models-api-boundary");
        let mut n = 0_u32;
        while contents(&boundary) {
            n += 1;
            boundary = format!("clerk-models-api-boundary-{n:08x}");
        }
        let mut body = Vec::new();
        for (name, part) in &self.parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"")
                    .as_bytes(),
            );
            match part {
                Part::Text(text) => {
                    body.extend_from_slice(b"\r\n\r\n");
                    body.extend_from_slice(text.as_bytes());
                }
                Part::File(upload) => {
                    let content_type = upload.content_type();
                    if content_type.is_empty()
                        || !content_type
                            .bytes()
                            .all(|b| b.is_ascii_graphic() || b == b' ')
                    {
                        return Err(RequestError::Upload {
                            part: name,
                            reason: "its media type is empty or holds a control or non-ASCII character",
                        });
                    }
                    body.extend_from_slice(b"; filename=\"");
                    body.extend_from_slice(quoted(upload.file_name()).as_bytes());
                    body.extend_from_slice(
                        format!("\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
                    );
                    body.extend_from_slice(upload.bytes());
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((format!("multipart/form-data; boundary={boundary}"), body))
    }
}

/// A file name as a quoted parameter holds it: `"`, CR and LF percent-encoded, as browsers
/// write them (WHATWG's multipart/form-data encoding).
#[allow(dead_code, reason = "only the groups with an upload build a form")]
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[allow(dead_code, reason = "only the groups with an upload build a form")]
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_and_the_boundary_is_in_no_part() {
        let evil = Upload::new(
            "a\"b\r\n.png",
            "image/png",
            b"x\r\n--clerk-models-api-boundary--\r\n".to_vec(),
        );
        let mut form = Form::new();
        form.text("user_id", "user_1");
        form.file("file", &evil);
        let (content_type, body) = form.into_body().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            content_type,
            "multipart/form-data; boundary=clerk-models-api-boundary-00000001"
        );
        let text = String::from_utf8_lossy(&body);
        assert_eq!(
            text,
            "--clerk-models-api-boundary-00000001\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\nuser_1\r\n\
             --clerk-models-api-boundary-00000001\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"a%22b%0D%0A.png\"\r\nContent-Type: image/png\r\n\r\n\
             x\r\n--clerk-models-api-boundary--\r\n\r\n--clerk-models-api-boundary-00000001--\r\n"
        );
    }

    #[test]
    fn a_media_type_cannot_add_a_header() {
        let evil = Upload::new("a.png", "image/png\r\nX-Evil: 1", Vec::new());
        let mut form = Form::new();
        form.file("file", &evil);
        assert!(matches!(
            form.into_body(),
            Err(RequestError::Upload { part: "file", .. })
        ));
    }
}
