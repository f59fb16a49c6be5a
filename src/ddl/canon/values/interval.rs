//! `interval_in` → `interval_out` with `IntervalStyle = 'postgres'`: the PostgreSQL
//! verbose format (`1 day 2 hours`, `@ 1 hour ago`), `hh:mm:ss` fields, the SQL
//! `Y-M` form and ISO 8601 (`P1DT2H`), fractional units cascading down
//! (`DecodeInterval`), the typmod's field restriction (`AdjustIntervalForTypmod`),
//! and `EncodeInterval`.

use crate::ddl::canon::declared::interval_typmod_range;
use crate::ddl::canon::types::interval_bits::{DAY, HOUR, MINUTE, MONTH, SECOND, YEAR};
use crate::ddl::canon::CanonError;

const USECS_PER_SEC: i64 = 1_000_000;
const USECS_PER_MINUTE: i64 = 60 * USECS_PER_SEC;
const USECS_PER_HOUR: i64 = 60 * USECS_PER_MINUTE;
const SECS_PER_DAY: f64 = 86_400.0;

/// The three fields of an interval value.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Interval {
    months: i64,
    days: i64,
    usecs: i64,
    overflow: bool,
}

impl Interval {
    /// A fraction of `scale` seconds, rounded to microseconds.
    fn add_seconds(&mut self, seconds: f64) {
        self.usecs += (seconds * 1e6).round() as i64;
    }

    /// `AdjustFractDays`: whole days to the day field, the rest to the time.
    fn add_days(&mut self, days: f64) {
        let whole = days.trunc();
        self.days += whole as i64;
        self.add_seconds((days - whole) * SECS_PER_DAY);
    }

    fn add_months(&mut self, months: f64) {
        let whole = months.trunc();
        self.months += whole as i64;
        self.add_days((months - whole) * 30.0);
    }

    fn add(&mut self, unit: Unit, value: f64) {
        // Beyond the interval range PostgreSQL reports an overflow; keep the text then.
        if !value.is_finite() || value.abs() > 1e12 {
            self.overflow = true;
            return;
        }
        match unit {
            Unit::Microsecond => self.usecs += value.round() as i64,
            Unit::Millisecond => self.add_seconds(value / 1000.0),
            Unit::Second => self.add_seconds(value),
            Unit::Minute => self.add_seconds(value * 60.0),
            Unit::Hour => self.add_seconds(value * 3600.0),
            Unit::Day => {
                let whole = value.trunc();
                self.days += whole as i64;
                self.add_seconds((value - whole) * SECS_PER_DAY);
            }
            Unit::Week => self.add_days(value * 7.0),
            Unit::Month => self.add_months(value),
            Unit::Year => self.months += (value * 12.0).round() as i64,
            Unit::Decade => self.months += (value * 120.0).round() as i64,
            Unit::Century => self.months += (value * 1200.0).round() as i64,
            Unit::Millennium => self.months += (value * 12000.0).round() as i64,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
    Decade,
    Century,
    Millennium,
}

fn unit(word: &str) -> Option<Unit> {
    Some(match word.to_ascii_lowercase().as_str() {
        "microsecond" | "microseconds" | "us" | "usec" | "usecs" | "useconds" => Unit::Microsecond,
        "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" | "mseconds" => Unit::Millisecond,
        "second" | "seconds" | "s" | "sec" | "secs" => Unit::Second,
        "minute" | "minutes" | "m" | "min" | "mins" => Unit::Minute,
        "hour" | "hours" | "h" | "hr" | "hrs" => Unit::Hour,
        "day" | "days" | "d" => Unit::Day,
        "week" | "weeks" | "w" => Unit::Week,
        "month" | "months" | "mon" | "mons" => Unit::Month,
        "year" | "years" | "y" | "yr" | "yrs" => Unit::Year,
        "decade" | "decades" | "dec" | "decs" => Unit::Decade,
        "century" | "centuries" | "c" | "cent" => Unit::Century,
        "millennium" | "millennia" | "mil" | "mils" => Unit::Millennium,
        _ => return None,
    })
}

fn bad(raw: &str) -> CanonError {
    CanonError::new(format!("invalid input syntax for type interval: \"{raw}\""))
}

/// The unit a bare number takes under the typmod's field restriction (its last field).
fn default_unit(range: Option<i32>) -> Unit {
    match range {
        Some(r) if r == YEAR => Unit::Year,
        Some(r) if r == MONTH || r == YEAR | MONTH => Unit::Month,
        Some(r) if r == DAY => Unit::Day,
        Some(r) if r == HOUR || r == DAY | HOUR => Unit::Hour,
        Some(r) if r == MINUTE || r == HOUR | MINUTE || r == DAY | HOUR | MINUTE => Unit::Minute,
        _ => Unit::Second,
    }
}

/// `hh:mm[:ss[.f]]` (or `mm:ss` under MINUTE TO SECOND) as signed microseconds.
fn time_field(token: &str, range: Option<i32>) -> Option<i64> {
    let (neg, body) = match token.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, token.strip_prefix('+').unwrap_or(token)),
    };
    let parts: Vec<&str> = body.split(':').collect();
    let num = |s: &str| -> Option<f64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
            .then(|| s.parse().ok())
            .flatten()
    };
    let usecs = match parts.as_slice() {
        [a, b] if range == Some(MINUTE | SECOND) => num(a)? * 60.0 * 1e6 + num(b)? * 1e6,
        [h, m] => num(h)? * 3600.0 * 1e6 + num(m)? * 60.0 * 1e6,
        [h, m, s] => num(h)? * 3600.0 * 1e6 + num(m)? * 60.0 * 1e6 + num(s)? * 1e6,
        _ => return None,
    };
    let v = usecs.round() as i64;
    Some(if neg { -v } else { v })
}

