//! `GET /search` query semantics (facts §7; HC "Zendesk Support search reference"): words and
//! prefixes, phrases, keywords, comparisons, negation, types and ordering.

mod common;
mod search;

use search::{label_set, labels, mock};

fn s(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn results_carry_result_type_and_the_documented_envelope() {
    let mock = mock().await;
    let reply = search::search(&mock.admin(), "topology").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let keys: Vec<&str> = reply
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["results", "facets", "next_page", "previous_page", "count"]
    );
    assert_eq!(reply.json["facets"], serde_json::Value::Null);
    assert_eq!(reply.json["count"], 1);
    let result = &reply.json["results"][0];
    assert_eq!(result["result_type"], "ticket");
    assert_eq!(result["subject"], "Topology question");
    assert_eq!(
        result["status"], "solved",
        "the ticket as its own endpoint shows it"
    );
}

#[tokio::test]
async fn a_term_matches_whole_words_and_word_prefixes_but_never_infixes() {
    let mock = mock().await;
    let reply = search::search(&mock.admin(), "type:ticket top").await;
    // "top" finds "Tip-Top" and "Topology", not "Desktop" (the HC reference's own example).
    assert_eq!(
        label_set(&reply),
        s(&["ticket:Tip-Top Mops", "ticket:Topology question"])
    );
}

#[tokio::test]
async fn keyword_queries_filter_as_documented() {
    let mock = mock().await;
    let cases: &[(&str, &[&str])] = &[
        ("type:ticket status:open", &["ticket:Tip-Top Mops"]),
        (
            "type:ticket status<solved",
            &[
                "ticket:Tip-Top Mops",
                "ticket:Desktop Solutions",
                "ticket:New request",
            ],
        ),
        (
            "type:ticket status>=solved",
            &["ticket:Topology question", "ticket:Closed matter"],
        ),
        (
            "type:ticket -status:closed -status:new",
            &[
                "ticket:Tip-Top Mops",
                "ticket:Desktop Solutions",
                "ticket:Topology question",
            ],
        ),
        (
            "priority>normal",
            &["ticket:Tip-Top Mops", "ticket:Closed matter"],
        ),
        ("tags:premium_support", &["ticket:Tip-Top Mops"]),
        ("tags:prem*", &["ticket:Tip-Top Mops"]),
        (
            "requester:jane.roe@example.org",
            &["ticket:Topology question", "ticket:Closed matter"],
        ),
        (
            "requester:jroe@home.example",
            &["ticket:Topology question", "ticket:Closed matter"],
        ),
        (
            "assignee:none type:ticket",
            &[
                "ticket:Desktop Solutions",
                "ticket:Tip-Top Mops",
                "ticket:New request",
            ],
        ),
        ("subject:desktop", &["ticket:Desktop Solutions"]),
        ("comment:crashes", &["ticket:Desktop Solutions"]),
        ("description:network", &["ticket:Topology question"]),
        (
            "created>2024-03-10 type:ticket",
            &["ticket:Closed matter", "ticket:New request"],
        ),
        (
            "created>=2024-03-10 created<2024-05-10",
            &["ticket:Topology question", "ticket:Closed matter"],
        ),
        ("created:2024-02-10", &["ticket:Desktop Solutions"]),
        ("type:user role:agent", &["user:Alex Agent"]),
        ("type:user tags:vip", &["user:Jane Roe"]),
        ("email:jroe@home.example", &["user:Jane Roe"]),
        ("phone:+12025550100", &["user:Jane Roe"]),
        ("external_id:crm-42", &["user:Jane Roe"]),
        ("name:\"jane roe\"", &["user:Jane Roe", "user:Jane Roe"]),
        ("notes:prefers", &["user:Jane Roe"]),
        ("type:organization jane", &[]),
        // The same keyword twice: alternatives.
        (
            "status:open status:pending",
            &["ticket:Tip-Top Mops", "ticket:Desktop Solutions"],
        ),
        (
            "type:ticket tags:premium_support tags:vip",
            &["ticket:Tip-Top Mops"],
        ),
        (
            "type:user type:ticket desk*",
            &["user:Desk Top", "ticket:Desktop Solutions"],
        ),
        ("status:bogus", &[]),
    ];
    for (query, expected) in cases {
        let reply = search::search(&mock.admin(), query).await;
        assert_eq!(label_set(&reply), s(expected), "query {query:?}");
        assert_eq!(reply.json["count"], expected.len(), "count of {query:?}");
    }
}

