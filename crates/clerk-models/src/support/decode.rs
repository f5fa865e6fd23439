//! Decoding entry points whose errors name the JSON path of the failing value.

use core::fmt;

use serde::de::DeserializeOwned;

/// A decoding error that says where and what.
///
/// Its `Display` form is `<path>: <what> at line <l> column <c>`, for example
/// `sessions[2].expire_at: invalid type: null, expected i64 at line 1 column 486`. The path
/// is left out when the error concerns the top-level value, and the line and column when the
/// input was a [`serde_json::Value`].
///
/// ```
/// use clerk_models::Client;
///
/// let json = r#"{"object": "client", "id": "client_1", "session_ids": [], "sessions": [],
///   "sign_in_id": null, "sign_up_id": null, "last_active_session_id": null,
///   "last_authentication_strategy": null, "updated_at": "soon", "created_at": 1}"#;
/// let err = clerk_models::from_str::<Client>(json).unwrap_err();
/// assert_eq!(err.path(), "updated_at");
/// assert_eq!(err.pointer(), "/updated_at");
/// assert!(err.to_string().starts_with("updated_at: invalid type: string \"soon\", expected i64"));
/// ```
pub struct Error {
    path: String,
    pointer: String,
    inner: serde_json::Error,
    /// For a failure found in a second step (a webhook body kept whole, then read as an
    /// event): the message, with its position.
    nested_message: Option<String>,
}

/// Where a nested decode failed, relative to the value being nested.
#[derive(Debug)]
struct Nested {
    path: String,
    pointer: String,
    message: String,
}

std::thread_local! {
    /// Set by a `Deserialize` impl that decodes its input in a second step (a webhook body,
    /// kept whole, then read as an event) when that fails; read, and cleared, by
    /// [`from_str`], [`from_slice`] and [`from_value`] right after the decode they ran, so
    /// their error names the full path. Plain serde callers get the same text in the message.
    static NESTED: core::cell::RefCell<Option<Nested>> = const { core::cell::RefCell::new(None) };
}

/// Passes on an error found by decoding, in a second step, the very input being decoded (a
/// webhook body kept whole, then read as an event), and returns the message for the outer
/// error: [`from_str`] and its siblings then give the error its own path.
pub(crate) fn relay(error: &Error) -> String {
    if error.path.is_empty() {
        clear_nested();
        return error.inner.to_string();
    }
    let message = error
        .nested_message
        .clone()
        .unwrap_or_else(|| error.inner.to_string());
    NESTED.with(|n| {
        *n.borrow_mut() = Some(Nested {
            path: error.path.clone(),
            pointer: error.pointer.clone(),
            message,
        });
    });
    error.to_string()
}

/// `path` (dotted, relative to the value at the key `member`) from the outer object.
fn join_path(member: &str, path: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else if path.starts_with('[') {
        format!("{member}{path}")
    } else {
        format!("{member}.{path}")
    }
}

