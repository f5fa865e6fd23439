//! What a cache writes, it reads back: every model through JSON, MessagePack (both
//! `to_vec`, which writes structs as arrays, and `to_vec_named`), CBOR, bincode 2 and
//! postcard, from `any::<Model>()` (the crate's own strategies: unknown enum values, `None`
//! everywhere it may be, edge timestamps, free-form JSON in `actor`, custom claims and raw
//! `data`) and from the real fixtures. JSON input stays object-only.

use std::fmt::Debug;

use clerk_models::{Client, Session, SessionClaims, WebhookEnvelope};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Writes `value` in every format and reads it back; returns the first format that lost or
/// refused something.
fn round_trips<T>(value: &T) -> Result<(), String>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let check = |format: &str, back: Result<T, String>| match back {
        Ok(back) if &back == value => Ok(()),
        Ok(back) => Err(format!("{format}: read back {back:?}, wrote {value:?}")),
        Err(e) => Err(format!("{format}: {e}")),
    };
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    check(
        "JSON",
        clerk_models::from_str(&json).map_err(|e| e.to_string()),
    )?;
    let rmp = rmp_serde::to_vec(value).map_err(|e| e.to_string())?;
    check(
        "rmp_serde::to_vec",
        rmp_serde::from_slice(&rmp).map_err(|e| e.to_string()),
    )?;
    let named = rmp_serde::to_vec_named(value).map_err(|e| e.to_string())?;
    check(
        "rmp_serde::to_vec_named",
        rmp_serde::from_slice(&named).map_err(|e| e.to_string()),
    )?;
    let mut cbor = Vec::new();
    ciborium::into_writer(value, &mut cbor).map_err(|e| e.to_string())?;
    check(
        "ciborium",
        ciborium::from_reader(cbor.as_slice()).map_err(|e| e.to_string()),
    )?;
    let config = bincode::config::standard();
    let bin = bincode::serde::encode_to_vec(value, config).map_err(|e| e.to_string())?;
    check(
        "bincode",
        bincode::serde::decode_from_slice(&bin, config)
            .map_err(|e| e.to_string())
            .and_then(|(v, read)| {
                if read == bin.len() {
                    Ok(v)
                } else {
                    Err(format!("{read} of {} bytes read", bin.len()))
                }
            }),
    )?;
    let post = postcard::to_allocvec(value).map_err(|e| e.to_string())?;
    check(
        "postcard",
        postcard::from_bytes(&post).map_err(|e| e.to_string()),
    )
}

/// Every generated model and union, from the crate's own list (`__for_each_model!`, which
/// the xtask writes): a new schema is in this matrix without an edit here.
mod every_model {
    macro_rules! round_trip_tests {
        ($($model:ident),* $(,)?) => {
            $(
                #[allow(non_snake_case)]
                mod $model {
                    use proptest::prelude::*;

                    proptest! {
                        #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

                        #[test]
                        fn round_trips_in_every_format(value in any::<clerk_models::$model>()) {
                            prop_assert_eq!(super::super::round_trips(&value), Ok(()));
                        }
                    }
                }
            )*
        };
    }

    clerk_models::__for_each_model!(round_trip_tests);
}

/// An impersonated session (free-form `actor`) and a token with custom claims: the two
/// values bincode and postcard could not carry as they are.
#[test]
fn free_form_json_travels_as_json_text() {
    let session: Session = clerk_models::from_str(
        r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "actor":{"sub":"user_admin","iss":"https://dashboard.clerk.com","extra":[1,{"a":null}]},
        "status":"active","last_active_at":1,"expire_at":2,"abandon_at":3,"updated_at":4,"created_at":5}"#,
    )
    .unwrap();
    assert!(session.actor.is_some());
    assert_eq!(round_trips(&session), Ok(()));
    let claims: SessionClaims = clerk_models::from_str(
        r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1,"exp":2,
        "tenant":"acme","flags":{"beta":true},"act":{"sub":"user_admin","note":"support"}}"#,
    )
    .unwrap();
    assert_eq!(claims.custom.len(), 2);
    assert_eq!(round_trips(&claims), Ok(()));
}

/// `rmp_serde::to_vec` writes arrays; JSON arrays are still refused.
#[test]
fn json_stays_object_only() {
    let session = Session::builder()
        .id("sess_1")
        .user_id("user_1")
        .client_id("client_1")
        .status(clerk_models::SessionStatus::Active)
        .last_active_at(1)
        .expire_at(2)
        .abandon_at(3)
        .updated_at(4)
        .created_at(5)
        .build();
    let array = serde_json::json!([
        "session", "sess_1", "user_1", "client_1", null, "active", null, null, 1, 2, 3, 4, 5
    ]);
    let err = clerk_models::from_value::<Session>(array).unwrap_err();
    assert!(
        err.to_string().contains("expected a `Session` object"),
        "{err}"
    );
    assert_eq!(round_trips(&session), Ok(()));
}

/// Every real Backend API session and client of the fixtures survives every format.
#[test]
fn real_fixtures_round_trip_in_every_format() {
    let Some(dir) = clerk_models_tests::fixtures_dir("real_fixtures_round_trip_in_every_format")
    else {
        return;
    };
    let mut checked = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let json = std::fs::read_to_string(path).unwrap();
        let name = path.display();
        if let Ok(session) = clerk_models::from_str::<Session>(&json) {
            assert_eq!(round_trips(&session), Ok(()), "{name}");
            checked += 1;
        } else if let Ok(client) = clerk_models::from_str::<Client>(&json) {
            assert_eq!(round_trips(&client), Ok(()), "{name}");
            checked += 1;
        } else if let Ok(list) = clerk_models::from_str::<clerk_models::SessionList>(&json) {
            for session in &list {
                assert_eq!(round_trips(session), Ok(()), "{name}");
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 5,
        "only {checked} fixtures were sessions, clients or session lists"
    );
}

/// The `arbitrary` impls (feature `arbitrary`, for fuzzing) make models that round-trip too:
/// from pseudo-random bytes, as a fuzzer would feed them.
#[test]
fn arbitrary_models_round_trip() {
    use arbitrary::{Arbitrary, Unstructured};

    fn check<T>(bytes: &[u8]) -> usize
    where
        T: for<'a> Arbitrary<'a> + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let mut u = Unstructured::new(bytes);
        let mut made = 0;
        while let Ok(value) = T::arbitrary(&mut u) {
            assert_eq!(round_trips(&value), Ok(()));
            made += 1;
            if u.is_empty() {
                break;
            }
        }
        made
    }
    // A fixed xorshift stream: reproducible, and varied enough to reach every branch.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let made = check::<Session>(&bytes)
        + check::<Client>(&bytes)
        + check::<SessionClaims>(&bytes)
        + check::<WebhookEnvelope>(&bytes);
    assert!(made >= 20, "only {made} models were made");
}
