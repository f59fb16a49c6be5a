//! Writing one string as a YAML scalar that reads back as exactly that string, in any
//! context (block or flow, key or value), with any YAML 1.1 or 1.2 reader.
//!
//! Plain (unquoted) only for a conservative set of texts that no reader can take for
//! anything else (`integer`, `character varying(255)`, `(deleted_at IS NULL)`); single
//! quotes when the text has `"` or `\` but no `'` (`public."InviteStatus"`); otherwise
//! double quotes with escapes (`"nextval('public.users_id_seq'::regclass)"`).

/// Words YAML 1.1 or 1.2 readers resolve to null or booleans when unquoted.
const RESERVED: &[&str] = &[
    "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~",
];

pub(crate) fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else if (text.contains('"') || text.contains('\\'))
        && !text.contains('\'')
        && text.chars().all(|c| c != '\t' && is_printable(c))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
    {
        format!("'{text}'")
    } else {
        double_quoted(text)
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '(') {
        return false;
    }
    if text.ends_with(' ') || text.contains("  ") {
        return false;
    }
    if RESERVED.contains(&text.to_ascii_lowercase().as_str()) {
        return false;
    }
    text.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '_' | ' ' | '.' | '(' | ')' | '$' | '/' | '+' | '=' | '<' | '>' | '*' | '-'
            )
    })
}

/// YAML's printable characters (c-printable), minus the byte-order mark and the characters
/// YAML 1.1 readers (libyaml) take for line breaks: U+0085, U+2028, U+2029.
fn is_printable(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF | 0xE000..=0xFEFE
            | 0xFF00..=0xFFFD | 0x10000..=0x10FFFF)
}

fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c != '\t' && is_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::tree::{self, Value};

    /// Read `text` back through the YAML parser as the value of a key, in block and in flow.
    fn read_back(text: &str) -> Vec<String> {
        let written = scalar(text);
        let docs = [
            format!("k: {written}\n"),
            format!("k: {{a: {written}, b: x}}\n"),
            format!("k: [{written}, x]\n"),
            format!("{written}: x\n"),
        ];
        docs.iter()
            .map(|doc| {
                let root = tree::parse(doc)
                    .unwrap_or_else(|e| panic!("{doc:?}: {e:?}"))
                    .unwrap();
                let Value::Map(entries) = root.value else {
                    panic!()
                };
                let node = match &entries[0].value.value {
                    Value::Map(inner) => inner[0].value.clone(),
                    Value::Seq(items) => items[0].clone(),
                    _ if entries[0].key != "k" => {
                        return entries[0].key.clone();
                    }
                    _ => entries[0].value.clone(),
                };
                match node.value {
                    Value::Scalar(s) => s.text,
                    other => panic!("{doc:?} read as {other:?}"),
                }
            })
            .collect()
    }

    #[test]
    fn typical_values_are_readable() {
        assert_eq!(scalar("integer"), "integer");
        assert_eq!(scalar("character varying(255)"), "character varying(255)");
        assert_eq!(scalar("(deleted_at IS NULL)"), "(deleted_at IS NULL)");
        assert_eq!(
            scalar("public.\"InviteStatus\""),
            "'public.\"InviteStatus\"'"
        );
        assert_eq!(
            scalar("nextval('public.users_id_seq'::regclass)"),
            "\"nextval('public.users_id_seq'::regclass)\""
        );
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("5"), "\"5\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("text[]"), "\"text[]\"");
    }

    #[test]
    fn awkward_strings_round_trip() {
        let samples = [
            "a: b",
            "- x",
            "#x",
            "x #y",
            "'",
            "\"",
            "\\",
            "a\\b\"c",
            "a'b\"c",
            " lead",
            "trail ",
            "tab\there",
            "line\nbreak",
            "\r\n",
            "\u{0}",
            "\u{7}",
            "\u{85}",
            "\u{feff}x",
            "é",
            "日本",
            "😀",
            "\u{2028}",
            "null",
            "Null",
            "~",
            "yes",
            "NO",
            "1e3",
            "0x1F",
            ".inf",
            "-1",
            "+1",
            "<<",
            "*a",
            "&a",
            "!x",
            "%x",
            "@x",
            "`x",
            "|",
            ">",
            "{a}",
            "[a]",
            "a,b",
            "?",
            ":",
            "a:",
            "x  y",
            "\u{ffff}",
            "\u{10ffff}",
        ];
        for s in samples {
            for back in read_back(s) {
                assert_eq!(back, s, "written as {}", scalar(s));
            }
        }
    }

    #[test]
    fn random_strings_round_trip() {
        // A small xorshift generator: deterministic, no dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet: Vec<char> =
            " \t\n\r\"'\\:#-,[]{}&*!|>%@`?ab_.()0é\u{85}\u{feff}\u{2028}😀\u{1}"
                .chars()
                .collect();
        for _ in 0..3000 {
            let len = (next() % 8) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            for back in read_back(&s) {
                assert_eq!(back, s, "written as {}", scalar(&s));
            }
        }
    }
}
