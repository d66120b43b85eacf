//! Run logs, read from the SAS link `listLogSasUrl` gives: blob storage, not ARM. The bearer token
//! is never sent there (this module has no access to it); the SAS in the link is the credential.
//! Tailing asks only for the bytes after those already shown (`Range: bytes=N-`).

/// What a read of the log gave, as bytes: an offset counts bytes, and a chunk may end inside a
/// multi-byte character (it is decoded only once whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// The whole log (200).
    Whole(Vec<u8>),
    /// Bytes from `start` (206, `Content-Range: bytes start-…`).
    Tail { start: usize, bytes: Vec<u8> },
    /// Nothing after the offset yet (416).
    Nothing,
    /// No log yet (404: the run has not written one).
    NotYet,
}

/// The log's bytes so far, given what was read before and what a read returned; `None` when
/// the chunk does not continue where the last one ended (read the whole log again).
pub fn apply(shown: &[u8], chunk: Chunk) -> Option<Vec<u8>> {
    match chunk {
        Chunk::Whole(all) => Some(all),
        Chunk::Tail { start, bytes } if start == shown.len() => Some([shown, &bytes[..]].concat()),
        Chunk::Tail { .. } => None,
        Chunk::Nothing | Chunk::NotYet => Some(shown.to_vec()),
    }
}

/// `bytes 120-340/341` → 120.
pub fn range_start(content_range: &str) -> Option<usize> {
    content_range.trim().strip_prefix("bytes ")?.split('-').next()?.parse().ok()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogError {
    /// The browser refused the read: the storage account allows no cross-origin reads (on Azure,
    /// the registry's storage is not ours to configure). Offer the link to open instead.
    Blocked,
    /// The link expired or was refused: ask ARM for a new one.
    Refused(u16),
}

/// Only https links are followed or offered (a server string is not trusted with a scheme).
pub fn is_https(link: &str) -> bool {
    link.starts_with("https://")
}

#[cfg(target_arch = "wasm32")]
pub async fn read(link: &str, from: usize) -> Result<Chunk, LogError> {
    use gloo_net::http::Request;
    use web_sys::RequestCredentials;
    if !is_https(link) {
        return Err(LogError::Refused(0));
    }
    let mut request = Request::get(link).credentials(RequestCredentials::Omit);
    if from > 0 {
        request = request.header("Range", &format!("bytes={from}-"));
    }
    let response = request.send().await.map_err(|_| LogError::Blocked)?;
    let bytes = |r: gloo_net::http::Response| async move { r.binary().await.unwrap_or_default() };
    match response.status() {
        200 => Ok(Chunk::Whole(bytes(response).await)),
        206 => {
            let start = response.headers().get("content-range").as_deref().and_then(range_start).unwrap_or(usize::MAX);
            Ok(Chunk::Tail { start, bytes: bytes(response).await })
        }
        416 => Ok(Chunk::Nothing),
        404 => Ok(Chunk::NotYet),
        status => Err(LogError::Refused(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_append_where_the_last_read_ended_and_whole_reads_replace() {
        assert_eq!(apply(b"a\n", Chunk::Tail { start: 2, bytes: b"b\n".to_vec() }), Some(b"a\nb\n".to_vec()));
        assert_eq!(apply(b"a\n", Chunk::Tail { start: 1, bytes: b"x".to_vec() }), None, "a gap or overlap: read it all again");
        assert_eq!(apply(b"a\n", Chunk::Nothing), Some(b"a\n".to_vec()));
        assert_eq!(apply(b"stale", Chunk::Whole(b"fresh".to_vec())), Some(b"fresh".to_vec()));
    }

    #[test]
    fn a_character_split_across_reads_comes_out_whole() {
        let all = "→ done".as_bytes();
        let first = apply(b"", Chunk::Whole(all[..2].to_vec())).unwrap();
        let both = apply(&first, Chunk::Tail { start: 2, bytes: all[2..].to_vec() }).unwrap();
        assert_eq!(String::from_utf8_lossy(&both), "→ done");
    }

    #[test]
    fn content_ranges_and_schemes() {
        assert_eq!(range_start("bytes 120-340/341"), Some(120));
        assert_eq!(range_start("items 1-2"), None);
        assert!(is_https("https://x.blob.core.windows.net/a?sig=1") && !is_https("javascript:alert(1)"));
    }
}
