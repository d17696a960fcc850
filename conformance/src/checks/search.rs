//! Search and the incremental exports (facts §7, §8).
//!
//! Zendesk's index trails writes by minutes. Against the mock (control API present) the account
//! has no lag, so each search runs once; against a real sandbox a search that must find a new
//! record is retried for a few minutes before the check gives up (`eventually`).

use super::context::need;
use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use crate::client::Reply;
use serde_json::{Value, json};
use std::time::Duration;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "search.terms.match_word_prefixes_not_infixes",
            Documented,
            "https://support.zendesk.com/hc/en-us/articles/4408886879258 (facts §7: \"top\" finds \"Tip-Top\", not \"Desktop\")",
            "A search term matches whole words and word prefixes, never the middle or end of a \
             word.",
            word_prefixes_not_infixes
        ),
        check!(
            "search.phrase.exact_words_in_order",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/ (facts §7)",
            "A quoted phrase matches its words whole and in order.",
            phrase_exact_words_in_order
        ),
        check!(
            "search.results.result_type_and_true_count",
            Documented,
            "OAS SearchResponse (facts §7)",
            "Search results are the resource objects plus result_type, with facets null and a \
             count of every match.",
            result_type_and_true_count
        ),
        check!(
            "search.paging.beyond_1000_is_422",
            Recorded,
            "facts §2, §7 [facetoe/zenpy#371]",
            "Asking for results past the first 1,000 (page 11 at 100 per page) is 422 \
             \"Invalid search: Requested response size was greater than Search Response Limits\".",
            beyond_1000_is_422
        ),
        check!(
            "search.export.cursor_without_count",
            Documented,
            "OAS ExportSearchResults (facts §7)",
            "The search export pages by cursor: meta.has_more and after_cursor, links.prev always \
             null, no count.",
            export_cursor_without_count
        ),
        check!(
            "search.redaction.removes_text_from_results",
            Inferred,
            "facts §5.3, §7 (redaction rewrites the comment the index holds)",
            "Once indexed, text redacted from a comment no longer finds the ticket.",
            redaction_removes_text
        ),
        check!(
            "users.search.finds_any_identity",
            Recorded,
            "facts §3.3 [ZD2 users_spec]",
            "Searching users by a secondary email finds the user, shown with the primary email.",
            users_search_finds_any_identity
        ),
        check!(
            "incremental.start_time_too_recent_refused",
            Inferred,
            "facts §8 (items of the last minute are excluded; old docs refused recent start_times)",
            "An incremental export whose start_time is in the future is refused with a 4xx.",
            incremental_recent_start_refused
        ),
        check!(
            "incremental.admins_only",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ (facts §8: Admins only)",
            "Agents may not use the incremental exports: 403.",
            incremental_admins_only
        ),
    ]
}

