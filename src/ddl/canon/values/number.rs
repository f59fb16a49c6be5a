//! Numeric types: `int2in`/`int4in`/`int8in`, `numeric_in` → `numeric_out`, and
//! `float4in`/`float8in` → the shortest-exact output `float8out` gives with
//! `extra_float_digits = 1` (Ryu, `double_to_shortest_decimal`).

use crate::ddl::canon::CanonError;

fn bad(kind: &str, raw: &str) -> CanonError {
    CanonError::new(format!("invalid input syntax for type {kind}: \"{raw}\""))
}

/// `pg_strtoint16/32/64`: optional whitespace and sign, decimal digits (underscores
/// between digits and 0x/0o/0b prefixes are accepted from 16 on).
pub(crate) fn integer_input(raw: &str, bits: u32) -> Result<String, CanonError> {
    let kind = match bits {
        16 => "smallint",
        32 => "integer",
        _ => "bigint",
    };
    let s = raw.trim();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, body) = match digits.get(..2).map(str::to_ascii_lowercase).as_deref() {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, digits),
    };
    let cleaned: String = body.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty() || body.starts_with('_') || body.ends_with('_') {
        return Err(bad(kind, raw));
    }
    let magnitude = i128::from_str_radix(&cleaned, radix).map_err(|_| bad(kind, raw))?;
    let value = if neg { -magnitude } else { magnitude };
    let (min, max) = match bits {
        16 => (i16::MIN as i128, i16::MAX as i128),
        32 => (i32::MIN as i128, i32::MAX as i128),
        _ => (i64::MIN as i128, i64::MAX as i128),
    };
    if value < min || value > max {
        return Err(CanonError::new(format!(
            "value \"{raw}\" is out of range for type {kind}"
        )));
    }
    Ok(value.to_string())
}

/// `numeric_in` → `numeric_out`: the value with its display scale (digits after the point
/// as written, less the exponent).
pub(crate) fn numeric_input(raw: &str) -> Result<String, CanonError> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "nan" => return Ok("NaN".into()),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok("Infinity".into()),
        "-infinity" | "-inf" => return Ok("-Infinity".into()),
        _ => {}
    }
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let rest: String = rest.chars().filter(|&c| c != '_').collect();
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => {
            let exp: i64 = rest[i + 1..].parse().map_err(|_| bad("numeric", raw))?;
            (&rest[..i], exp)
        }
        None => (rest.as_str(), 0),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad("numeric", raw));
    }
    let dscale = (frac_part.len() as i64 - exponent).max(0) as usize;
    let digits = format!("{int_part}{frac_part}");
    // The decimal point sits after `point` digits of `digits`.
    let point = int_part.len() as i64 + exponent;
    let (mut int_digits, frac_digits) = if point <= 0 {
        let zeros = "0".repeat((-point) as usize);
        (String::new(), format!("{zeros}{digits}"))
    } else if point as usize >= digits.len() {
        let zeros = "0".repeat(point as usize - digits.len());
        (format!("{digits}{zeros}"), String::new())
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    let trimmed = int_digits.trim_start_matches('0');
    int_digits = if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.into()
    };
    let mut frac: String = frac_digits.chars().take(dscale).collect();
    while frac.len() < dscale {
        frac.push('0');
    }
    let is_zero = int_digits == "0" && frac.bytes().all(|b| b == b'0');
    let mut out = String::new();
    if neg && !is_zero {
        out.push('-');
    }
    out.push_str(&int_digits);
    if dscale > 0 {
        out.push('.');
        out.push_str(&frac);
    }
    Ok(out)
}

/// Round a `numeric_out` text to `scale` decimals, half away from zero (`apply_typmod`).
pub(crate) fn round_numeric(value: &str, scale: usize) -> Option<String> {
    let (neg, body) = match value.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, value),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let kept = &frac_part[..frac_part.len().min(scale)];
    let mut digits: Vec<u8> = format!("{int_part}{kept}")
        .bytes()
        .map(|b| b - b'0')
        .collect();
    digits.extend(std::iter::repeat(0).take(scale.saturating_sub(frac_part.len())));
    if frac_part.as_bytes().get(scale).is_some_and(|&d| d >= b'5') {
        // Carry the rounding up through the digits.
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let text: String = digits.iter().map(|d| (d + b'0') as char).collect();
    let split = text.len() - scale;
    let int_text = text[..split].trim_start_matches('0');
    let int_text = if int_text.is_empty() { "0" } else { int_text };
    let zero = int_text == "0" && text[split..].bytes().all(|b| b == b'0');
    let mut out = String::new();
    if neg && !zero {
        out.push('-');
    }
    out.push_str(int_text);
    if scale > 0 {
        out.push('.');
        out.push_str(&text[split..]);
    }
    Some(out)
}

