//! Terminal escapes in build logs. Docker and npm colour their output; a page shows text, so the
//! escapes go (they would show as stray `[31m`), and so do other control characters but newline
//! and tab. Whatever is left is put on the page as text, never as markup.

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';

/// `text` without ANSI/VT100 escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`,
/// two-character `ESC x`) or other C0/C1 control characters, bar `\n` and `\t`.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.next() {
                // CSI: parameters and intermediates, then one final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ST (ESC \).
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == BEL || (c == ESC && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_titles_go_text_stays() {
        assert_eq!(strip("\u{1b}[31mred\u{1b}[0m \u{1b}[1;4mbold\u{1b}[22m"), "red bold");
        assert_eq!(strip("a\u{1b}]0;window title\u{7}b"), "ab");
        assert_eq!(strip("a\u{1b}]8;;https://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "alinkb");
        assert_eq!(strip("x\u{1b}7y\u{1b}8z"), "xyz");
    }

    #[test]
    fn markup_and_lines_are_left_for_the_page_to_show_as_text() {
        assert_eq!(strip("<script>x</script>\n\tStep 1/5\r\n"), "<script>x</script>\n\tStep 1/5\n");
        assert_eq!(strip("bell\u{7} nul\u{0} c1\u{9b}"), "bell nul c1");
    }

    #[test]
    fn a_cut_sequence_at_the_end_does_not_panic() {
        assert_eq!(strip("ok\u{1b}["), "ok");
        assert_eq!(strip("ok\u{1b}]title"), "ok");
        assert_eq!(strip("ok\u{1b}"), "ok");
    }
}