/// A word no other record holds, for scoping a search to this check's data.
fn nonce(ctx: &mut Ctx) -> String {
    let unique = ctx.unique("zq");
    unique.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// Runs `query` until `done` holds for the reply: once against the mock, for up to three
/// minutes against a real Zendesk whose index trails writes.
async fn eventually(
    ctx: &Ctx,
    query: &str,
    extra: &[(&str, String)],
    done: impl Fn(&Reply) -> bool,
) -> Outcome<Reply> {
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    loop {
        let reply = ctx.client.search(query, extra).await?;
        if ctx.control || done(&reply) || std::time::Instant::now() > deadline {
            return Ok(reply);
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

/// The ids of a search reply's results.
fn ids(reply: &Reply) -> Vec<i64> {
    reply.body["results"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn word_prefixes_not_infixes(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let word = nonce(ctx);
    let tip = ctx
        .ticket(user.id, "open", &format!("{word} Tip-Top Mops"))
        .await?;
    let desk = ctx
        .ticket(user.id, "open", &format!("{word} Desktop Solutions"))
        .await?;
    let query = format!("type:ticket {word} top");
    let reply = eventually(ctx, &query, &[], |r| ids(r).contains(&tip.id)).await?;
    expect::status(&reply, 200, "search")?;
    let found = ids(&reply);
    expect::that(
        found.contains(&tip.id) && !found.contains(&desk.id),
        &format!(
            "\"top\" finds Tip-Top (ticket {}) but not Desktop (ticket {})",
            tip.id, desk.id
        ),
        &reply,
    )
}

async fn phrase_exact_words_in_order(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let word = nonce(ctx);
    let ticket = ctx
        .ticket(
            user.id,
            "open",
            &format!("{word} the network topology broke"),
        )
        .await?;
    let query = format!("{word} \"network topology\"");
    let reply = eventually(ctx, &query, &[], |r| ids(r).contains(&ticket.id)).await?;
    expect::that(
        ids(&reply) == [ticket.id],
        "the phrase in order finds the ticket",
        &reply,
    )?;
    let reversed = ctx
        .client
        .search(&format!("{word} \"topology network\""), &[])
        .await?;
    expect::that(
        ids(&reversed).is_empty(),
        "the words reversed find nothing",
        &reversed,
    )?;
    let partial = ctx
        .client
        .search(&format!("{word} \"network topo\""), &[])
        .await?;
    expect::that(
        ids(&partial).is_empty(),
        "a phrase's last word is whole, not a prefix",
        &partial,
    )
}

async fn result_type_and_true_count(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let word = nonce(ctx);
    let mut made = Vec::new();
    for n in 0..3 {
        made.push(
            ctx.ticket(user.id, "open", &format!("{word} number {n}"))
                .await?
                .id,
        );
    }
    let query = format!("type:ticket {word}");
    let extra = [("per_page", "2".to_owned())];
    let reply = eventually(ctx, &query, &extra, |r| r.body["count"] == 3).await?;
    expect::status(&reply, 200, "search")?;
    expect::field(&reply, "/count", 3, "count of every match, not of the page")?;
    expect::field(&reply, "/facets", Value::Null, "facets")?;
    expect::field(&reply, "/results/0/result_type", "ticket", "result_type")?;
    expect::that(
        reply.body["results"]
            .as_array()
            .is_some_and(|r| r.len() == 2)
            && reply.body["next_page"].is_string(),
        "a page of 2 and a next_page",
        &reply,
    )
}

async fn beyond_1000_is_422(ctx: &mut Ctx) -> Outcome {
    let extra = [("page", "11".to_owned()), ("per_page", "100".to_owned())];
    let reply = ctx.client.search("type:ticket", &extra).await?;
    expect::status(&reply, 422, "page 11 at 100 per page")?;
    expect::equal(
        &reply.body,
        &json!({"error": "invalid", "description": "Invalid search: Requested response size was greater than Search Response Limits"}),
        "the refusal body",
    )
}

async fn export_cursor_without_count(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let word = nonce(ctx);
    for n in 0..3 {
        ctx.ticket(user.id, "open", &format!("{word} export {n}"))
            .await?;
    }
    let _ = eventually(ctx, &format!("type:ticket {word}"), &[], |r| {
        r.body["count"] == 3
    })
    .await?;
    let first = ctx.client.search_export(&word, "ticket", 2, None).await?;
    expect::status(&first, 200, "export, first page")?;
    expect::field(&first, "/meta/has_more", true, "has_more on the first page")?;
    expect::field(&first, "/links/prev", Value::Null, "links.prev")?;
    expect::that(
        first.body.get("count").is_none(),
        "no count in an export",
        &first,
    )?;
    let after = need(
        first.body["meta"]["after_cursor"].as_str(),
        "meta.after_cursor",
    )?
    .to_owned();
    let second = ctx
        .client
        .search_export(&word, "ticket", 2, Some(&after))
        .await?;
    expect::status(&second, 200, "export, second page")?;
    expect::field(
        &second,
        "/meta/has_more",
        false,
        "has_more on the last page",
    )?;
    let mut all: Vec<i64> = ids(&first);
    all.extend(ids(&second));
    all.sort_unstable();
    all.dedup();
    expect::that(
        all.len() == 3,
        "the two pages hold the three tickets once each",
        &second,
    )
}

async fn redaction_removes_text(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let word = nonce(ctx);
    let secret = format!("{word}secret");
    let ticket = ctx
        .ticket(user.id, "open", &format!("codename {secret} here"))
        .await?;
    let found = eventually(ctx, &secret, &[], |r| ids(r).contains(&ticket.id)).await?;
    expect::that(
        ids(&found) == [ticket.id],
        "the secret finds the ticket",
        &found,
    )?;
    let redacted = ctx
        .client
        .redact_comment_string(ticket.id, ticket.comment_id, &secret)
        .await?;
    expect::status(&redacted, 200, "redact the secret")?;
    let after = eventually(ctx, &secret, &[], |r| ids(r).is_empty()).await?;
    expect::that(
        ids(&after).is_empty(),
        "the redacted secret finds nothing",
        &after,
    )
}

async fn users_search_finds_any_identity(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let second = ctx.email("second");
    let added = ctx
        .client
        .create_identity(user.id, json!({"type": "email", "value": second}))
        .await?;
    expect::status(&added, 201, "add a secondary email")?;
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    let reply = loop {
        let reply = ctx.client.search_users(&second).await?;
        if ctx.control || reply.body["count"] == 1 || std::time::Instant::now() > deadline {
            break reply;
        }
        tokio::time::sleep(Duration::from_secs(10)).await;
    };
    expect::field(&reply, "/count", 1, "users found by the secondary email")?;
    expect::field(&reply, "/users/0/id", user.id, "the user")?;
    expect::field(
        &reply,
        "/users/0/email",
        user.email.as_str(),
        "shown with the primary email",
    )
}

async fn incremental_recent_start_refused(ctx: &mut Ctx) -> Outcome {
    let future = 4_102_444_800; // 2100-01-01
    let reply = ctx
        .client
        .incremental_cursor("tickets", Some(future), None)
        .await?;
    expect::that(
        (400..500).contains(&reply.status),
        "a start_time in the future is refused",
        &reply,
    )
}

async fn incremental_admins_only(ctx: &mut Ctx) -> Outcome {
    let agent = ctx.agent().await?;
    let reply = ctx
        .as_person(&agent)
        .incremental_cursor("tickets", Some(1_000_000_000), None)
        .await?;
    expect::error(&reply, 403, "Forbidden", "an agent's incremental export")
}
