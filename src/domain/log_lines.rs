//! A run log as lines (issue 20): which lines report an error, and which match a search, for the
//! log view's marks, its find box and its links to a line (`#L42`).

/// Whether a line reports an error: the words build tools print when something went wrong.
pub fn is_error(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    let words = ["error", "fatal", "failed", "failure", "exception", "denied"];
    words.iter().any(|w| {
        l.match_indices(w).any(|(i, _)| {
            // A word of its own: not `errorless`, `no_error`, `0 errors` counts as one only when followed by nothing more.
            let before = l[..i].chars().last().is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
            let after = l[i + w.len()..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
            before && after
        })
    }) && !is_zero_errors(&l)
}

/// "0 errors", "0 error(s)", "no errors": a summary that says all is well.
fn is_zero_errors(l: &str) -> bool {
    l.contains(" 0 error") || l.starts_with("0 error") || l.contains("no error")
}

/// The 1-based numbers of the lines that contain `query` (any case); none for an empty query.
pub fn matching(lines: &[&str], query: &str) -> Vec<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    lines.iter().enumerate().filter(|(_, l)| l.to_lowercase().contains(&q)).map(|(i, _)| i + 1).collect()
}

/// The line a URL's fragment points at (`#L42` → 42).
pub fn line_of_fragment(fragment: &str) -> Option<usize> {
    fragment.trim_start_matches('#').strip_prefix('L')?.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_the_ones_that_say_so() {
        assert!(is_error("ERROR: failed to solve: process \"/bin/sh -c npm ci\" did not complete"));
        assert!(is_error("npm ERR! code E404 ... Error: not found"));
        assert!(is_error("Run failed"));
        assert!(is_error("fatal: repository not found"));
        assert!(!is_error("Step 3/7 : RUN make errorless"));
        assert!(!is_error("Build succeeded: 0 errors, 2 warnings"));
        assert!(!is_error("no errors found"));
        assert!(!is_error("Successfully built 5c1d9b7e"));
        assert!(!is_error("on_error_resume=1"), "part of an identifier is not the word");
    }

    #[test]
    fn find_numbers_the_matching_lines() {
        let lines = ["Step 1/3 : FROM node", "Step 2/3 : RUN npm ci", "step 3/3 : CMD node"];
        assert_eq!(matching(&lines, "STEP"), vec![1, 2, 3]);
        assert_eq!(matching(&lines, "npm"), vec![2]);
        assert!(matching(&lines, " ").is_empty());
        assert_eq!(line_of_fragment("#L42"), Some(42));
        assert_eq!(line_of_fragment("L0"), None);
        assert_eq!(line_of_fragment("#top"), None);
    }
}
