//! Unit tests of the generator: determinism, object counts in range, drift fraction.

use super::gen::{generate, Options};

fn options(tables: usize, seed: u64) -> Options {
    Options {
        tables,
        seed,
        ..Options::default()
    }
}

#[test]
fn same_seed_same_bytes() {
    let a = generate(&options(300, 7));
    let b = generate(&options(300, 7));
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.text, y.text);
    }
    assert_eq!(a.drift.text, b.drift.text);
}

#[test]
fn another_seed_another_schema() {
    let a = generate(&options(100, 1));
    let b = generate(&options(100, 2));
    assert_ne!(a.files[1].text, b.files[1].text);
}
