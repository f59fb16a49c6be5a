//! Replaying statements, in order, onto a model as PostgreSQL would apply them.
