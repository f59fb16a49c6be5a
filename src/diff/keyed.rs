//! The one keyed comparison every object kind goes through: two sorted maps in, what is
//! only in the first, only in the second, and in both out — plus the rename pairing for
//! objects whose identity is their structure rather than their name.

use std::collections::BTreeMap;

/// The keys of two maps split three ways, each list in key order.
#[derive(Debug)]
pub struct Differences<'a, K, V> {
    pub only_expected: Vec<(&'a K, &'a V)>,
    pub only_actual: Vec<(&'a K, &'a V)>,
    pub both: Vec<(&'a K, &'a V, &'a V)>,
}

/// Split the keys of `expected` and `actual` into only-in-expected, only-in-actual and in-both.
pub fn differences<'a, K: Ord, V>(
    expected: &'a BTreeMap<K, V>,
    actual: &'a BTreeMap<K, V>,
) -> Differences<'a, K, V> {
    let mut out = Differences {
        only_expected: Vec::new(),
        only_actual: Vec::new(),
        both: Vec::new(),
    };
    for (key, e) in expected {
        match actual.get(key) {
            Some(a) => out.both.push((key, e, a)),
            None => out.only_expected.push((key, e)),
        }
    }
    for (key, a) in actual {
        if !expected.contains_key(key) {
            out.only_actual.push((key, a));
        }
    }
    out
}

/// One side's entry: its key and value.
pub type Entry<'a, K, V> = (&'a K, &'a V);

/// Pair objects present on one side only that are the same object under another name:
/// each expected-only entry (in key order) takes the first unpaired actual-only entry that
/// `same` accepts. Returns the pairs and leaves the unpaired entries in the lists.
pub fn pair_renames<'a, K, V>(
    only_expected: &mut Vec<(&'a K, &'a V)>,
    only_actual: &mut Vec<(&'a K, &'a V)>,
    mut same: impl FnMut(&V, &V) -> bool,
) -> Vec<(Entry<'a, K, V>, Entry<'a, K, V>)> {
    let mut pairs = Vec::new();
    let mut unpaired_expected = Vec::new();
    for e in only_expected.drain(..) {
        match only_actual.iter().position(|a| same(e.1, a.1)) {
            Some(i) => pairs.push((e, only_actual.remove(i))),
            None => unpaired_expected.push(e),
        }
    }
    *only_expected = unpaired_expected;
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_keys_three_ways_in_order() {
        let e: BTreeMap<&str, i32> = [("a", 1), ("b", 2), ("c", 3)].into();
        let a: BTreeMap<&str, i32> = [("b", 20), ("d", 4), ("c", 3)].into();
        let d = differences(&e, &a);
        assert_eq!(d.only_expected, vec![(&"a", &1)]);
        assert_eq!(d.only_actual, vec![(&"d", &4)]);
        assert_eq!(d.both, vec![(&"b", &2, &20), (&"c", &3, &3)]);
    }

    #[test]
    fn renames_pair_first_structural_match() {
        let e: BTreeMap<&str, i32> = [("x1", 1), ("x2", 2), ("x3", 3)].into();
        let a: BTreeMap<&str, i32> = [("y1", 2), ("y2", 1), ("y3", 9)].into();
        let d = differences(&e, &a);
        let (mut only_e, mut only_a) = (d.only_expected, d.only_actual);
        let pairs = pair_renames(&mut only_e, &mut only_a, |x, y| x == y);
        let names: Vec<(&str, &str)> = pairs.iter().map(|(e, a)| (*e.0, *a.0)).collect();
        assert_eq!(names, vec![("x1", "y2"), ("x2", "y1")]);
        assert_eq!(only_e, vec![(&"x3", &3)]);
        assert_eq!(only_a, vec![(&"y3", &9)]);
    }
}
