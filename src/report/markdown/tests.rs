use super::*;
use crate::report::fixture;

fn rendered(audit: &Audit) -> String {
    let mut out = Vec::new();
    render(audit, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_shared_fixture_as_markdown() {
    insta::assert_snapshot!(rendered(&fixture::audit()));
}