fn clear_nested() {
    NESTED.with(|n| n.borrow_mut().take());
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Error {
    fn new(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let mut path = String::new();
        let mut pointer = String::new();
        for segment in error.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => {
                    path.push_str(&format!("[{index}]"));
                    pointer.push_str(&format!("/{index}"));
                }
                Segment::Map { key } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(key));
                }
                Segment::Enum { variant } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(variant);
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(variant));
                }
                Segment::Unknown => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push('?');
                    pointer.push_str("/?");
                }
            }
        }
        Self {
            path,
            pointer,
            inner: error.into_inner(),
            nested_message: None,
        }
        .with_nested()
    }

    fn at_root(inner: serde_json::Error) -> Self {
        Self {
            path: String::new(),
            pointer: String::new(),
            inner,
            nested_message: None,
        }
        .with_nested()
    }

    /// An error that is not about the shape of the input (JSON that does not parse again).
    pub(crate) fn from_json(inner: serde_json::Error) -> Self {
        Self {
            path: String::new(),
            pointer: String::new(),
            inner,
            nested_message: None,
        }
    }

    /// Joins the location a nested decode recorded (if any) onto this error's.
    fn with_nested(mut self) -> Self {
        if let Some(nested) = NESTED.with(|n| n.borrow_mut().take()) {
            self.path = if self.path.is_empty() {
                nested.path
            } else {
                format!("{}.{}", self.path, nested.path)
            };
            self.pointer.push_str(&nested.pointer);
            self.nested_message = Some(nested.message);
        }
        self
    }

    /// This error, found inside the value at the key `member` of an outer object: the path
    /// and pointer start at that object (`has_image` in `data` becomes `data.has_image`).
    pub(crate) fn within(mut self, member: &str) -> Self {
        self.path = join_path(member, &self.path);
        self.pointer = format!("/{}{}", escape_pointer(member), self.pointer);
        self
    }

    /// The path of the failing value in dotted form (`sessions[2].expire_at`); empty for
    /// the top-level value. For a missing field it is the path of the object that lacks it.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The same path as a JSON Pointer (RFC 6901): `/sessions/2/expire_at`, `""` for the
    /// top-level value.
    #[must_use]
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The 1-based line of the input where the error was found; 0 when decoding a
    /// [`serde_json::Value`].
    #[must_use]
    pub fn line(&self) -> usize {
        self.inner.line()
    }

    /// The 1-based column of the input where the error was found; 0 when decoding a
    /// [`serde_json::Value`].
    #[must_use]
    pub fn column(&self) -> usize {
        self.inner.column()
    }

    /// What kind of failure it was: malformed JSON, early end of input, or JSON of the
    /// wrong shape.
    #[must_use]
    pub fn classify(&self) -> serde_json::error::Category {
        self.inner.classify()
    }

    /// The underlying `serde_json` error (its message, without the path).
    #[must_use]
    pub fn json_error(&self) -> &serde_json::Error {
        &self.inner
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(message) = &self.nested_message {
            return write!(f, "{}: {message}", self.path);
        }
        if self.path.is_empty() {
            fmt::Display::fmt(&self.inner, f)
        } else {
            write!(f, "{}: {}", self.path, self.inner)
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("path", &self.path)
            .field("error", &self.inner)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

impl From<Error> for serde_json::Error {
    /// Keeps the message and position; the path is lost.
    fn from(error: Error) -> Self {
        error.inner
    }
}

/// Decodes a model (or any `serde` type) from JSON text, reporting the path of a failure.
///
/// Trailing non-whitespace after the value is an error, as with [`serde_json::from_str`].
/// Decoding that succeeds costs the same as `serde_json::from_str`: the path is worked out
/// only after a failure, by decoding the input once more with path tracking.
///
/// ```
/// use clerk_models::{Session, SessionStatus};
///
/// let json = r#"{"object": "session", "id": "sess_1", "user_id": "user_1",
///   "client_id": "client_1", "status": "pending", "last_active_at": 1700000000000,
///   "expire_at": 1700604800000, "abandon_at": 1702592000000,
///   "updated_at": 1700000000000, "created_at": 1700000000000}"#;
/// let session: Session = clerk_models::from_str(json)?;
/// assert_eq!(session.status, SessionStatus::Pending);
/// # Ok::<(), clerk_models::Error>(())
/// ```
///
/// # Errors
///
/// An [`Error`] naming the path, the problem and the position, when the text is not JSON
/// or does not have the model's shape.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, Error> {
    serde_json::from_str(json)
        .map_err(|first| locate::<_, T>(&mut serde_json::Deserializer::from_str(json), first))
}

/// Decodes a model (or any `serde` type) from JSON bytes, reporting the path of a failure.
///
/// # Errors
///
/// As [`from_str`]; invalid UTF-8 inside a string is an error too.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(json)
        .map_err(|first| locate::<_, T>(&mut serde_json::Deserializer::from_slice(json), first))
}

/// Decodes a model (or any `serde` type) from a parsed [`serde_json::Value`], reporting the
/// path of a failure (without line and column, which a `Value` does not have).
///
/// ```
/// use clerk_models::SessionTask;
///
/// let task: SessionTask = clerk_models::from_value(serde_json::json!({"key": "sign-contract"}))?;
/// assert_eq!(task.key.as_str(), "sign-contract");
/// let err = clerk_models::from_value::<SessionTask>(serde_json::json!({"key": null})).unwrap_err();
/// assert_eq!(err.path(), "key");
/// # Ok::<(), clerk_models::Error>(())
/// ```
///
/// # Errors
///
/// An [`Error`] naming the path and the problem when the value does not have the model's
/// shape.
pub fn from_value<T: DeserializeOwned>(json: serde_json::Value) -> Result<T, Error> {
    T::deserialize(&json).map_err(|first| {
        clear_nested();
        match serde_path_to_error::deserialize::<_, T>(&json) {
            Err(tracked) => Error::new(tracked),
            Ok(_) => Error::at_root(first),
        }
    })
}

/// The path of a failure: decodes the input again, tracking the path. Decoding is
/// deterministic, so this meets the same error at the same position; should it not, the
/// first error is kept, without a path.
fn locate<'de, R, T>(de: &mut serde_json::Deserializer<R>, first: serde_json::Error) -> Error
where
    R: serde_json::de::Read<'de>,
    T: DeserializeOwned,
{
    clear_nested();
    match serde_path_to_error::deserialize::<_, T>(&mut *de) {
        Err(tracked) => Error::new(tracked),
        Ok(_) => Error::at_root(de.end().err().unwrap_or(first)),
    }
}
