//! Collections of the replay state that can return to a savepoint (`BEGIN`, `SAVEPOINT`,
//! a `DO` block) without being copied: while a savepoint is open, each change records the
//! value it replaces (once per key and savepoint), and a rollback puts those values back in
//! reverse order. A map can also keep a derived index (`Derive`) that follows every change,
//! so questions such as "which foreign keys reference this table" need no scan.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::{Bound, Deref, DerefMut};

use crate::ddl::canon::{TypeRegistry, UserType};
use crate::model::QualifiedName;

/// An index kept next to a map: told about every entry that comes and goes (an entry
/// changed in place goes, then comes back).
pub(crate) trait Derive<K, V>: Default + Clone + fmt::Debug {
    fn add(&mut self, key: &K, value: &V);
    fn remove(&mut self, key: &K, value: &V);
}

/// No derived index.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NoIndex;

impl<K, V> Derive<K, V> for NoIndex {
    fn add(&mut self, _: &K, _: &V) {}
    fn remove(&mut self, _: &K, _: &V) {}
}

/// A container the journal can wrap: a `BTreeMap` reached through it.
pub(crate) trait AsMap: Default + Clone + fmt::Debug {
    type K: Ord + Clone + fmt::Debug;
    type V: Clone + fmt::Debug;
    fn map(&self) -> &BTreeMap<Self::K, Self::V>;
    fn map_mut(&mut self) -> &mut BTreeMap<Self::K, Self::V>;
}

impl<K: Ord + Clone + fmt::Debug, V: Clone + fmt::Debug> AsMap for BTreeMap<K, V> {
    type K = K;
    type V = V;
    fn map(&self) -> &BTreeMap<K, V> {
        self
    }
    fn map_mut(&mut self) -> &mut BTreeMap<K, V> {
        self
    }
}

impl AsMap for TypeRegistry {
    type K = QualifiedName;
    type V = UserType;
    fn map(&self) -> &BTreeMap<QualifiedName, UserType> {
        &self.types
    }
    fn map_mut(&mut self) -> &mut BTreeMap<QualifiedName, UserType> {
        &mut self.types
    }
}

/// One open savepoint: where its records start, and the keys it has recorded.
#[derive(Debug, Clone)]
struct Level<K> {
    start: usize,
    recorded: BTreeSet<K>,
}

/// A map (reached as `C`) whose changes can be undone back to a savepoint. Reads go through
/// `Deref`; every change goes through the methods below.
#[derive(Debug, Clone)]
pub(crate) struct Journaled<C: AsMap, D: Derive<C::K, C::V> = NoIndex> {
    inner: C,
    derived: D,
    /// Each record: a key and the value it had before the change (`None`: absent).
    log: Vec<(C::K, Option<C::V>)>,
    levels: Vec<Level<C::K>>,
}

pub(crate) type JournaledMap<K, V, D = NoIndex> = Journaled<BTreeMap<K, V>, D>;

impl<C: AsMap, D: Derive<C::K, C::V>> Default for Journaled<C, D> {
    fn default() -> Self {
        Journaled {
            inner: C::default(),
            derived: D::default(),
            log: Vec::new(),
            levels: Vec::new(),
        }
    }
}

impl<'a, K, V, D> IntoIterator for &'a JournaledMap<K, V, D>
where
    K: Ord + Clone + fmt::Debug,
    V: Clone + fmt::Debug,
    D: Derive<K, V>,
{
    type Item = (&'a K, &'a V);
    type IntoIter = std::collections::btree_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.inner.iter()
    }
}

impl<C: AsMap, D: Derive<C::K, C::V>> Deref for Journaled<C, D> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.inner
    }
}

impl<C: AsMap, D: Derive<C::K, C::V>> Journaled<C, D> {
    /// The derived index.
    pub fn derived(&self) -> &D {
        &self.derived
    }

    /// The container and its derived index, for taking the contents apart.
    pub fn into_parts(self) -> (C, D) {
        (self.inner, self.derived)
    }

    /// Remember `key`'s value before a change, once per open savepoint.
    fn record(&mut self, key: &C::K) {
        let Some(level) = self.levels.last_mut() else {
            return;
        };
        if level.recorded.contains(key) {
            return;
        }
        level.recorded.insert(key.clone());
        let old = self.inner.map().get(key).cloned();
        self.log.push((key.clone(), old));
    }

