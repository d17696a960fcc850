//! `zendesk-mock`: serve the mock over HTTP. Thin by design: flags, bind, print, serve.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use zendesk_mock::store::{Limits, OwnerSpec};
use zendesk_mock::{Options, build_state, serve};

/// A Zendesk-compatible mock server for testing privacy tooling.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the Zendesk API and the /__mock control API (the default).
    Serve(ServeArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct ServeArgs {
    /// Log format on stderr: `text`, or `json` (one object per line). Levels follow RUST_LOG
    /// (default `info`; `zendesk_mock=debug` logs every request).
    #[arg(long, env = "ZENDESK_MOCK_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "ZENDESK_MOCK_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// A world (JSON, the body of POST /__mock/seed) to load into the default account at start.
    #[arg(long, env = "ZENDESK_MOCK_SEED")]
    seed: Option<PathBuf>,
    /// Start without the embedded demo account.
    #[arg(long)]
    no_demo: bool,
    /// Email of the demo account's owner admin.
    #[arg(
        long,
        env = "ZENDESK_MOCK_ADMIN_EMAIL",
        default_value = "admin@example.com"
    )]
    admin_email: String,
    /// API token of the demo account's owner admin.
    #[arg(long, env = "ZENDESK_MOCK_ADMIN_TOKEN", default_value = "demo-token")]
    admin_token: String,
    /// A server-wide token for the control API (Authorization: Bearer TOKEN). Without one, the
    /// account collection calls are open and per-account calls need the account's admin.
    #[arg(long, env = "ZENDESK_MOCK_CONTROL_TOKEN")]
    control_token: Option<String>,
    /// Keep every account in this file: loaded at start when it exists (then the demo and
    /// --seed are skipped), written atomically on shutdown (SIGTERM, Ctrl-C) and by
    /// POST /__mock/snapshot/save. Created by the first save when absent.
    #[arg(long, env = "ZENDESK_MOCK_STATE", value_name = "FILE")]
    state: Option<PathBuf>,
    /// Requests each account's journal keeps (the oldest fall off); 0 turns the journal off.
    #[arg(
        long,
        env = "ZENDESK_MOCK_JOURNAL_ENTRIES",
        value_name = "N",
        default_value_t = Limits::default().journal_entries
    )]
    journal_entries: usize,
    /// Events each account's event log keeps (the oldest fall off); at least 1.
    #[arg(
        long,
        env = "ZENDESK_MOCK_EVENT_ENTRIES",
        value_name = "N",
        default_value_t = Limits::default().events as u64,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    event_entries: u64,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Serve(args)) => args,
        None => cli.serve,
    };
    init_logs(&args.log_format);
    if let Err(message) = run(args).await {
        eprintln!("zendesk-mock: {message}");
        std::process::exit(1);
    }
}

async fn run(args: ServeArgs) -> Result<(), String> {
    let seed = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read seed {}: {e}", path.display()))?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| format!("seed {} is not JSON: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let options = Options {
        demo: !args.no_demo,
        demo_owner: OwnerSpec {
            name: "Demo Admin".to_owned(),
            email: args.admin_email.clone(),
            token: args.admin_token.clone(),
        },
        seed,
        control_token: args.control_token.clone(),
        limits: Limits {
            journal_entries: args.journal_entries,
            events: usize::try_from(args.event_entries).unwrap_or(usize::MAX),
        },
        state_file: args.state.clone(),
    };
    let loading = args.state.as_ref().is_some_and(|path| path.exists());
    let state =
        build_state(&options).map_err(|e| format!("cannot build the accounts: {}", e.summary()))?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("zendesk-mock listening on http://{addr}");
    tracing::info!(%addr, "listening");
    if let Some(path) = &args.state {
        let accounts = state.registry.subdomains().len();
        if loading {
            println!(
                "  state: {accounts} account(s) loaded from {}",
                path.display()
            );
        } else {
            println!("  state: {} (written on shutdown)", path.display());
        }
    }
    if !loading && (options.demo || options.seed.is_some()) {
        println!(
            "  admin: {} / API token: {}",
            args.admin_email, args.admin_token
        );
        println!(
            "  try:   curl -u {}/token:{} http://{addr}/api/v2/users/me.json",
            args.admin_email, args.admin_token
        );
    }
    let registry = state.registry.clone();
    serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    if let Some(path) = registry.state_file() {
        let saved = registry.save_to(path).map_err(|e| e.to_string())?;
        println!(
            "zendesk-mock: saved {} account(s), {} bytes, to {}",
            saved.accounts,
            saved.bytes,
            saved.path.display()
        );
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, for a graceful shutdown.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Logs go to stderr (stdout carries the banner a script may read), as text or JSON lines.
fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
