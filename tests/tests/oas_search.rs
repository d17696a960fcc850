//! Search responses match Zendesk's OAS: `SearchResponse`, `SearchCountResponse` and
//! `SearchExportResponse`, and each result is its resource's object (plus `result_type`);
//! the approach is described in `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use common::assert::expect;
use shapes::{assert_covers, items};
use zendesk_conformance::oas::Samples;

#[tokio::test]
async fn search_count_and_export_responses_match_the_oas() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let mut samples = Samples::default();

    let what = "GET /search?query=example (tickets and users)";
    let found = expect(
        admin
            .get("/api/v2/search.json?query=example&per_page=5")
            .await,
        200,
        what,
    );
    samples.add(what, "SearchResponse", &found);
    let results = items(&found, "results", what).to_vec();
    assert_covers(&results, "ticket result", |r| r["result_type"] == "ticket");
    assert_covers(&results, "user result", |r| r["result_type"] == "user");
    for result in &results {
        let schema = match result["result_type"].as_str() {
            Some("ticket") => "TicketObject",
            _ => "UserForAdmin",
        };
        samples.add(format!("{what}: result {}", result["id"]), schema, result);
        samples.add(
            format!("{what}: result {} as SearchResultObject", result["id"]),
            "SearchResultObject",
            result,
        );
    }

    let what = "GET /search/count";
    let count = expect(
        admin
            .get("/api/v2/search/count.json?query=type%3Aticket")
            .await,
        200,
        what,
    );
    samples.add(what, "SearchCountResponse", &count);

    let what = "GET /search/export (a first page with more to come)";
    let exported = expect(
        admin
            .get("/api/v2/search/export.json?query=example&filter%5Btype%5D=user&page%5Bsize%5D=2")
            .await,
        200,
        what,
    );
    assert_eq!(exported["meta"]["has_more"], true, "{what}: {exported}");
    samples.add(what, "SearchExportResponse", &exported);
    let next = common::json::path_of(&mock, &exported["links"]["next"]).to_owned();
    let what = "GET /search/export (following links.next)";
    let page = expect(admin.get(&next).await, 200, what);
    samples.add(what, "SearchExportResponse", &page);

    let what = "GET /users/search";
    let users = expect(
        admin.get("/api/v2/users/search.json?query=jane").await,
        200,
        what,
    );
    samples.add(what, "UsersResponse", &users);
    samples.assert_conform();
}
