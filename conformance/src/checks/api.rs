//! Cross-cutting conventions: authentication failures, the anonymous /users/me, rate-limit
//! headers, `.json` URLs and paths, timestamps, paging (facts §1, §2, §9, §10, §12).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use crate::client::{Auth, pagination::next_page_url};
use serde_json::json;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "auth.bad_token_401",
            Recorded,
            "facts §2 [Speedygeek/ZendeskApi_v2#505; happyfoxinc/helpstack-android#38]",
            "A wrong API token is 401 {\"error\":\"Couldn't authenticate you\"} with \
             WWW-Authenticate: Basic realm=\"Web Password\".",
            bad_token_401
        ),
        check!(
            "auth.bad_bearer_401_invalid_token",
            Recorded,
            "facts §2 [fprimex/zdesk#58]",
            "A wrong OAuth bearer token is 401 {\"error\":\"invalid_token\", …}.",
            bad_bearer_401
        ),
        check!(
            "users.me.anonymous_pseudo_user",
            Inferred,
            "facts §3.3, §13.7 [OAS: anonymous callers allowed; shape INFERRED]",
            "GET /users/me without credentials is 200 with an anonymous end user: id null, \
             name \"Anonymous user\".",
            anonymous_me
        ),
        check!(
            "headers.rate_limit_present",
            Recorded,
            "facts §1, §12 [REC 2024]",
            "Responses carry x-rate-limit, x-rate-limit-remaining, ratelimit-limit, \
             ratelimit-remaining and ratelimit-reset.",
            rate_limit_headers
        ),
        check!(
            "urls.resource_urls_end_in_json",
            Recorded,
            "facts §1 [REC TestUserCreateUpdateDelete, TestDeletedTickets]",
            "A resource's url field is its absolute API URL ending in .json.",
            urls_end_in_json
        ),
        check!(
            "paths.json_suffix_accepted",
            Documented,
            "facts §1 (.json suffix) [REC; OAS paths without it]",
            "Every path answers the same with or without a trailing .json.",
            json_suffix_accepted
        ),
        check!(
            "timestamps.iso8601_utc_seconds",
            Recorded,
            "facts §1 [REC \"2023-09-18T23:28:11Z\"]",
            "Timestamps are ISO-8601 UTC with seconds and no fraction.",
            timestamps_iso8601
        ),
        check!(
            "pagination.cursor_follows_links_until_has_more_false",
            Documented,
            "https://developer.zendesk.com/api-reference/introduction/pagination/ (facts §9)",
            "Cursor pages carry meta.has_more and links.next and no count; following \
             links.next reads every item once; the last page says has_more:false.",
            cursor_pages
        ),
        check!(
            "pagination.offset_next_page_null_on_last",
            Documented,
            "https://developer.zendesk.com/api-reference/introduction/pagination/ (facts §9)",
            "Offset pages carry count and an absolute next_page, null on the last page.",
            offset_pages
        ),
        check!(
            "rate_limits.account_limit_429_retry_after",
            Inferred,
            "facts §12, §13.8 [429 + Retry-After documented; plain-text body INFERRED]",
            "Past the plan's per-minute limit, requests are 429 with Retry-After and the \
             text `Number of allowed API requests per minute exceeded`.",
            account_limit_429,
            control
        ),
    ]
}

async fn bad_token_401(ctx: &mut Ctx) -> Outcome {
    let email = match ctx.client.auth() {
        Auth::ApiToken { email, .. } => email.clone(),
        _ => "admin@example.com".to_owned(),
    };
    let wrong = ctx.client.with_auth(Auth::ApiToken {
        email,
        token: "not-the-token".to_owned(),
    });
    let reply = wrong.me().await?;
    expect::status(&reply, 401, "a wrong API token")?;
    expect::field(
        &reply,
        "/error",
        "Couldn't authenticate you",
        "a wrong API token",
    )?;
    let header = reply.header("www-authenticate").unwrap_or("");
    expect::that(
        header == "Basic realm=\"Web Password\"",
        &format!("WWW-Authenticate: Basic realm=\"Web Password\", got `{header}`"),
        &reply,
    )
}

async fn bad_bearer_401(ctx: &mut Ctx) -> Outcome {
    let wrong = ctx.client.with_auth(Auth::Bearer("not-a-token".to_owned()));
    let reply = wrong.list_users(&[]).await?;
    expect::status(&reply, 401, "a wrong bearer token")?;
    expect::field(&reply, "/error", "invalid_token", "a wrong bearer token")
}

async fn anonymous_me(ctx: &mut Ctx) -> Outcome {
    let reply = ctx.client.with_auth(Auth::Anonymous).me().await?;
    let what = "anonymous GET /users/me";
    expect::status(&reply, 200, what)?;
    expect::field(&reply, "/user/id", json!(null), what)?;
    expect::field(&reply, "/user/name", "Anonymous user", what)?;
    expect::field(&reply, "/user/role", "end-user", what)
}

async fn rate_limit_headers(ctx: &mut Ctx) -> Outcome {
    let reply = ctx
        .client
        .list_users(&[("per_page", "1".to_owned())])
        .await?;
    expect::status(&reply, 200, "list users")?;
    let names = [
        "x-rate-limit",
        "x-rate-limit-remaining",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
    ];
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| {
            reply
                .header(n)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .is_none()
        })
        .collect();
    expect::that(
        missing.is_empty(),
        &format!("numeric rate-limit headers; missing or not numbers: {missing:?}"),
        &reply,
    )
}

