//! The built-in client's TLS: a JWKS endpoint on 127.0.0.1 over https with a certificate no
//! root of Mozilla's vouches for is refused before any byte of the document is read.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clerk_models_axum::{FetchError, KeySet};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::AsyncWriteExt as _;

#[tokio::test]
async fn a_self_signed_certificate_is_refused() {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (connections, handshakes) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (c, h) = (connections.clone(), handshakes.clone());
    // Bounded: four connections at most, and the test's runtime ends the task.
    let server = tokio::spawn(async move {
        for _ in 0..4 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            c.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut tls) = acceptor.accept(stream).await {
                h.fetch_add(1, Ordering::SeqCst);
                let body = r#"{"keys": []}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
            }
        }
    });
    let keys = KeySet::jwks_url(&format!("https://127.0.0.1:{port}/.well-known/jwks.json"))
        .unwrap()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = keys.prefetch().await.unwrap_err();
    assert!(matches!(err, FetchError::Transport(_)), "{err:?}");
    assert!(
        connections.load(Ordering::SeqCst) >= 1,
        "the client never connected"
    );
    assert_eq!(
        handshakes.load(Ordering::SeqCst),
        0,
        "the handshake must fail"
    );
    assert!(keys.verifier().is_none());
    server.abort();
}
