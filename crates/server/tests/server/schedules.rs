//! Tests of this area (see main.rs).
