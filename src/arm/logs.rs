//! Run logs, read from the SAS link `listLogSasUrl` gives: blob storage, not ARM. The bearer token
//! is never sent there (this module has no access to it); the SAS in the link is the credential.
//! Tailing asks only for the bytes after those already shown (`Range: bytes=N-`).

/// What a read of the log gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// The whole log (200).
    Whole(String),
    /// Bytes from the offset asked for (206).
    Tail(String),
    /// Nothing after the offset yet (416).
    Nothing,
}

/// The log so far, given what was shown and what a read returned.
pub fn apply(shown: &str, chunk: Chunk) -> String {
    match chunk {
        Chunk::Whole(all) => all,
        Chunk::Tail(more) => format!("{shown}{more}"),
        Chunk::Nothing => shown.to_string(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogError {
    /// The browser refused the read: the storage account allows no cross-origin reads (on Azure,
    /// the registry's storage is not ours to configure). Offer the link to open instead.
    Blocked,
    /// The link expired or was refused: ask ARM for a new one.
    Refused(u16),
}

#[cfg(target_arch = "wasm32")]
pub async fn read(link: &str, from: usize) -> Result<Chunk, LogError> {
    use gloo_net::http::Request;
    use web_sys::RequestCredentials;
    let mut request = Request::get(link).credentials(RequestCredentials::Omit);
    if from > 0 {
        request = request.header("Range", &format!("bytes={from}-"));
    }
    let response = request.send().await.map_err(|_| LogError::Blocked)?;
    match response.status() {
        200 => Ok(Chunk::Whole(response.text().await.unwrap_or_default())),
        206 => Ok(Chunk::Tail(response.text().await.unwrap_or_default())),
        416 => Ok(Chunk::Nothing),
        status => Err(LogError::Refused(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_append_and_whole_reads_replace() {
        assert_eq!(apply("a\n", Chunk::Tail("b\n".into())), "a\nb\n");
        assert_eq!(apply("a\n", Chunk::Nothing), "a\n");
        assert_eq!(apply("stale", Chunk::Whole("fresh".into())), "fresh");
    }
}
