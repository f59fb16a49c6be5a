//! Overload resolution shared by functions and operators: `func_match_argtypes` and
//! `func_select_candidate` (`parse_func.c`), the heuristics of the documentation's
//! "Type Conversion" chapter.

use crate::ddl::canon::types::{Env, Ty};

use super::coerce::Ctx;

impl Env<'_> {
    /// The inputs as overload resolution sees them: a value of statically unknown type
    /// behaves like an untyped literal (anything can take it).
    pub fn resolution_inputs(&self, inputs: &[Ty]) -> Vec<Ty> {
        inputs
            .iter()
            .map(|t| {
                if *t == Ty::Opaque {
                    Ty::UNKNOWN
                } else {
                    t.clone()
                }
            })
            .collect()
    }

    /// `func_match_argtypes`: the candidates the inputs can be implicitly coerced to.
    pub fn match_argtypes(&self, inputs: &[Ty], candidates: &[Vec<Ty>]) -> Vec<usize> {
        candidates
            .iter()
            .enumerate()
            .filter(|(_, args)| self.can_coerce(inputs, args, Ctx::Implicit))
            .map(|(i, _)| i)
            .collect()
    }

    /// `func_select_candidate`: choose among several coercion-compatible candidates.
    pub fn select_candidate(
        &self,
        inputs: &[Ty],
        candidates: &[Vec<Ty>],
        keep: &[usize],
    ) -> Option<usize> {
        let nargs = inputs.len();
        let base: Vec<Ty> = inputs
            .iter()
            .map(|t| {
                if t.is_unknown() {
                    t.clone()
                } else {
                    self.base(t)
                }
            })
            .collect();
        let nunknowns = base.iter().filter(|t| t.is_unknown()).count();

        // Keep the candidates with the most exact matches on known inputs.
        let mut current: Vec<usize> = keep.to_vec();
        let best_by = |current: &[usize], score: &dyn Fn(&[Ty]) -> usize| -> Vec<usize> {
            let mut best = 0;
            let mut out = Vec::new();
            for &c in current {
                let n = score(&candidates[c]);
                if out.is_empty() || n > best {
                    best = n;
                    out = vec![c];
                } else if n == best {
                    out.push(c);
                }
            }
            out
        };
        current = best_by(&current, &|args: &[Ty]| {
            (0..nargs)
                .filter(|&i| !base[i].is_unknown() && args[i] == base[i])
                .count()
        });
        if current.len() == 1 {
            return current.first().copied();
        }

        // Then those with exact or preferred-type matches (preferred within the input's
        // own category).
        let slot_category: Vec<u8> = base.iter().map(|t| self.category(t)).collect();
        current = best_by(&current, &|args: &[Ty]| {
            (0..nargs)
                .filter(|&i| {
                    !base[i].is_unknown()
                        && (args[i] == base[i]
                            || (self.category(&args[i]) == slot_category[i]
                                && self.preferred(&args[i])))
                })
                .count()
        });
        if current.len() == 1 {
            return current.first().copied();
        }
        if nunknowns == 0 {
            return None;
        }

        // Resolve the unknown inputs by category: STRING wins if any candidate takes it,
        // else all candidates must agree.
        let mut resolved = true;
        let mut categories = vec![0u8; nargs];
        let mut has_preferred = vec![false; nargs];
        for i in 0..nargs {
            if !base[i].is_unknown() {
                continue;
            }
            let mut category = 0u8;
            let mut conflict = false;
            for &c in &current {
                let t = &candidates[c][i];
                let cat = self.category(t);
                let pref = self.preferred(t);
                if category == 0 {
                    category = cat;
                    has_preferred[i] = pref;
                } else if cat == category {
                    has_preferred[i] |= pref;
                } else if cat == b'S' {
                    category = cat;
                    has_preferred[i] = pref;
                } else {
                    conflict = true;
                }
            }
            if conflict && category != b'S' {
                resolved = false;
                break;
            }
            categories[i] = category;
        }
        if resolved {
            let kept: Vec<usize> = current
                .iter()
                .copied()
                .filter(|&c| {
                    (0..nargs).all(|i| {
                        if !base[i].is_unknown() {
                            return true;
                        }
                        let t = &candidates[c][i];
                        self.category(t) == categories[i]
                            && (!has_preferred[i] || self.preferred(t))
                    })
                })
                .collect();
            if !kept.is_empty() {
                current = kept;
            }
            if current.len() == 1 {
                return current.first().copied();
            }
        }

        // Last gasp: all known inputs of one type — assume the unknowns are that type too.
        if nunknowns < nargs {
            let mut known: Option<&Ty> = None;
            let mut same = true;
            for t in base.iter().filter(|t| !t.is_unknown()) {
                match known {
                    None => known = Some(t),
                    Some(k) if k != t => {
                        same = false;
                        break;
                    }
                    _ => {}
                }
            }
            if let (true, Some(k)) = (same, known) {
                let assumed = vec![k.clone(); nargs];
                let matching: Vec<usize> = current
                    .iter()
                    .copied()
                    .filter(|&c| self.can_coerce(&assumed, &candidates[c], Ctx::Implicit))
                    .collect();
                if matching.len() == 1 {
                    return matching.first().copied();
                }
            }
        }
        None
    }
}
