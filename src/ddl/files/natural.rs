//! Natural ("version-aware") ordering of file and folder names, as people number migrations.
//!
//! `2_x` sorts before `10_x` (digit runs compare by value), and `001_x` before `001b_x` before
//! `002_x` (after a number, a separator such as `_`, `-`, `.` or a space, and the end of the
//! name, sort before letters). Letters compare case-insensitively; names that still tie
//! compare byte-wise, so the order is total and deterministic.

use std::cmp::Ordering;

/// Compare two names in natural order.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    folded_cmp(a.as_bytes(), b.as_bytes()).then_with(|| a.cmp(b))
}

/// Compare two `/`-separated relative paths component by component in natural order
/// (so `a/b.yaml` and `a.yaml` compare on `a` against `a.yaml` first).
pub(crate) fn natural_path_cmp(a: &str, b: &str) -> Ordering {
    let mut left = a.split('/');
    let mut right = b.split('/');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match natural_cmp(x, y) {
                Ordering::Equal => continue,
                other => return other,
            },
        }
    }
}

/// Rank of a byte outside digit runs: separators first, then everything else.
fn rank(b: u8) -> u8 {
    match b {
        b'_' | b'-' | b'.' | b' ' => 0,
        b'0'..=b'9' => 1,
        _ => 2,
    }
}

fn folded_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run_a = digit_run(a, i);
                let run_b = digit_run(b, j);
                match number_cmp(&a[i..run_a], &b[j..run_b]) {
                    Ordering::Equal => {
                        i = run_a;
                        j = run_b;
                    }
                    other => return other,
                }
            }
            (Some(&x), Some(&y)) => {
                let key = |c: u8| (rank(c), c.to_ascii_lowercase());
                match key(x).cmp(&key(y)) {
                    Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                    other => return other,
                }
            }
        }
    }
}

fn digit_run(s: &[u8], from: usize) -> usize {
    let mut end = from;
    while s.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    end
}

/// Compare two runs of ASCII digits by their value, however long they are.
pub(crate) fn number_cmp(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
    let a = &a[strip(a)..];
    let b = &b[strip(b)..];
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn orders_names_the_way_people_number_them() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["10_x.sql", "2_x.sql", "1_x.sql"],
                &["1_x.sql", "2_x.sql", "10_x.sql"],
            ),
            (
                &["002_c.sql", "001b_b.sql", "001_a.sql"],
                &["001_a.sql", "001b_b.sql", "002_c.sql"],
            ),
            (&["001B_b.sql", "001_a.sql"], &["001_a.sql", "001B_b.sql"]),
            (
                &["V1.10__b", "V1.9__a", "V1.1__c"],
                &["V1.1__c", "V1.9__a", "V1.10__b"],
            ),
            (
                &["schema.sql", "001_init.sql"],
                &["001_init.sql", "schema.sql"],
            ),
            (&["seed.sql", "migrations"], &["migrations", "seed.sql"]),
            (&["x_fix.sql", "x.sql"], &["x.sql", "x_fix.sql"]),
            (
                &["1_a.sql", "01_a.sql", "001_a.sql"],
                &["001_a.sql", "01_a.sql", "1_a.sql"],
            ),
            (&["B.sql", "a.sql", "c.sql"], &["a.sql", "B.sql", "c.sql"]),
            (
                &["99999999999999999999999_z", "100000000000000000000000_a"],
                &["99999999999999999999999_z", "100000000000000000000000_a"],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(sorted(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn paths_compare_by_component() {
        let mut v = vec!["b.yaml", "a/z.yaml", "a.yaml", "a/10.yaml", "a/9.yaml"];
        v.sort_by(|a, b| natural_path_cmp(a, b));
        assert_eq!(v, ["a/9.yaml", "a/10.yaml", "a/z.yaml", "a.yaml", "b.yaml"]);
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(number_cmp(b"0010", b"9"), Ordering::Greater);
        assert_eq!(number_cmp(b"007", b"7"), Ordering::Equal);
        assert_eq!(number_cmp(b"", b"0"), Ordering::Equal);
    }
}
