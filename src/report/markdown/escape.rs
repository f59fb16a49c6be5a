//! Markdown escaping, so any name or text (a table called `a|b`, a default with backticks, a
//! message with `*`) renders as itself on GitHub and still reads as plain text: inline text is
//! backslash-escaped only where CommonMark would otherwise read markup, code spans get a
//! fence longer than any backtick run inside, table cells escape `|` and newlines, and fenced
//! blocks get a fence no line of their content can close.

/// Inline text: `\`, backticks, `*`, `[`, `]`, `<`, `>`, `~` and `|` always; `_` only where
/// it could start or end emphasis (not between letters or digits, as in `user_id`).
pub fn text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
                let intraword = i > 0 && word(chars.get(i - 1)) && word(chars.get(i + 1));
                if !intraword {
                    out.push('\\');
                }
                out.push('_');
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span showing `s` exactly (newlines become spaces, as CommonMark does).
pub fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = longest_run(&s, '`');
    let fence = "`".repeat(longest + 1);
    // A leading or trailing backtick (or space) needs a space between it and the fence;
    // CommonMark strips one space on each side when both are there.
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// A table cell from inline Markdown: pipes escaped (GFM splits cells on them even inside
/// code spans, and drops the backslash there), line breaks as `<br>`.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '|' if !escaped => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            _ => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// Text inside HTML (`<summary>`): `&`, `<`, `>` as entities.
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A fenced code block of `language` holding `content` exactly.
pub fn fenced(language: &str, content: &str) -> String {
    let fence = "`".repeat(longest_run(content, '`').max(2) + 1);
    let mut out = format!("{fence}{language}\n{content}");
    if !content.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out
}

fn longest_run(s: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for x in s.chars() {
        if x == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_but_not_identifiers() {
        assert_eq!(text("user_id"), "user_id");
        assert_eq!(
            text("_x_ a*b [c] <d> `e` f|g"),
            "\\_x\\_ a\\*b \\[c\\] \\<d\\> \\`e\\` f\\|g"
        );
        assert_eq!(text("a\nb"), "a b");
    }

    #[test]
    fn code_spans_outlast_backticks_inside() {
        assert_eq!(code("public.users"), "`public.users`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("``x"), "``` ``x ```");
    }

    #[test]
    fn cells_escape_pipes_once() {
        assert_eq!(cell("`a|b`"), "`a\\|b`");
        assert_eq!(cell("a\\|b"), "a\\|b");
        assert_eq!(cell("x\ny"), "x<br>y");
    }

    #[test]
    fn fences_cannot_be_closed_by_content() {
        assert_eq!(fenced("sql", "SELECT 1;\n"), "```sql\nSELECT 1;\n```");
        assert_eq!(fenced("", "a\n```\nb"), "````\na\n```\nb\n````");
    }
}
