//! The rule a field broke, as a stable code. Our messages are sentences for developers and may be
//! reworded; adapters that answer in another provider's words (the dialects, the payment page)
//! choose their own sentence by the rule, never by our text.

/// Which rule an input field broke.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Broke a rule that has no more precise code below (a combination of fields, a state).
    #[default]
    Invalid,
    /// Absent (or blank) where a value is needed.
    Required,
    /// Of the wrong type: a string where an object is expected, a word where a number is.
    WrongType(Expected),
    /// Not a field the endpoint accepts.
    UnknownField,
    /// Given more than once (a repeated form field, a duplicated JSON key), or as a list where
    /// one value is expected.
    Repeated,
    /// Text with a control character (`domain::text::is_forbidden_control`).
    ControlCharacter,
    /// An amount that is not a decimal number.
    NotANumber,
    /// An amount with more decimal places than its currency has.
    TooManyDecimals,
    /// An amount of zero or less.
    NotPositive,
    /// An amount above the configured maximum.
    AboveMaximum,
    /// A number outside the accepted range (page sizes, counts, offsets).
    OutOfRange,
    /// Text longer than the field's limit (or, with a lower bound, outside it).
    TooLong,
    /// Not a date-time in the accepted format (RFC 3339 natively).
    NotADateTime,
    /// A date-time that is not in the future.
    InPast,
    /// Not an E.164 phone number.
    NotAPhone,
    /// Not an e-mail address.
    NotAnEmail,
    /// Not an absolute http(s) URL, or one that may not be called.
    NotAUrl,
    /// Not one of the accepted values (a language, a currency, a status word, an id of this kind).
    UnknownValue,
    /// A JSON object whose size or shape is outside the limits (metadata).
    BadObject,
    /// Text shorter than the field's minimum (a password).
    TooShort,
    /// A password that is one of the most common ones, or the user's e-mail.
    Guessable,
    /// A secret that does not match (the current password, a one-time code).
    Mismatch,
}

/// The type a field of the wrong type should have had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    /// A JSON string.
    String,
    /// A JSON object.
    Object,
    /// A JSON array.
    Array,
    /// `true` or `false`.
    Boolean,
    /// An integer.
    WholeNumber,
    /// Any number.
    Number,
    /// Something the parser described in its own words.
    Other,
}
