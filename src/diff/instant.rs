//! `timestamp with time zone` constants as the live side prints them (`'2024-01-01
//! 00:00:00+00'`, the session pinned to UTC), read as instants: PostgreSQL fixes a literal
//! written without a zone in the TimeZone of the session that ran the migration, which a
//! static reading cannot know, so such constants may differ by that zone's UTC offset.

/// The largest UTC offset PostgreSQL accepts (`±15:59`), in seconds.
const MAX_OFFSET: i64 = 16 * 3600;

/// Seconds since 1970-01-01 00:00 UTC of a quoted `'YYYY-MM-DD HH:MM:SS[.f]+00'` literal
/// (as printed with `TimeZone = 'UTC'`), with the fraction kept apart; `None` for any other
/// text.
fn utc_instant(literal: &str) -> Option<(i64, &str)> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let body = inner.strip_suffix("+00")?;
    let (date, time) = body.split_once(' ')?;
    let mut d = date.splitn(3, '-');
    let (year, month, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':');
    let (h, m, s): (i64, i64, i64) = (
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((
        days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s,
        fraction,
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether two literals are the same local time read in different time zones: both UTC
/// instants, the same fraction, apart by a whole quarter hour within PostgreSQL's offsets.
pub(super) fn zone_shifted(a: &str, b: &str) -> bool {
    match (utc_instant(a), utc_instant(b)) {
        (Some((x, fx)), Some((y, fy))) => {
            let delta = (x - y).abs();
            fx == fy && delta <= MAX_OFFSET && delta % 900 == 0
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_shifts() {
        assert_eq!(utc_instant("'1970-01-01 00:00:00+00'"), Some((0, "")));
        assert_eq!(
            utc_instant("'2024-03-01 12:30:05.25+00'"),
            Some((1_709_296_205, "25"))
        );
        // Europe/Berlin in winter and summer, India, Nepal, Chatham.
        assert!(zone_shifted(
            "'2024-01-01 00:00:00+00'",
            "'2023-12-31 23:00:00+00'"
        ));
        assert!(zone_shifted(
            "'2024-07-01 00:00:00+00'",
            "'2024-06-30 22:00:00+00'"
        ));
        assert!(zone_shifted(
            "'2024-01-01 00:00:00+00'",
            "'2023-12-31 18:30:00+00'"
        ));
        assert!(zone_shifted(
            "'2024-01-01 00:00:00+00'",
            "'2023-12-31 18:15:00+00'"
        ));
        assert!(zone_shifted(
            "'2024-01-01 00:00:00+00'",
            "'2023-12-31 10:15:00+00'"
        ));
        // A day, a month, seconds, another fraction: real differences.
        assert!(!zone_shifted(
            "'2024-01-02 00:00:00+00'",
            "'2024-01-01 00:00:00+00'"
        ));
        assert!(!zone_shifted(
            "'2024-02-01 00:00:00+00'",
            "'2024-01-01 00:00:00+00'"
        ));
        assert!(!zone_shifted(
            "'2024-01-01 00:00:30+00'",
            "'2024-01-01 00:00:00+00'"
        ));
        assert!(!zone_shifted(
            "'2024-01-01 00:00:00.5+00'",
            "'2024-01-01 01:00:00+00'"
        ));
        // Not timestamptz constants.
        assert!(!zone_shifted("'2024-01-01'", "'2023-12-31'"));
        assert!(!zone_shifted(
            "'2024-01-01 00:00:00'",
            "'2024-01-01 01:00:00'"
        ));
    }
}
