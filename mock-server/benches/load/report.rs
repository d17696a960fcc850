//! The benchmark's printout: medians, percentiles and ratios, as Markdown tables ready for
//! `BENCHMARKS.md`.

use super::bare::Answers;
use super::mix::{Op, Sample};
use super::{Run, Startup};
use std::time::Duration;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(latencies: &mut [Duration], q: f64) -> Duration {
    if latencies.is_empty() {
        return Duration::ZERO;
    }
    latencies.sort_unstable();
    let at = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
    latencies[at]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

pub fn startup(startup: &Startup) {
    let stats = |times: &[Duration]| {
        let mut t: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        let m = median(&mut t);
        (m, t[0], t[t.len() - 1])
    };
    let (mock, mock_min, mock_max) = stats(&startup.mock);
    let (bare, bare_min, bare_max) = stats(&startup.bare);
    println!();
    println!(
        "Startup: spawn to the first 200 of GET /api/v2/users/me.json, {} runs each",
        startup.mock.len()
    );
    println!();
    println!("| server | median | min | max |");
    println!("|--------|-------:|----:|----:|");
    for (name, m, lo, hi) in [
        ("zendesk-mock (demo account)", mock, mock_min, mock_max),
        ("bare axum", bare, bare_min, bare_max),
    ] {
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {:.1} ms |",
            m * 1e3,
            lo * 1e3,
            hi * 1e3
        );
    }
    println!();
    println!(
        "mock / bare (medians): {:.2}; the mock's own start: {:.1} ms",
        mock / bare,
        (mock - bare) * 1e3
    );
}

/// Totals of one server's runs in one scenario.
struct Totals {
    requests: usize,
    window: Duration,
    errors: usize,
    server_cpu: Duration,
    client_cpu: Duration,
    all_requests: usize,
    latencies: Vec<Duration>,
}

fn totals<'a>(runs: impl Iterator<Item = &'a Run>) -> Totals {
    let mut t = Totals {
        requests: 0,
        window: Duration::ZERO,
        errors: 0,
        server_cpu: Duration::ZERO,
        client_cpu: Duration::ZERO,
        all_requests: 0,
        latencies: Vec::new(),
    };
    for run in runs {
        let o = &run.outcome;
        t.requests += o.samples.len();
        t.window += o.window;
        t.errors += o.errors;
        t.server_cpu += run.server_cpu;
        t.client_cpu += run.client_cpu;
        t.all_requests += o.samples.len() + o.warm_up_requests;
        t.latencies.extend(o.samples.iter().map(|s| s.latency));
    }
    t
}

fn rps(run: &Run) -> f64 {
    run.outcome.samples.len() as f64 / run.outcome.window.as_secs_f64()
}

fn of_op(samples: &[Sample], op: Op) -> Vec<Duration> {
    samples
        .iter()
        .filter(|s| s.op == op)
        .map(|s| s.latency)
        .collect()
}

type Scenario<'a> = (&'static str, &'static [Op], Vec<(Run, Run)>);

pub fn load(results: &[Scenario<'_>], answers: &Answers, mock_rss_kib: u64) {
    println!();
    println!(
        "Load: one client thread, keep-alive connections, requests back to back; {} rounds per scenario, alternating which server goes first",
        results.first().map_or(0, |r| r.2.len())
    );
    println!();
    println!(
        "| scenario | server | req/s | p50 | p99 | server CPU/req | client CPU/req | errors |"
    );
    println!(
        "|----------|--------|------:|----:|----:|---------------:|---------------:|-------:|"
    );
    let mut ratios = Vec::new();
    for (name, _, rounds) in results {
        let mut per_round: Vec<f64> = rounds.iter().map(|(o, b)| rps(o) / rps(b)).collect();
        let ratio = median(&mut per_round);
        let mut cpu_ratio = 0.0;
        let mut p99s = Vec::new();
        for (label, t) in [
            ("zendesk-mock", totals(rounds.iter().map(|r| &r.0))),
            ("bare axum", totals(rounds.iter().map(|r| &r.1))),
        ] {
            let mut lat = t.latencies.clone();
            let cpu = t.server_cpu / t.all_requests.max(1) as u32;
            let client = t.client_cpu / t.all_requests.max(1) as u32;
            let p99 = percentile(&mut lat, 0.99);
            p99s.push(p99);
            println!(
                "| {name} | {label} | {:.0} | {} | {} | {} | {} | {} |",
                t.requests as f64 / t.window.as_secs_f64(),
                ms(percentile(&mut lat, 0.50)),
                ms(p99),
                us(cpu),
                us(client),
                t.errors
            );
            cpu_ratio = if cpu_ratio == 0.0 {
                cpu.as_secs_f64()
            } else {
                cpu_ratio / cpu.as_secs_f64()
            };
        }
        ratios.push((name, ratio, per_round.clone(), cpu_ratio));
    }
    println!();
    println!(
        "| scenario | ours / bare, throughput (median of rounds) | rounds | bare / ours, server CPU per request |"
    );
    println!("|----------|------:|--------|------:|");
    for (name, ratio, rounds, cpu_ratio) in &ratios {
        let rounds: Vec<String> = rounds.iter().map(|r| format!("{r:.3}")).collect();
        println!(
            "| {name} | {ratio:.3} | {} | {:.3} |",
            rounds.join(", "),
            1.0 / cpu_ratio
        );
    }
    for (name, cycle, rounds) in results {
        if cycle.len() < 2 {
            continue;
        }
        let ours: Vec<Sample> = rounds
            .iter()
            .flat_map(|r| r.0.outcome.samples.iter().copied())
            .collect();
        let bare: Vec<Sample> = rounds
            .iter()
            .flat_map(|r| r.1.outcome.samples.iter().copied())
            .collect();
        println!();
        println!("Per operation, {name}:");
        println!();
        println!("| operation | body bytes | share | ours p50 | ours p99 | bare p50 | bare p99 |");
        println!("|-----------|-----------:|------:|---------:|---------:|---------:|---------:|");
        for op in Op::ALL {
            let bytes = match op {
                Op::ShowUser => answers.show_user.body.len(),
                Op::ListUsers => answers.list_users.body.len(),
                Op::CreateTicket => answers.create_ticket.body.len(),
                Op::SearchPhrase => answers.search.body.len(),
                Op::SoftDelete => answers.soft_delete.body.len(),
            };
            let (mut o, mut b) = (of_op(&ours, op), of_op(&bare, op));
            println!(
                "| {} | {bytes} | {:.0}% | {} | {} | {} | {} |",
                op.label(),
                100.0 * o.len() as f64 / ours.len().max(1) as f64,
                ms(percentile(&mut o, 0.5)),
                ms(percentile(&mut o, 0.99)),
                ms(percentile(&mut b, 0.5)),
                ms(percentile(&mut b, 0.99)),
            );
        }
    }
    println!();
    println!(
        "The mock's RSS after the load: {:.1} MiB",
        mock_rss_kib as f64 / 1024.0
    );
    for (name, _, rounds) in results {
        for (ours, _) in rounds {
            if let Some(error) = &ours.outcome.first_error {
                println!("FIRST ERROR ({name}): {error}");
                break;
            }
        }
    }
}