    /// Put `key` to `value` (`None` removes it), keeping the derived index in step.
    fn set(&mut self, key: C::K, value: Option<C::V>) -> Option<C::V> {
        let map = self.inner.map_mut();
        if let Some(old) = map.get(&key) {
            self.derived.remove(&key, old);
        }
        match value {
            Some(v) => {
                self.derived.add(&key, &v);
                map.insert(key, v)
            }
            None => map.remove(&key),
        }
    }

    pub fn insert(&mut self, key: C::K, value: C::V) -> Option<C::V> {
        self.record(&key);
        self.set(key, Some(value))
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<C::V>
    where
        C::K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let owned = self.inner.map().get_key_value(key)?.0.clone();
        self.record(&owned);
        self.set(owned, None)
    }

    /// The value of `key` for changing in place; the derived index follows when the
    /// returned guard is dropped.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<EntryMut<'_, C::K, C::V, D>>
    where
        C::K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if !self.levels.is_empty() {
            let owned = self.inner.map().get_key_value(key)?.0.clone();
            self.record(&owned);
        }
        let (k, v) = self
            .inner
            .map_mut()
            .range_mut::<Q, _>((Bound::Included(key), Bound::Included(key)))
            .next()?;
        self.derived.remove(k, v);
        Some(EntryMut {
            key: k,
            value: v,
            derived: &mut self.derived,
        })
    }

    /// Keep only the entries for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&C::K, &C::V) -> bool) {
        let gone: Vec<C::K> = self
            .inner
            .map()
            .iter()
            .filter(|(k, v)| !keep(k, v))
            .map(|(k, _)| k.clone())
            .collect();
        for k in gone {
            self.remove(&k);
        }
    }

    /// Open a savepoint.
    pub fn begin(&mut self) {
        self.levels.push(Level {
            start: self.log.len(),
            recorded: BTreeSet::new(),
        });
    }

    /// Undo everything since savepoint `depth` opened; it stays open, deeper ones close.
    pub fn rollback_to(&mut self, depth: usize) {
        let Some(level) = self.levels.get_mut(depth) else {
            return;
        };
        let start = level.start;
        level.recorded.clear();
        self.levels.truncate(depth + 1);
        while self.log.len() > start {
            if let Some((key, old)) = self.log.pop() {
                self.set(key, old);
            }
        }
    }

    /// Close savepoint `depth` and those inside it, keeping their changes.
    pub fn release(&mut self, depth: usize) {
        self.levels.truncate(depth);
        if self.levels.is_empty() {
            self.log.clear();
        }
    }
}

/// A value being changed in place; tells the derived index about it when dropped.
pub(crate) struct EntryMut<'a, K, V, D: Derive<K, V>> {
    key: &'a K,
    value: &'a mut V,
    derived: &'a mut D,
}

impl<K, V, D: Derive<K, V>> Deref for EntryMut<'_, K, V, D> {
    type Target = V;
    fn deref(&self) -> &V {
        self.value
    }
}

impl<K, V, D: Derive<K, V>> DerefMut for EntryMut<'_, K, V, D> {
    fn deref_mut(&mut self) -> &mut V {
        self.value
    }
}

impl<K, V, D: Derive<K, V>> Drop for EntryMut<'_, K, V, D> {
    fn drop(&mut self) {
        self.derived.add(self.key, self.value);
    }
}

/// A set whose changes can be undone back to a savepoint.
#[derive(Debug, Clone)]
pub(crate) struct JournaledSet<K: Ord + Clone> {
    inner: BTreeSet<K>,
    /// Each record: a key and whether it was present before the change.
    log: Vec<(K, bool)>,
    levels: Vec<usize>,
}

impl<K: Ord + Clone> Default for JournaledSet<K> {
    fn default() -> Self {
        JournaledSet::from_set(BTreeSet::new())
    }
}

impl<'a, K: Ord + Clone> IntoIterator for &'a JournaledSet<K> {
    type Item = &'a K;
    type IntoIter = std::collections::btree_set::Iter<'a, K>;
    fn into_iter(self) -> Self::IntoIter {
        self.inner.iter()
    }
}

impl<K: Ord + Clone> Deref for JournaledSet<K> {
    type Target = BTreeSet<K>;
    fn deref(&self) -> &BTreeSet<K> {
        &self.inner
    }
}

