//! A minimal HTTP/1.1 client: one keep-alive connection, requests written from prepared bytes,
//! responses read by `Content-Length` (or chunked). Minimal on purpose: the client shares the
//! machine's two cores with the server, so every microsecond it spends is one the server does
//! not get, for the mock and the bare baseline alike.

use std::io;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One keep-alive connection.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Where the last response ended in `buf` (dropped before the next read).
    consumed: usize,
}

/// A response's status and where its body lies in the connection's buffer.
pub struct Response {
    pub status: u16,
    body: std::ops::Range<usize>,
}

impl Conn {
    pub async fn connect(port: u16) -> io::Result<Self> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(64 * 1024),
            consumed: 0,
        })
    }

    /// Sends one request (complete bytes from [`request`]) and reads its response.
    pub async fn send(&mut self, request: &[u8]) -> io::Result<Response> {
        self.buf.drain(..self.consumed);
        self.consumed = 0;
        self.stream.write_all(request).await?;
        let head_end = loop {
            if let Some(at) = find(&self.buf, b"\r\n\r\n") {
                break at + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| io::Error::other("response head is not UTF-8"))?;
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other("no status line"))?;
        let header = |name: &str| {
            head.split("\r\n").find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            return self.read_chunked(status, head_end).await;
        }
        let length: usize = header("content-length").map_or(Ok(0), |v| {
            v.parse()
                .map_err(|_| io::Error::other("bad content-length"))
        })?;
        while self.buf.len() < head_end + length {
            self.fill().await?;
        }
        self.consumed = head_end + length;
        Ok(Response {
            status,
            body: head_end..head_end + length,
        })
    }

    /// The body of `response`, valid until the next request.
    pub fn body(&self, response: &Response) -> &[u8] {
        &self.buf[response.body.clone()]
    }

    /// Reads a chunked body, moving the chunks together so the body is one slice.
    async fn read_chunked(&mut self, status: u16, head_end: usize) -> io::Result<Response> {
        let (mut read_at, mut write_at) = (head_end, head_end);
        loop {
            let line_end = loop {
                if let Some(at) = find(&self.buf[read_at..], b"\r\n") {
                    break read_at + at;
                }
                self.fill().await?;
            };
            let size_text = std::str::from_utf8(&self.buf[read_at..line_end]).unwrap_or("");
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| io::Error::other("bad chunk size"))?;
            let data = line_end + 2;
            while self.buf.len() < data + size + 2 {
                self.fill().await?;
            }
            if size == 0 {
                self.consumed = data + 2;
                return Ok(Response {
                    status,
                    body: head_end..write_at,
                });
            }
            self.buf.copy_within(data..data + size, write_at);
            write_at += size;
            read_at = data + size + 2;
        }
    }

    async fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "server closed the connection",
            ));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The bytes of a request with Basic credentials and, if given, a JSON body.
pub fn request(method: &str, path: &str, basic: &str, body: Option<&str>) -> Vec<u8> {
    let mut out = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic {basic}\r\n\
         Accept: application/json\r\n"
    );
    if let Some(body) = body {
        out.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        out.push_str("\r\n");
    }
    out.into_bytes()
}
