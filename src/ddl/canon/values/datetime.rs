//! Date and time types: the common input formats of `date_in`, `time_in`, `timetz_in`,
//! `timestamp_in`, `timestamptz_in` (ISO 8601 and the DateStyle MDY forms) and their
//! ISO output (`DateStyle = 'ISO, MDY'`, `TimeZone = 'UTC'`).
//!
//! Not covered (the caller keeps the text as written): named time zones other than UTC,
//! and the words evaluated when the DDL runs (`now`, `today`, …).

use crate::ddl::canon::CanonError;

const USECS_PER_DAY: i64 = 86_400_000_000;
const USECS_PER_SEC: i64 = 1_000_000;

fn bad(kind: &str, raw: &str) -> CanonError {
    CanonError::new(format!("cannot read {kind} value \"{raw}\" statically"))
}

/// `date2j`: the Julian day of an astronomical year (1 BC = 0).
fn date2j(year: i64, month: i64, day: i64) -> i64 {
    let (mut y, mut m) = (year, month);
    if m > 2 {
        m += 1;
        y += 4800;
    } else {
        m += 13;
        y += 4799;
    }
    let century = y.div_euclid(100);
    let mut julian = y * 365 - 32167;
    julian += y.div_euclid(4) - century + century.div_euclid(4);
    julian += 7834 * m / 256 + day;
    julian
}

/// `j2date`.
fn j2date(jd: i64) -> (i64, i64, i64) {
    let mut julian = jd + 32044;
    let mut quad = julian.div_euclid(146_097);
    let extra = (julian - quad * 146_097) * 4 + 3;
    julian += 60 + quad * 3 + extra.div_euclid(146_097);
    quad = julian.div_euclid(1461);
    julian -= quad * 1461;
    let mut y = julian * 4 / 1461;
    julian = if y != 0 {
        (julian + 305) % 365
    } else {
        (julian + 306) % 366
    } + 123;
    y += quad * 4;
    let year = y - 4800;
    let q = julian * 2141 / 65536;
    let day = julian - 7834 * q / 256;
    let month = (q + 10) % 12 + 1;
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

fn month_number(word: &str) -> Option<i64> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = word.to_ascii_lowercase();
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| w.starts_with(n))
        .map(|i| i as i64 + 1)
}

/// What one input string contained.
#[derive(Debug, Default)]
struct Parsed {
    /// (astronomical year, month, day)
    date: Option<(i64, i64, i64)>,
    /// microseconds since midnight
    time: Option<i64>,
    /// offset in seconds east of Greenwich
    offset: Option<i64>,
    special: Option<&'static str>,
}

fn parse_offset(s: &str) -> Option<i64> {
    let (sign, body) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = body.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [hm] if hm.len() == 4 && hm.is_ascii() => (hm[..2].parse().ok()?, hm[2..].parse().ok()?, 0),
        [h] => (h.parse::<i64>().ok()?, 0, 0),
        [h, m] => (h.parse().ok()?, m.parse().ok()?, 0),
        [h, m, s] => (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?),
        _ => return None,
    };
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// `HH:MM[:SS[.ffffff]]` → microseconds.
fn parse_time(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, sec] => (*h, *m, *sec),
        _ => return None,
    };
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    let (whole, frac) = match sec.split_once('.') {
        Some((w, f)) => (w, f),
        None => (sec, ""),
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s: i64 = whole.parse().ok()?;
    let fsec = if frac.is_empty() {
        0
    } else {
        // ParseFractionalSecond: rint(frac * 1e6).
        let f: f64 = format!("0.{frac}").parse().ok()?;
        (f * 1e6).round_ties_even() as i64
    };
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || !(0..=60).contains(&s) {
        return None;
    }
    let total = ((h * 60 + m) * 60 + s) * USECS_PER_SEC + fsec;
    (total <= USECS_PER_DAY).then_some(total)
}

fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let (y, m, d) = if let Some((a, rest)) = s.split_once('-') {
        let (b, c) = rest.split_once('-')?;
        (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
    } else if let Some((a, rest)) = s.split_once('/') {
        let (b, c) = rest.split_once('/')?;
        if a.len() >= 3 {
            (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
        } else {
            // DateStyle MDY.
            let year: i64 = c.parse().ok()?;
            (year, a.parse().ok()?, b.parse().ok()?)
        }
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        )
    } else {
        return None;
    };
    valid_date(y, m, d)
}

