//! The embedded demo account: an owner admin (`admin@example.com`, token `demo-token`), an
//! agent and a dozen end users with identities, so a newcomer can curl the server at once.
//! It is an ordinary seed world, loaded through the same path as `POST /__mock/seed`.

/// The demo account's subdomain; it is the default account.
pub const SUBDOMAIN: &str = "demo";

/// The demo world.
pub fn world() -> serde_json::Value {
    serde_json::from_str(include_str!("demo_world.json")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_world_parses() {
        let world = super::world();
        assert!(
            world["users"].as_array().is_some_and(|u| u.len() >= 13),
            "demo world must parse and hold its users"
        );
    }
}
