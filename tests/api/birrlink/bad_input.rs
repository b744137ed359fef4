//! BirrLink: bad_input.
