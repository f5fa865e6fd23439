//! Public test vectors of Clerk's JS SDK, `@clerk/backend` (clerk/javascript,
//! `packages/backend/src/fixtures/index.ts` and `fixtures/machine.ts`): keys, tokens Clerk's
//! own code signed, and payloads. Facts used as test data, each named as Clerk names it.

use serde_json::{Value, json};

/// `mockJwtPayload`'s `iat`, which every fixture token shares; `mockJwt` expires 60 s later,
/// the OAuth fixtures 300 s later.
pub const VECTOR_IAT: i64 = 1_666_648_250;

/// `mockRsaJwkKid`: the `kid` of `mockJwks` and of every fixture token's header.
pub const MOCK_KID: &str = "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD";

/// `pemEncodedPublicKey`: the public half of `signingJwks` (`pemEncodedSignKey`), the key
/// that signed `signedJwt` and, despite their comment naming `mockJwks`, both OAuth fixtures.
pub const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqYy3MY8fOneEyzNDu9lp
6iGXKkNUF+u/dUnrlkadZYyB35efzKFJEr9fftmWv5PUj1uRHTQ3bh6X1cceOYsI
jy008dHWZJsKhGOxgdTjeK91rjaklxt7tyFXEiKHIOr1LSgKzopClOfCIjxK/oPU
Of38pVh7WnekcSBQmU5fqA+EzKMi6k9VwvbzqKlZM4XQsiFyn28d9VubJWjTU8nN
ot0n1NE+9k6TxM8nglM4RwkBH4Ni4B0LhKKOOV+AG8tBNiZVil415dpBldmJ/j0w
k7Ad4VFi9en3Z17oCKr+K+zuT7vKMKSb1548dk0vnmi0vj2QGXSo+61wM5yQWpk6
sQIDAQAB
-----END PUBLIC KEY-----";

/// `mockJwks`: `mockRsaJwk` alone.
#[must_use]
pub fn mock_jwks() -> String {
    json!({"keys": [{
        "use": "sig", "kty": "RSA", "kid": MOCK_KID, "alg": "RS256",
        "n": "u0tNUitBZmcGYMWcqvaRBaJe0XmTQ738RHYoHjhYANyeOkysuu4L_Rqr-fmTXsbebrTp7_OewIqsJXImEWB_WQ3HN9lAkOMCCGDU1udsz_sl1Kwy5JZ7x8Nr4ghXJagQzEF0Ovsj7_TPsBJGkVJ-OiZsTXCe7EAmG5gNGGPBE5Gu14Rwb-eZ5r9RCAaPfhxR1yHYTAvCrku_6i2os7RLpT6UockKtX4QQSH2CMveNwqd6LdwhV8USZrczB2VYkAImngJC745-EWek1sVExYkqheGvC3J8O7D9H4JtaKD2zaq0rJzsIU0zb_wwax5-La-uRuPYvTXlO8B8IK4jjNMCQ",
        "e": "AQAB"
    }]})
    .to_string()
}

/// `mockSignedOAuthAccessTokenJwt`: an OAuth access token (header `typ: at+jwt`) signed by
/// Clerk's code, with a `sid` in its payload, valid from `nbf` `VECTOR_IAT - 10` until
/// `exp` `VECTOR_IAT + 300`.
pub const OAUTH_JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJhdCtqd3QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODU1MCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLm9hdXRoLmV4YW1wbGUudGVzdCIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJ2WVZ0ZXN0VEVTVHRlc3RURVNUdGVzdFRFU1R0ZXN0IiwiY2xpZW50X2lkIjoiY2xpZW50XzJWVFdVenZHQzVVaGRKQ054NnhHMUQ5OGVkYyIsInNjb3BlIjoicmVhZDpmb28gd3JpdGU6YmFyIiwianRpIjoib2F0XzJ4S2E5Qmd2N054TVJERnlRdzhMcFozY1RtVTF2SGpFIn0.Wgw5L2u0nGkxF9Y-5Dje414UEkxq2Fu3_VePeh1-GehCugi0eIXV-QyiXp1ba4pxWWbCfIC_hihzKjwnVb5wrhzqyw8FJpvnvtrHEjt-zSijpS7WlO7ScJDY-PE8zgH-CICnS2CKYSkP3Rbzka9XY_Z6ieUzmBSFdA_0K8pQOdDHv70y04dnL1CjL6XToncnvezioL388Y1UTqlhll8b2Pm4EI7rGdHVKzLcKnKoYpgsBPZLmO7qGPJ5BkHvmg3gOSkmIiziFaEZkoXvjbvEUAt5qEqzaADSaFP6QhRYNtr1s4OD9uj0SK6QaoZTj69XYFuNMNnm7zN_WxvPBMTq9g";

/// `mockSignedOAuthAccessTokenJwtApplicationTyp`: the same payload under
/// `typ: application/at+jwt`.
pub const OAUTH_JWT_APPLICATION_TYP: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJhcHBsaWNhdGlvbi9hdCtqd3QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODU1MCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLm9hdXRoLmV4YW1wbGUudGVzdCIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJ2WVZ0ZXN0VEVTVHRlc3RURVNUdGVzdFRFU1R0ZXN0IiwiY2xpZW50X2lkIjoiY2xpZW50XzJWVFdVenZHQzVVaGRKQ054NnhHMUQ5OGVkYyIsInNjb3BlIjoicmVhZDpmb28gd3JpdGU6YmFyIiwianRpIjoib2F0XzJ4S2E5Qmd2N054TVJERnlRdzhMcFozY1RtVTF2SGpFIn0.GPTvB4doScjzQD0kRMhMebVDREjwcrMWK73OP_kFc3pl0gST29BlWrKMBi8wRxoSJBc2ukO10BPhGxnh15PxCNLyk6xQFWhFBA7XpVxY4T_VHPDU5FEOocPQuqcqZ4cA1GDJST-BH511fxoJnv4kfha46IvQiUMvWCacIj_w12qfZigeb208mTDIeoJQtlYb-sD9u__CVvB4uZOqGb0lIL5-cCbhMPFg-6GQ2DhZ-Eq5tw7oyO6lPrsAaFN9u-59SLvips364ieYNpgcr9Dbo5PDvUSltqxoIXTDFo4esWw6XwUjnGfqCh34LYAhv_2QF2U0-GASBEn4GK-Wfv3wXg";

/// `mockM2MJwtPayload` (clerk/javascript, the M2M JWT plan and `fixtures/machine.ts`).
#[must_use]
pub fn m2m_payload() -> Value {
    json!({
        "iss": "https://clerk.m2m.example.test",
        "sub": "mch_2vYVtestTESTtestTESTtestTESTtest",
        "aud": ["mch_1xxxxx", "mch_2xxxxx"],
        "exp": 1_666_648_550, "iat": 1_666_648_250, "nbf": 1_666_648_240,
        "jti": "mt_2xKa9Bgv7NxMRDFyQw8LpZ3cTmU1vHjE",
        "scopes": "mch_1xxxxx mch_2xxxxx"
    })
}

/// `mockTokens`: the opaque forms, which only the Backend API verifies.
pub const OPAQUE_API_KEY: &str = "ak_LCWGdaM8mv8K4PC/57IICZQXAeWfCgF30DZaFXHoGn9=";
/// `mockTokens.oauth_token`.
pub const OPAQUE_OAUTH_TOKEN: &str = "oat_8XOIucKvqHVr5tYP123456789abcdefghij";
/// `mockTokens.m2m_token`.
pub const OPAQUE_M2M_TOKEN: &str = "mt_8XOIucKvqHVr5tYP123456789abcdefghij";
