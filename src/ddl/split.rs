//! Splitting SQL text into statements with their file and line.