impl<K: Ord + Clone> JournaledSet<K> {
    pub fn from_set(inner: BTreeSet<K>) -> Self {
        JournaledSet {
            inner,
            log: Vec::new(),
            levels: Vec::new(),
        }
    }

    pub fn insert(&mut self, key: K) -> bool {
        if self.inner.contains(&key) {
            return false;
        }
        if !self.levels.is_empty() {
            self.log.push((key.clone(), false));
        }
        self.inner.insert(key)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let Some(owned) = self.inner.take(key) else {
            return false;
        };
        if !self.levels.is_empty() {
            self.log.push((owned, true));
        }
        true
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        let gone: Vec<K> = self.inner.iter().filter(|k| !keep(k)).cloned().collect();
        for k in gone {
            self.remove(&k);
        }
    }

    pub fn begin(&mut self) {
        self.levels.push(self.log.len());
    }

    pub fn rollback_to(&mut self, depth: usize) {
        let Some(&start) = self.levels.get(depth) else {
            return;
        };
        self.levels.truncate(depth + 1);
        while self.log.len() > start {
            if let Some((key, present)) = self.log.pop() {
                if present {
                    self.inner.insert(key);
                } else {
                    self.inner.remove(&key);
                }
            }
        }
    }

    pub fn release(&mut self, depth: usize) {
        self.levels.truncate(depth);
        if self.levels.is_empty() {
            self.log.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts entries per value, to see the derived index follow every change.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct ByValue(BTreeMap<i32, usize>);

    impl Derive<String, i32> for ByValue {
        fn add(&mut self, _: &String, v: &i32) {
            *self.0.entry(*v).or_default() += 1;
        }
        fn remove(&mut self, _: &String, v: &i32) {
            if let Some(n) = self.0.get_mut(v) {
                *n -= 1;
                if *n == 0 {
                    self.0.remove(v);
                }
            }
        }
    }

    fn rebuilt(m: &JournaledMap<String, i32, ByValue>) -> ByValue {
        let mut d = ByValue::default();
        for (k, v) in m.iter() {
            d.add(k, v);
        }
        d
    }

    #[test]
    fn rollback_restores_values_and_index() {
        let mut m: JournaledMap<String, i32, ByValue> = Journaled::default();
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        let before = (*m).clone();
        m.begin();
        m.insert("c".into(), 3);
        *m.get_mut("a").unwrap() = 10;
        *m.get_mut("a").unwrap() = 11;
        m.remove("b");
        m.insert("b".into(), 20);
        assert_eq!(m.derived(), &rebuilt(&m));
        m.rollback_to(0);
        assert_eq!(*m, before);
        assert_eq!(m.derived(), &rebuilt(&m));
        m.release(0);
        assert!(m.log.is_empty());
    }

    #[test]
    fn nested_savepoints() {
        let mut m: JournaledMap<String, i32, ByValue> = Journaled::default();
        m.insert("a".into(), 1);
        m.begin();
        *m.get_mut("a").unwrap() = 2;
        let outer = (*m).clone();
        m.begin();
        *m.get_mut("a").unwrap() = 3;
        m.insert("x".into(), 9);
        m.rollback_to(1);
        assert_eq!(*m, outer);
        *m.get_mut("a").unwrap() = 4;
        m.release(1);
        *m.get_mut("a").unwrap() = 5;
        m.rollback_to(0);
        assert_eq!(m.get("a"), Some(&1));
        assert_eq!(m.len(), 1);
        assert_eq!(m.derived(), &rebuilt(&m));
    }

    #[test]
    fn changes_without_savepoint_are_not_recorded() {
        let mut m: JournaledMap<String, i32> = Journaled::default();
        m.insert("a".into(), 1);
        *m.get_mut("a").unwrap() = 2;
        m.remove("a");
        assert!(m.log.is_empty());
    }

    #[test]
    fn sets_roll_back() {
        let mut s = JournaledSet::from_set(BTreeSet::from([1, 2]));
        s.begin();
        s.insert(3);
        s.remove(&1);
        s.begin();
        s.insert(4);
        s.rollback_to(1);
        assert_eq!(*s, BTreeSet::from([2, 3]));
        s.rollback_to(0);
        assert_eq!(*s, BTreeSet::from([1, 2]));
        s.release(0);
        assert!(s.log.is_empty());
    }
}
