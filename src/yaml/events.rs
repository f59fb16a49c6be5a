//! The YAML event stream with positions: a small safe wrapper around libyaml's parser
//! (`unsafe-libyaml-norway`, the same parser `serde_norway` uses internally). It is the only
//! unsafe code of the YAML reader; everything above it works on owned, safe values.
//!
//! We read events rather than deserialising with serde because the reader needs the line and
//! column of every node: for error messages and for the location of each generated statement.

use std::ffi::CStr;
use std::mem::MaybeUninit;

use unsafe_libyaml_norway as unsafe_yaml;

/// A 1-based line and column in the YAML text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn from_mark(mark: unsafe_yaml::yaml_mark_t) -> Pos {
        Pos {
            line: usize::try_from(mark.line).unwrap_or(usize::MAX - 1) + 1,
            column: usize::try_from(mark.column).unwrap_or(usize::MAX - 1) + 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

/// One parse event, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        value: String,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        tag: Option<String>,
    },
    MappingEnd,
}

/// What libyaml reports when the text is not valid YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    /// The byte offset of the problem in the input, when libyaml knows it.
    pub offset: Option<usize>,
    pub problem: String,
    /// What libyaml was parsing, and where it started: `while parsing a block mapping`.
    pub context: Option<(String, Pos)>,
}

/// A libyaml parser over borrowed text.
pub(crate) struct Parser<'input> {
    // Boxed so that the parser never moves: libyaml keeps a pointer to itself (the read
    // handler's data) once the input is set.
    sys: Box<MaybeUninit<unsafe_yaml::yaml_parser_t>>,
    // libyaml reads from this slice for as long as the parser lives; `Drop` deletes the
    // parser before the fields (and so the borrow) go away.
    _input: &'input [u8],
    initialised: bool,
    finished: bool,
}