fn decode_postgres(raw: &str, range: Option<i32>) -> Option<Interval> {
    let mut tokens: Vec<String> = Vec::new();
    // Split "1day" / "2hours" into number and unit, like the datetime lexer does.
    for word in raw.split_whitespace() {
        let w = word.trim_end_matches(',');
        let split = w
            .char_indices()
            .find(|(i, c)| *i > 0 && c.is_ascii_alphabetic())
            .map(|(i, _)| i);
        match split {
            Some(i)
                if w[..i]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+') =>
            {
                tokens.push(w[..i].to_string());
                tokens.push(w[i..].to_string());
            }
            _ => tokens.push(w.to_string()),
        }
    }
    let mut iv = Interval::default();
    let mut ago = false;
    // Fields are read right to left: a unit applies to the number before it.
    let mut pending: Option<Unit> = None;
    for tok in tokens.iter().rev() {
        let lower = tok.to_ascii_lowercase();
        if lower == "@" {
            continue;
        }
        if lower == "ago" {
            ago = true;
            continue;
        }
        if let Some(u) = unit(&lower) {
            pending = Some(u);
            continue;
        }
        if tok.contains(':') {
            iv.usecs += time_field(tok, range)?;
            // SQL-standard "1 2:03:04": a bare number before the time counts days.
            pending = Some(Unit::Day);
            continue;
        }
        // SQL-standard year-month "1-2".
        if let Some((y, m)) = tok.trim_start_matches(['+', '-']).split_once('-') {
            let neg = tok.starts_with('-');
            let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
            let months = y * 12 + m;
            iv.months += if neg { -months } else { months };
            pending = None;
            continue;
        }
        let value: f64 = tok.parse().ok()?;
        let u = pending.take().unwrap_or_else(|| {
            // A bare number before a time field is a day count in SQL-standard format.
            default_unit(range)
        });
        iv.add(u, value);
    }
    if pending.is_some_and(|u| u != Unit::Day) {
        return None;
    }
    if ago {
        iv.months = -iv.months;
        iv.days = -iv.days;
        iv.usecs = -iv.usecs;
    }
    Some(iv)
}

/// `DecodeISO8601Interval`: `P[nY][nM][nW][nD][T[nH][nM][nS]]`.
fn decode_iso8601(raw: &str) -> Option<Interval> {
    let body = raw.strip_prefix(['P', 'p'])?;
    let mut iv = Interval::default();
    let mut in_time = false;
    let mut number = String::new();
    for c in body.chars() {
        match c {
            'T' | 't' => {
                if !number.is_empty() {
                    return None;
                }
                in_time = true;
            }
            '0'..='9' | '.' | '-' | '+' => number.push(c),
            _ => {
                let v: f64 = number.parse().ok()?;
                number.clear();
                let u = match (c.to_ascii_uppercase(), in_time) {
                    ('Y', false) => Unit::Year,
                    ('M', false) => Unit::Month,
                    ('W', false) => Unit::Week,
                    ('D', false) => Unit::Day,
                    ('H', true) => Unit::Hour,
                    ('M', true) => Unit::Minute,
                    ('S', true) => Unit::Second,
                    _ => return None,
                };
                iv.add(u, v);
            }
        }
    }
    number.is_empty().then_some(iv)
}

/// `AdjustIntervalForTypmod`.
fn adjust_for_typmod(iv: &mut Interval, typmod: i32) {
    if typmod < 0 {
        return;
    }
    let range = (typmod >> 16) & 0x7FFF;
    let precision = typmod & 0xFFFF;
    let trunc = |v: i64, unit: i64| (v / unit) * unit;
    if range == YEAR {
        iv.months = trunc(iv.months, 12);
        iv.days = 0;
        iv.usecs = 0;
    } else if range == MONTH || range == YEAR | MONTH {
        iv.days = 0;
        iv.usecs = 0;
    } else if range == DAY {
        iv.usecs = 0;
    } else if range == HOUR || range == DAY | HOUR {
        iv.usecs = trunc(iv.usecs, USECS_PER_HOUR);
    } else if range == MINUTE || range == DAY | HOUR | MINUTE || range == HOUR | MINUTE {
        iv.usecs = trunc(iv.usecs, USECS_PER_MINUTE);
    }
    if precision != 0xFFFF && (0..6).contains(&precision) {
        let scale = 10i64.pow(6 - precision as u32);
        let v = iv.usecs;
        iv.usecs = if v >= 0 {
            (v.saturating_add(scale / 2) / scale) * scale
        } else {
            -((v.saturating_neg().saturating_add(scale / 2) / scale) * scale)
        };
    }
}

