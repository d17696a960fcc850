//! Processes under test: free ports, spawning the mock and the bare server, and reading their
//! CPU time and resident memory from `/proc`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The environment variable that turns this benchmark's own executable into the bare server
/// (its value: the port); [`BODIES_VAR`] names the file holding the bodies it answers with.
pub const BARE_VAR: &str = "LOAD_BENCH_BARE_PORT";
pub const BODIES_VAR: &str = "LOAD_BENCH_BARE_BODIES";

/// A port nobody listens on right now (the OS picks it; the listener is closed again).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A server process, killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Starts `zendesk-mock` (the release build cargo made for this benchmark) with the embedded
/// demo account on `port`, logs silenced.
pub fn spawn_mock(port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zendesk-mock");
    Server { child, port }
}

/// Starts this executable again as the bare server, answering with the bodies in `bodies`.
pub fn spawn_bare(port: u16, bodies: &Path) -> Server {
    let child = Command::new(std::env::current_exe().expect("own executable"))
        .env(BARE_VAR, port.to_string())
        .env(BODIES_VAR, bodies)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the bare server");
    Server { child, port }
}