async fn urls_end_in_json(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Linked").await?;
    let shown_user = ctx.client.show_user(user.id).await?;
    let expected = ctx.client.api_url(&format!("users/{}.json", user.id));
    expect::field(
        &shown_user,
        "/user/url",
        expected.as_str(),
        "the user's url",
    )?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    let expected = ctx.client.api_url(&format!("tickets/{}.json", ticket.id));
    expect::field(&shown, "/ticket/url", expected.as_str(), "the ticket's url")
}

async fn json_suffix_accepted(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let plain = ctx.client.show_user(user.id).await?;
    let suffixed = ctx
        .client
        .get(&format!("users/{}.json", user.id), &[])
        .await?;
    expect::status(&suffixed, 200, "GET /users/{id}.json")?;
    expect::equal(
        &suffixed.body,
        &plain.body,
        "the .json answer against the plain one",
    )
}

fn is_zendesk_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits =
        |range: std::ops::Range<usize>| range.into_iter().all(|i| bytes[i].is_ascii_digit());
    bytes.len() == 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && bytes[10] == b'T'
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && bytes[19] == b'Z'
}

async fn timestamps_iso8601(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Timed").await?;
    let shown_user = ctx.client.show_user(user.id).await?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    for (reply, pointer) in [
        (&shown_user, "/user/created_at"),
        (&shown_user, "/user/updated_at"),
        (&shown, "/ticket/created_at"),
        (&shown, "/ticket/updated_at"),
    ] {
        let value = reply.at(pointer).as_str().unwrap_or("");
        expect::that(
            is_zendesk_timestamp(value),
            &format!("{pointer} like 2023-09-18T23:28:11Z, got `{value}`"),
            reply,
        )?;
    }
    Ok(())
}

async fn cursor_pages(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let mut expected = vec![];
    for _ in 0..4 {
        let value = ctx.email("paged");
        let reply = ctx
            .client
            .create_identity(user.id, json!({"type": "email", "value": value}))
            .await?;
        expect::status(&reply, 201, "add an identity")?;
        expected.push(reply.require_id("/identity/id")?);
    }
    let pages = ctx
        .client
        .collect_pages(
            &format!("users/{}/identities", user.id),
            &[("page[size]", "2".to_owned())],
            "identities",
            10,
        )
        .await?;
    for (n, page) in pages.replies.iter().enumerate() {
        let last = n + 1 == pages.replies.len();
        expect::field(page, "/meta/has_more", !last, "meta.has_more of each page")?;
        expect::that(
            page.body.get("count").is_none(),
            "no count on a cursor page",
            page,
        )?;
        if !last {
            expect::that(
                next_page_url(page).is_some_and(|u| u.starts_with("http")),
                "an absolute links.next",
                page,
            )?;
        }
    }
    let mut ids: Vec<i64> = pages
        .items
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    let read = ids.len();
    ids.sort_unstable();
    ids.dedup();
    // Five identities: the primary email and the four added.
    expect::equal(
        &json!([read, ids.len()]),
        &json!([5, 5]),
        "identities read over the pages, and distinct",
    )?;
    let missing: Vec<&i64> = expected.iter().filter(|id| !ids.contains(id)).collect();
    expect::equal(
        &json!(missing),
        &json!([]),
        "added identities missing from the pages",
    )
}

async fn offset_pages(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    for n in 0..3 {
        ctx.ticket(user.id, "open", &format!("Offset {n}")).await?;
    }
    let path = format!("users/{}/tickets/requested", user.id);
    let pages = ctx
        .client
        .collect_pages(&path, &[("per_page", "2".to_owned())], "tickets", 10)
        .await?;
    expect::equal(
        &json!(pages.replies.len()),
        &json!(2),
        "pages of two for three tickets",
    )?;
    let first = &pages.replies[0];
    expect::field(first, "/count", 3, "count on an offset page")?;
    let next = first.at("/next_page").as_str().unwrap_or("");
    expect::that(
        next.starts_with("http") && next.contains("page=2"),
        "an absolute next_page to page 2",
        first,
    )?;
    let last = &pages.replies[1];
    expect::field(
        last,
        "/next_page",
        json!(null),
        "next_page on the last page",
    )?;
    expect::equal(
        &json!(pages.items.len()),
        &json!(3),
        "tickets read over the pages",
    )
}

async fn account_limit_429(ctx: &mut Ctx) -> Outcome {
    let set = ctx
        .client
        .update_mock_settings(json!({"rate_limits": "essential"}))
        .await?;
    expect::status(&set, 200, "turn on the Essential plan's limit (10/min)")?;
    let mut refused = None;
    for _ in 0..30 {
        let reply = ctx
            .client
            .list_users(&[("per_page", "1".to_owned())])
            .await?;
        if reply.status == 429 {
            refused = Some(reply);
            break;
        }
    }
    let off = ctx
        .client
        .update_mock_settings(json!({"rate_limits": "off"}))
        .await;
    let refused = refused
        .ok_or_else(|| expect::fail("expected a 429 within 30 requests at 10 per minute"))?;
    let retry = refused
        .header("retry-after")
        .and_then(|v| v.parse::<i64>().ok());
    expect::that(
        retry.is_some_and(|s| s > 0),
        "a positive Retry-After",
        &refused,
    )?;
    expect::that(
        refused
            .text
            .contains("Number of allowed API requests per minute exceeded"),
        "the plain-text account-limit body",
        &refused,
    )?;
    // Settings calls count against the limit too; the minute may still be spent.
    let _ = off?;
    Ok(())
}