/// `float8in`/`float4in` then the shortest output that reads back exactly.
pub(crate) fn float_input(raw: &str, single: bool) -> Result<String, CanonError> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    let special = match lower.trim_start_matches('+') {
        "nan" => Some("NaN"),
        "infinity" | "inf" => Some("Infinity"),
        "-infinity" | "-inf" => Some("-Infinity"),
        _ => None,
    };
    if let Some(sp) = special {
        return Ok(sp.to_string());
    }
    let value: f64 = s
        .parse()
        .map_err(|_| bad(if single { "real" } else { "double precision" }, raw))?;
    Ok(float_output(value, single))
}

/// `float8out`/`float4out` with `extra_float_digits > 0`: shortest exact digits, fixed
/// notation while the decimal exponent is within (-4, 15] (6 for float4), else `e±XX`.
pub(crate) fn float_output(value: f64, single: bool) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddde±x".
    let sci = if single {
        format!("{:e}", value as f32)
    } else {
        format!("{value:e}")
    };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let nexp = exp + 1; // position of the decimal point after the first `nexp` digits
    let limit = if single { 6 } else { 15 };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if -4 < nexp && nexp <= limit {
        if nexp <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-nexp) as usize));
            out.push_str(digits);
        } else if nexp as usize >= digits.len() {
            out.push_str(digits);
            out.push_str(&"0".repeat(nexp as usize - digits.len()));
        } else {
            out.push_str(&digits[..nexp as usize]);
            out.push('.');
            out.push_str(&digits[nexp as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = nexp - 1;
        out.push('e');
        out.push(if e < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", e.abs()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keeps_its_display_scale() {
        assert_eq!(numeric_input("1.50").unwrap(), "1.50");
        assert_eq!(numeric_input("1e3").unwrap(), "1000");
        assert_eq!(numeric_input(".5").unwrap(), "0.5");
        assert_eq!(numeric_input("1.5e-3").unwrap(), "0.0015");
        assert_eq!(numeric_input("-0.5").unwrap(), "-0.5");
        assert_eq!(numeric_input("007.0").unwrap(), "7.0");
        assert_eq!(numeric_input("1.50e1").unwrap(), "15.0");
        assert_eq!(numeric_input("-0").unwrap(), "0");
        assert_eq!(numeric_input(" 19.99 ").unwrap(), "19.99");
        assert!(numeric_input("abc").is_err());
        assert_eq!(round_numeric("1.555", 2).as_deref(), Some("1.56"));
        assert_eq!(round_numeric("0", 2).as_deref(), Some("0.00"));
        assert_eq!(round_numeric("9.995", 2).as_deref(), Some("10.00"));
        assert_eq!(round_numeric("-0.004", 2).as_deref(), Some("0.00"));
    }

    #[test]
    fn floats_print_shortest() {
        assert_eq!(float_input("1e20", false).unwrap(), "1e+20");
        assert_eq!(float_input("0.00001", false).unwrap(), "1e-05");
        assert_eq!(float_input("0.0001", false).unwrap(), "0.0001");
        assert_eq!(
            float_input("100000000000000", false).unwrap(),
            "100000000000000"
        );
        assert_eq!(float_input("1e15", false).unwrap(), "1e+15");
        assert_eq!(float_input("0.1", false).unwrap(), "0.1");
        assert_eq!(float_input("1.5", true).unwrap(), "1.5");
        assert_eq!(float_input("1000000", true).unwrap(), "1e+06");
        assert_eq!(float_input("-2.5", false).unwrap(), "-2.5");
    }

    #[test]
    fn integers_normalise() {
        assert_eq!(integer_input(" 05 ", 64).unwrap(), "5");
        assert_eq!(integer_input("-7", 32).unwrap(), "-7");
        assert!(integer_input("99999", 16).is_err());
    }
}