fn valid_date(y: i64, m: i64, d: i64) -> Option<(i64, i64, i64)> {
    (y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

fn parse(raw: &str) -> Option<Parsed> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    let mut p = Parsed::default();
    match lower.as_str() {
        "epoch" => {
            p.special = Some("epoch");
            return Some(p);
        }
        "infinity" | "+infinity" => {
            p.special = Some("infinity");
            return Some(p);
        }
        "-infinity" => {
            p.special = Some("-infinity");
            return Some(p);
        }
        "allballs" => {
            p.time = Some(0);
            return Some(p);
        }
        _ => {}
    }
    // Split "dateTtime" and spaces into tokens; keep zone signs attached to the time.
    let mut tokens: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        let w = word.trim_end_matches(',');
        if let Some(tpos) = w.find(['T', 't']) {
            let (a, b) = w.split_at(tpos);
            if a.contains('-') && b.len() > 1 && b.as_bytes()[1].is_ascii_digit() {
                tokens.push(a.to_string());
                tokens.push(b[1..].to_string());
                continue;
            }
        }
        tokens.push(w.to_string());
    }
    let mut bc = false;
    let mut pm: Option<bool> = None;
    let mut month_name: Option<i64> = None;
    let mut loose_numbers: Vec<i64> = Vec::new();
    for tok in &tokens {
        let lower = tok.to_ascii_lowercase();
        match lower.as_str() {
            "bc" => {
                bc = true;
                continue;
            }
            "ad" => continue,
            "am" => {
                pm = Some(false);
                continue;
            }
            "pm" => {
                pm = Some(true);
                continue;
            }
            "z" | "utc" | "gmt" | "zulu" | "ut" => {
                p.offset = Some(0);
                continue;
            }
            _ => {}
        }
        if tok.contains(':') {
            // A time, possibly with a zone glued on ("10:00:00+02", "10:00Z").
            // A sign after the first character starts the zone.
            let sign = tok
                .char_indices()
                .skip(1)
                .find(|(_, c)| matches!(c, '+' | '-'));
            let (time_part, zone) = match sign {
                Some((i, _)) => (&tok[..i], Some(&tok[i..])),
                None => match tok.strip_suffix(['Z', 'z']) {
                    Some(t) => (t, Some("+00")),
                    None => (tok.as_str(), None),
                },
            };
            p.time = Some(parse_time(time_part)?);
            if let Some(z) = zone {
                p.offset = Some(parse_offset(z)?);
            }
            continue;
        }
        if tok.starts_with(['+', '-']) && p.time.is_some() {
            p.offset = Some(parse_offset(tok)?);
            continue;
        }
        if p.date.is_none() && (tok.contains('-') || tok.contains('/') || tok.len() == 8) {
            if let Some(d) = parse_date(tok) {
                p.date = Some(d);
                continue;
            }
        }
        if let Some(m) = month_number(tok) {
            month_name = Some(m);
            continue;
        }
        // A run of six (or four) digits after a date is an ISO time without colons.
        if p.date.is_some()
            && p.time.is_none()
            && (tok.len() == 6 || tok.len() == 4)
            && tok.bytes().all(|b| b.is_ascii_digit())
        {
            let hhmmss = if tok.len() == 6 {
                format!("{}:{}:{}", &tok[..2], &tok[2..4], &tok[4..])
            } else {
                format!("{}:{}", &tok[..2], &tok[2..])
            };
            p.time = Some(parse_time(&hhmmss)?);
            continue;
        }
        if let Ok(n) = tok.parse::<i64>() {
            loose_numbers.push(n);
            continue;
        }
        return None;
    }
    if let Some(m) = month_name {
        // "Jan 8 1999", "8 Jan 1999", "January 8, 1999".
        let (d, y) = match loose_numbers.as_slice() {
            [a, b] if *a > 31 => (*b, *a),
            [a, b] => (*a, *b),
            _ => return None,
        };
        p.date = Some(valid_date(y, m, d)?);
    } else if !loose_numbers.is_empty() {
        return None;
    }
    if let Some(is_pm) = pm {
        let t = p.time?;
        let hour = t / (3600 * USECS_PER_SEC);
        if !(1..=12).contains(&hour) {
            return None;
        }
        let base = t % (3600 * USECS_PER_SEC);
        let h = if is_pm { hour % 12 + 12 } else { hour % 12 };
        p.time = Some(h * 3600 * USECS_PER_SEC + base);
    }
    if bc {
        let (y, m, d) = p.date?;
        p.date = Some((1 - y, m, d));
    }
    Some(p)
}

fn format_date(jd: i64) -> String {
    let (y, m, d) = j2date(jd);
    if y > 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{:04}-{m:02}-{d:02} BC", 1 - y)
    }
}

/// `HH:MM:SS[.ffffff]` with trailing fractional zeros removed (`AppendSeconds`).
fn format_time(usecs: i64) -> String {
    let h = usecs / (3600 * USECS_PER_SEC);
    let m = usecs / (60 * USECS_PER_SEC) % 60;
    let s = usecs / USECS_PER_SEC % 60;
    let f = usecs % USECS_PER_SEC;
    let mut out = format!("{h:02}:{m:02}:{s:02}");
    if f != 0 {
        let frac = format!("{f:06}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out
}

/// `EncodeTimezone`: `+HH`, `+HH:MM` or `+HH:MM:SS` (offset east of Greenwich).
fn format_offset(offset: i64) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s != 0 {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    } else if m != 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}")
    }
}

/// A normalised date plus `days` (for discrete date ranges).
pub(crate) fn date_add_days(date: &str, days: i64) -> Option<String> {
    let p = parse(date)?;
    let (y, m, d) = p.date?;
    Some(format_date(date2j(y, m, d) + days))
}