#[tokio::test]
async fn phrases_need_the_words_in_order_and_whole() {
    let mock = mock().await;
    let cases: &[(&str, &[&str])] = &[
        ("\"network topology\"", &["ticket:Topology question"]),
        ("\"topology network\"", &[]),
        ("\"network topo\"", &[]),
        ("network topo", &["ticket:Topology question"]),
        (
            "\"jane roe\" type:user",
            &["user:Jane Roe", "user:Jane Roe"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(
            label_set(&search::search(&mock.admin(), query).await),
            s(expected),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn emails_and_phone_numbers_are_findable_as_written() {
    let mock = mock().await;
    let cases: &[(&str, &[&str])] = &[
        // Everywhere the subject's email is written: her user record and a comment.
        (
            "jane.roe@example.org",
            &["user:Jane Roe", "ticket:Closed matter"],
        ),
        (
            "\"+1 202 555 0100\"",
            &["user:Jane Roe", "ticket:Tip-Top Mops"],
        ),
        ("+12025550100", &["user:Jane Roe"]),
        ("(202) 555-0100", &["user:Jane Roe", "ticket:Tip-Top Mops"]),
        ("CRM-42", &["user:Jane Roe"]),
    ];
    for (query, expected) in cases {
        assert_eq!(
            label_set(&search::search(&mock.admin(), query).await),
            s(expected),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn attachment_contents_are_never_indexed() {
    let mock = mock().await;
    for query in ["secretword", "998877", "id.txt"] {
        assert_eq!(
            labels(&search::search(&mock.admin(), query).await),
            Vec::<String>::new(),
            "{query:?}"
        );
    }
}

#[tokio::test]
async fn a_bare_number_finds_the_ticket_with_that_id() {
    let mock = mock().await;
    let desktop = search::search(&mock.admin(), "subject:desktop").await;
    let id = desktop.json["results"][0]["id"]
        .as_i64()
        .expect("ticket id");
    // The number is also a word prefix ("2" begins "202" in a phone number), so other records
    // may match too; the ticket with that id ranks first.
    let reply = search::search(&mock.admin(), &id.to_string()).await;
    assert_eq!(
        labels(&reply)[0],
        "ticket:Desktop Solutions",
        "{}",
        reply.text
    );
    let exact = search::search(&mock.admin(), &format!("type:ticket {id} -comment:{id}")).await;
    assert_eq!(labels(&exact), ["ticket:Desktop Solutions"]);
}

#[tokio::test]
async fn sort_by_parameters_and_order_by_keywords_agree() {
    let mock = mock().await;
    let newest_first = [
        "ticket:New request",
        "ticket:Closed matter",
        "ticket:Topology question",
        "ticket:Desktop Solutions",
        "ticket:Tip-Top Mops",
    ];
    let oldest_first: Vec<&str> = newest_first.iter().rev().copied().collect();
    let admin = mock.admin();
    let by_params = admin
        .get("/api/v2/search.json?query=type%3Aticket&sort_by=created_at&sort_order=desc")
        .await;
    assert_eq!(labels(&by_params), newest_first);
    let default_order = admin
        .get("/api/v2/search.json?query=type%3Aticket&sort_by=created_at")
        .await;
    assert_eq!(
        labels(&default_order),
        newest_first,
        "sort_order defaults to desc"
    );
    let in_query = search::search(&admin, "type:ticket order_by:created sort:asc").await;
    assert_eq!(labels(&in_query), oldest_first);
    let by_status = admin
        .get("/api/v2/search.json?query=type%3Aticket&sort_by=status&sort_order=asc")
        .await;
    assert_eq!(
        labels(&by_status),
        [
            "ticket:New request",
            "ticket:Tip-Top Mops",
            "ticket:Desktop Solutions",
            "ticket:Topology question",
            "ticket:Closed matter"
        ]
    );
}

#[tokio::test]
async fn invalid_dates_and_comparisons_are_refused_with_zendesks_search_error() {
    let mock = mock().await;
    for query in [
        "created>yesterday-ish",
        "updated<2024-13-45",
        "tags>vip",
        "solved:soon",
    ] {
        let reply = search::search(&mock.admin(), query).await;
        assert_eq!(reply.status, 422, "{query:?}: {}", reply.text);
        assert_eq!(reply.json["error"], "invalid", "{query:?}");
        let description = reply.json["description"].as_str().unwrap_or_default();
        assert!(
            description.starts_with("Invalid search: "),
            "{query:?}: {description}"
        );
    }
}

#[tokio::test]
async fn relative_dates_count_back_from_the_account_clock() {
    let mock = mock().await;
    common::world::freeze_clock(&mock, 1_715_335_200); // 2024-05-10T10:00:00Z
    let reply = search::search(&mock.admin(), "type:ticket created>2hours").await;
    assert_eq!(labels(&reply), ["ticket:New request"]);
    let reply = search::search(&mock.admin(), "type:ticket created<70days").await;
    assert_eq!(
        label_set(&reply),
        s(&["ticket:Tip-Top Mops", "ticket:Desktop Solutions"])
    );
}

#[tokio::test]
async fn end_users_may_not_search() {
    let mock = common::Mock::start().await;
    let maria = mock.as_token("maria.rossi@example.it", common::ADMIN_TOKEN);
    for path in [
        "/api/v2/search.json?query=maria",
        "/api/v2/search/count.json?query=maria",
        "/api/v2/search/export.json?query=maria&filter%5Btype%5D=ticket",
    ] {
        let reply = maria.get(path).await;
        common::assert::assert_forbidden(&reply, path);
    }
}
