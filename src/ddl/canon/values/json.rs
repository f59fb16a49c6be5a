//! `jsonb_in` → `jsonb_out`: objects with keys sorted as jsonb stores them (shorter keys
//! first, then bytewise) and duplicates resolved to the last value, `", "` and `": "`
//! separators, numbers as `numeric_out` prints them, strings re-escaped.

use super::number::numeric_input;
use crate::ddl::canon::CanonError;

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

struct Reader<'s> {
    s: &'s [u8],
    pos: usize,
}

fn bad() -> CanonError {
    CanonError::new("invalid input syntax for type jsonb")
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Json, CanonError> {
        self.ws();
        match self.peek().ok_or_else(bad)? {
            b'{' => {
                self.pos += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return Err(bad());
                    }
                    self.pos += 1;
                    let v = self.value()?;
                    fields.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(bad()),
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return Err(bad()),
                    }
                }
            }
            b'"' => Ok(Json::String(self.string()?)),
            b't' => self.word("true", Json::Bool(true)),
            b'f' => self.word("false", Json::Bool(false)),
            b'n' => self.word("null", Json::Null),
            _ => {
                let start = self.pos;
                while self.pos < self.s.len()
                    && matches!(
                        self.s[self.pos],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| bad())?;
                if text.is_empty() || text.starts_with('+') {
                    return Err(bad());
                }
                Ok(Json::Number(numeric_input(text)?))
            }
        }
    }

    fn word(&mut self, w: &str, v: Json) -> Result<Json, CanonError> {
        if self.s[self.pos..].starts_with(w.as_bytes()) {
            self.pos += w.len();
            Ok(v)
        } else {
            Err(bad())
        }
    }

    fn string(&mut self) -> Result<String, CanonError> {
        if self.peek() != Some(b'"') {
            return Err(bad());
        }
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek().ok_or_else(bad)?;
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or_else(bad)?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) {
                                if self.s[self.pos..].starts_with(b"\\u") {
                                    self.pos += 2;
                                    let low = self.hex4()?;
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                } else {
                                    return Err(bad());
                                }
                            }
                            if code == 0 {
                                return Err(CanonError::new("unsupported Unicode escape sequence"));
                            }
                            let ch = char::from_u32(code).ok_or_else(bad)?;
                            let mut b = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        _ => return Err(bad()),
                    }
                }
                c if c < 0x20 => return Err(bad()),
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| bad())
    }

    fn hex4(&mut self) -> Result<u32, CanonError> {
        let h = self.s.get(self.pos..self.pos + 4).ok_or_else(bad)?;
        self.pos += 4;
        u32::from_str_radix(std::str::from_utf8(h).map_err(|_| bad())?, 16).map_err(|_| bad())
    }
}

/// `escape_json`.
fn escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn normalise(v: Json) -> Json {
    match v {
        Json::Object(fields) => {
            let mut kept: Vec<(String, Json)> = Vec::new();
            for (k, v) in fields {
                let v = normalise(v);
                if let Some(existing) = kept.iter_mut().find(|(ek, _)| *ek == k) {
                    existing.1 = v;
                } else {
                    kept.push((k, v));
                }
            }
            kept.sort_by(|a, b| {
                a.0.len()
                    .cmp(&b.0.len())
                    .then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
            });
            Json::Object(kept)
        }
        Json::Array(items) => Json::Array(items.into_iter().map(normalise).collect()),
        other => other,
    }
}

fn write(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n),
        Json::String(s) => escape(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        Json::Object(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                escape(k, out);
                out.push_str(": ");
                write(v, out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn jsonb_input(raw: &str) -> Result<String, CanonError> {
    let mut r = Reader {
        s: raw.as_bytes(),
        pos: 0,
    };
    let v = r.value()?;
    r.ws();
    if r.pos != raw.len() {
        return Err(bad());
    }
    let mut out = String::new();
    write(&normalise(v), &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonb_is_normalised() {
        assert_eq!(jsonb_input("{}").unwrap(), "{}");
        assert_eq!(jsonb_input(" [ ] ").unwrap(), "[]");
        assert_eq!(
            jsonb_input(r#"{"bb":1,"a":[1,2.50,true,null],"a":"x\u00e9"}"#).unwrap(),
            r#"{"a": "xé", "bb": 1}"#
        );
        assert_eq!(jsonb_input(r#"{"k":1e2}"#).unwrap(), r#"{"k": 100}"#);
        assert_eq!(jsonb_input(r#""a\"b""#).unwrap(), r#""a\"b""#);
        assert!(jsonb_input("{").is_err());
    }
}