pub(crate) fn date_input(raw: &str) -> Result<String, CanonError> {
    let p = parse(raw).ok_or_else(|| bad("date", raw))?;
    match p.special {
        Some("epoch") => return Ok("1970-01-01".into()),
        Some(sp) => return Ok(sp.into()),
        None => {}
    }
    let (y, m, d) = p.date.ok_or_else(|| bad("date", raw))?;
    Ok(format_date(date2j(y, m, d)))
}

pub(crate) fn time_input(raw: &str) -> Result<String, CanonError> {
    let p = parse(raw).ok_or_else(|| bad("time", raw))?;
    let t = p.time.ok_or_else(|| bad("time", raw))?;
    Ok(format_time(t))
}

pub(crate) fn timetz_input(raw: &str) -> Result<String, CanonError> {
    let p = parse(raw).ok_or_else(|| bad("time with time zone", raw))?;
    let t = p.time.ok_or_else(|| bad("time with time zone", raw))?;
    let offset = p.offset.unwrap_or(0);
    Ok(format!("{}{}", format_time(t), format_offset(offset)))
}

/// `timestamp_in`/`timestamptz_in`; for `with_zone` the instant is shown in UTC.
pub(crate) fn timestamp_input(raw: &str, with_zone: bool) -> Result<String, CanonError> {
    let kind = if with_zone {
        "timestamp with time zone"
    } else {
        "timestamp without time zone"
    };
    let p = parse(raw).ok_or_else(|| bad(kind, raw))?;
    match p.special {
        Some("epoch") => {
            return Ok(if with_zone {
                "1970-01-01 00:00:00+00".into()
            } else {
                "1970-01-01 00:00:00".into()
            })
        }
        Some(sp) => return Ok(sp.into()),
        None => {}
    }
    let (y, m, d) = p.date.ok_or_else(|| bad(kind, raw))?;
    let mut jd = date2j(y, m, d);
    let mut t = p.time.unwrap_or(0);
    // 24:00:00 is midnight of the next day in a timestamp.
    if t == USECS_PER_DAY {
        jd += 1;
        t = 0;
    }
    if with_zone {
        // Input without a zone is in the session's zone, pinned to UTC.
        let offset = p.offset.unwrap_or(0);
        t -= offset * USECS_PER_SEC;
        jd += t.div_euclid(USECS_PER_DAY);
        t = t.rem_euclid(USECS_PER_DAY);
    }
    let date = format_date(jd);
    let (date, bc) = match date.strip_suffix(" BC") {
        Some(d) => (d.to_string(), true),
        None => (date, false),
    };
    let mut out = format!("{date} {}", format_time(t));
    if with_zone {
        out.push_str("+00");
    }
    if bc {
        out.push_str(" BC");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_days_round_trip() {
        for (y, m, d) in [
            (2020, 1, 1),
            (1970, 1, 1),
            (2000, 2, 29),
            (1, 1, 1),
            (0, 12, 31),
        ] {
            assert_eq!(j2date(date2j(y, m, d)), (y, m, d));
        }
        assert_eq!(date2j(2000, 1, 1), 2_451_545);
    }

    #[test]
    fn timestamps_normalise() {
        assert_eq!(
            timestamp_input("2020-01-01", false).unwrap(),
            "2020-01-01 00:00:00"
        );
        assert_eq!(
            timestamp_input("2020-01-01 10:00:00.5", false).unwrap(),
            "2020-01-01 10:00:00.5"
        );
        assert_eq!(
            timestamp_input("2020-01-01 10:00:00+05", false).unwrap(),
            "2020-01-01 10:00:00"
        );
        assert_eq!(
            timestamp_input("2020-06-01 10:00:00+05:30", true).unwrap(),
            "2020-06-01 04:30:00+00"
        );
        assert_eq!(
            timestamp_input("1999-01-08 04:05:06.123456789", true).unwrap(),
            "1999-01-08 04:05:06.123457+00"
        );
        assert_eq!(
            timestamp_input("2020-01-01T02:00:00Z", true).unwrap(),
            "2020-01-01 02:00:00+00"
        );
        assert_eq!(
            timestamp_input("2020-01-01 01:00:00+02", true).unwrap(),
            "2019-12-31 23:00:00+00"
        );
        assert_eq!(
            timestamp_input("epoch", false).unwrap(),
            "1970-01-01 00:00:00"
        );
        assert_eq!(timestamp_input("infinity", true).unwrap(), "infinity");
    }

    #[test]
    fn dates_and_times_normalise() {
        assert_eq!(date_input("2020-1-2").unwrap(), "2020-01-02");
        assert_eq!(date_input("1/8/1999").unwrap(), "1999-01-08");
        assert_eq!(date_input("January 8, 1999").unwrap(), "1999-01-08");
        assert_eq!(date_input("20200102").unwrap(), "2020-01-02");
        assert!(date_input("2020-02-30").is_err());
        assert_eq!(time_input("4:05 PM").unwrap(), "16:05:00");
        assert_eq!(time_input("10:00:00.100").unwrap(), "10:00:00.1");
        assert_eq!(timetz_input("10:00:00+02").unwrap(), "10:00:00+02");
    }
}