/// `EncodeInterval` in the `postgres` style.
fn encode(iv: Interval) -> String {
    let year = iv.months / 12;
    let mon = iv.months % 12;
    let mday = iv.days;
    let mut t = iv.usecs;
    let hour = t / USECS_PER_HOUR;
    t -= hour * USECS_PER_HOUR;
    let min = t / USECS_PER_MINUTE;
    t -= min * USECS_PER_MINUTE;
    let sec = t / USECS_PER_SEC;
    let fsec = t - sec * USECS_PER_SEC;

    let mut out = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    let part =
        |value: i64, units: &str, out: &mut String, is_zero: &mut bool, is_before: &mut bool| {
            if value == 0 {
                return;
            }
            if !*is_zero {
                out.push(' ');
            }
            if *is_before && value > 0 {
                out.push('+');
            }
            out.push_str(&format!(
                "{value} {units}{}",
                if value != 1 { "s" } else { "" }
            ));
            *is_before = value < 0;
            *is_zero = false;
        };
    part(year, "year", &mut out, &mut is_zero, &mut is_before);
    part(mon, "mon", &mut out, &mut is_zero, &mut is_before);
    part(mday, "day", &mut out, &mut is_zero, &mut is_before);
    if is_zero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
        let minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
        if !is_zero {
            out.push(' ');
        }
        if minus {
            out.push('-');
        } else if is_before {
            out.push('+');
        }
        out.push_str(&format!(
            "{:02}:{:02}:{:02}",
            hour.abs(),
            min.abs(),
            sec.abs()
        ));
        if fsec != 0 {
            let frac = format!("{:06}", fsec.abs());
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
    }
    out
}

/// `interval_in(raw, typmod)` → `interval_out`.
pub(crate) fn interval_input(raw: &str, typmod: i32) -> Result<String, CanonError> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    if lower == "infinity" || lower == "+infinity" || lower == "-infinity" {
        return Ok(lower.trim_start_matches('+').to_string());
    }
    let range = interval_typmod_range(typmod);
    let mut iv = if s.starts_with(['P', 'p']) {
        decode_iso8601(s)
    } else {
        decode_postgres(s, range)
    }
    .filter(|iv| !iv.overflow)
    .ok_or_else(|| bad(raw))?;
    adjust_for_typmod(&mut iv, typmod);
    Ok(encode(iv))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(raw: &str) -> String {
        interval_input(raw, -1).unwrap()
    }

    #[test]
    fn verbose_format_normalises() {
        assert_eq!(out("1 week"), "7 days");
        assert_eq!(out("2 hours"), "02:00:00");
        assert_eq!(out("1 month"), "1 mon");
        assert_eq!(out("1 day 2 hours"), "1 day 02:00:00");
        assert_eq!(out("1:30"), "01:30:00");
        assert_eq!(out("P1D"), "1 day");
        assert_eq!(
            out("1 year 2 months 3 days 4 hours 5 minutes 6 seconds"),
            "1 year 2 mons 3 days 04:05:06"
        );
        assert_eq!(out("-1 day"), "-1 days");
        assert_eq!(out("1.5 hours"), "01:30:00");
        assert_eq!(out("90 minutes"), "01:30:00");
        assert_eq!(out("@ 1 hour ago"), "-01:00:00");
        assert_eq!(out("0"), "00:00:00");
        assert_eq!(out("1 mon -1 days"), "1 mon -1 days");
        assert_eq!(out("36 hours"), "36:00:00");
        assert_eq!(out("1.5 years"), "1 year 6 mons");
        assert_eq!(out("100 ms"), "00:00:00.1");
        assert_eq!(out("3 weeks 2 days"), "23 days");
        assert_eq!(out("1 day -01:00:00"), "1 day -01:00:00");
        assert_eq!(out("1.5 days"), "1 day 12:00:00");
        assert_eq!(out("30 days"), "30 days");
        assert_eq!(out("1 mon 1 day"), "1 mon 1 day");
        assert_eq!(out("PT1H30M"), "01:30:00");
        assert_eq!(out("1 2:03:04"), "1 day 02:03:04");
    }

    #[test]
    fn typmod_fields_apply() {
        let day = (DAY << 16) | 0xFFFF;
        assert_eq!(interval_input("1", day).unwrap(), "1 day");
        assert_eq!(interval_input("1 day 2 hours", day).unwrap(), "1 day");
        let hm = ((HOUR | MINUTE) << 16) | 0xFFFF;
        assert_eq!(interval_input("1:30", hm).unwrap(), "01:30:00");
    }
}