impl<'input> Parser<'input> {
    pub fn new(input: &'input str) -> Parser<'input> {
        let bytes = input.as_bytes();
        let mut sys = Box::new(MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
        let parser = sys.as_mut_ptr();
        // SAFETY: `parser` points to writable memory of the right size and alignment;
        // `yaml_parser_initialize` zeroes and initialises it (it fails only when malloc fails,
        // in which case Rust's allocator would already have aborted). The input pointer stays
        // valid for the parser's lifetime ('input), and the parser is never moved (boxed).
        let initialised = unsafe {
            let ok = unsafe_yaml::yaml_parser_initialize(parser).ok;
            if ok {
                unsafe_yaml::yaml_parser_set_encoding(parser, unsafe_yaml::YAML_UTF8_ENCODING);
                unsafe_yaml::yaml_parser_set_input_string(parser, bytes.as_ptr(), bytes.len() as _);
            }
            ok
        };
        Parser {
            sys,
            _input: bytes,
            initialised,
            finished: !initialised,
        }
    }

    /// The next event and the position where it starts; `None` after the end of the stream.
    pub fn next_event(&mut self) -> Option<Result<(Event, Pos), SyntaxError>> {
        if self.finished {
            return None;
        }
        let parser = self.sys.as_mut_ptr();
        let mut event = MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new` (otherwise `finished` is set). A
        // successful `yaml_parser_parse` fully initialises `event`, which we read once and
        // free with `yaml_event_delete`. On failure the event is left untouched and the
        // parser's error fields describe the problem.
        unsafe {
            let failed_before = (&*parser).error != unsafe_yaml::YAML_NO_ERROR;
            if failed_before || !unsafe_yaml::yaml_parser_parse(parser, event.as_mut_ptr()).ok {
                self.finished = true;
                return Some(Err(syntax_error(parser)));
            }
            let event = event.as_mut_ptr();
            let converted = convert(&*event);
            let pos = Pos::from_mark((*event).start_mark);
            unsafe_yaml::yaml_event_delete(event);
            if converted == Event::StreamEnd {
                self.finished = true;
            }
            Some(Ok((converted, pos)))
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        if self.initialised {
            // SAFETY: the parser was initialised in `new`; it is deleted exactly once.
            unsafe { unsafe_yaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

/// Copy a NUL-terminated libyaml string (anchor, tag, message) into a `String`.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string that outlives this call.
unsafe fn owned_cstr(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    let cstr = unsafe { CStr::from_ptr(ptr.cast()) };
    Some(cstr.to_string_lossy().into_owned())
}

/// # Safety
/// `event` was filled in by a successful `yaml_parser_parse`.
unsafe fn convert(event: &unsafe_yaml::yaml_event_t) -> Event {
    // SAFETY: each union field is read only for the event type that defines it, and every
    // pointer in it is owned by the event, which outlives this call.
    unsafe {
        match event.type_ {
            unsafe_yaml::YAML_STREAM_START_EVENT => Event::StreamStart,
            unsafe_yaml::YAML_STREAM_END_EVENT => Event::StreamEnd,
            unsafe_yaml::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
            unsafe_yaml::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
            unsafe_yaml::YAML_ALIAS_EVENT => Event::Alias {
                anchor: owned_cstr(event.data.alias.anchor).unwrap_or_default(),
            },
            unsafe_yaml::YAML_SCALAR_EVENT => {
                let scalar = event.data.scalar;
                let value = if scalar.value.is_null() {
                    String::new()
                } else {
                    let bytes = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
                    String::from_utf8_lossy(bytes).into_owned()
                };
                Event::Scalar {
                    anchor: owned_cstr(scalar.anchor),
                    tag: owned_cstr(scalar.tag),
                    value,
                    style: match scalar.style {
                        unsafe_yaml::YAML_PLAIN_SCALAR_STYLE => ScalarStyle::Plain,
                        unsafe_yaml::YAML_LITERAL_SCALAR_STYLE
                        | unsafe_yaml::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Block,
                        _ => ScalarStyle::Quoted,
                    },
                }
            }
            unsafe_yaml::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
                anchor: owned_cstr(event.data.sequence_start.anchor),
                tag: owned_cstr(event.data.sequence_start.tag),
            },
            unsafe_yaml::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
            unsafe_yaml::YAML_MAPPING_START_EVENT => Event::MappingStart {
                anchor: owned_cstr(event.data.mapping_start.anchor),
                tag: owned_cstr(event.data.mapping_start.tag),
            },
            unsafe_yaml::YAML_MAPPING_END_EVENT => Event::MappingEnd,
            // YAML_NO_EVENT is never returned by a successful parse; end the stream.
            _ => Event::StreamEnd,
        }
    }
}

/// # Safety
/// `parser` is an initialised parser whose last call failed.
unsafe fn syntax_error(parser: *const unsafe_yaml::yaml_parser_t) -> SyntaxError {
    // SAFETY: the error fields are plain data and static C strings set by libyaml.
    unsafe {
        let parser: &unsafe_yaml::yaml_parser_t = &*parser;
        let problem = owned_cstr(parser.problem.cast())
            .unwrap_or_else(|| "the YAML parser failed without saying why".to_string());
        let context =
            owned_cstr(parser.context.cast()).map(|c| (c, Pos::from_mark(parser.context_mark)));
        let mark = parser.problem_mark;
        let offset = usize::try_from(parser.problem_offset).ok();
        // Reader errors (bad UTF-8, control characters) only set the byte offset.
        let pos = if mark.line == 0 && mark.column == 0 && mark.index == 0 {
            Pos { line: 0, column: 0 }
        } else {
            Pos::from_mark(mark)
        };
        SyntaxError {
            pos,
            offset: offset.filter(|&o| o > 0 || pos.line == 0),
            problem,
            context,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<Event> {
        let mut parser = Parser::new(text);
        let mut out = Vec::new();
        while let Some(ev) = parser.next_event() {
            out.push(ev.unwrap().0);
        }
        out
    }

    #[test]
    fn scalars_keep_their_style() {
        let evs = events("a: 'x'\nb: y\n");
        assert!(evs.contains(&Event::Scalar {
            anchor: None,
            tag: None,
            value: "x".into(),
            style: ScalarStyle::Quoted
        }));
        assert!(evs.contains(&Event::Scalar {
            anchor: None,
            tag: None,
            value: "y".into(),
            style: ScalarStyle::Plain
        }));
        assert_eq!(evs.last(), Some(&Event::StreamEnd));
    }

    #[test]
    fn positions_are_one_based() {
        let mut parser = Parser::new("a:\n  b: c\n");
        let mut found = None;
        while let Some(Ok((ev, pos))) = parser.next_event() {
            if let Event::Scalar { value, .. } = ev {
                if value == "b" {
                    found = Some(pos);
                }
            }
        }
        assert_eq!(found, Some(Pos { line: 2, column: 3 }));
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        let mut parser = Parser::new("a: [1, 2\n");
        let mut err = None;
        while let Some(ev) = parser.next_event() {
            if let Err(e) = ev {
                err = Some(e);
            }
        }
        let err = err.unwrap();
        assert!(err.problem.contains("did not find expected"), "{err:?}");
        assert!(parser.next_event().is_none());
    }
}
