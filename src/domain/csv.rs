//! CSV text (RFC 4180) safe to open in a spreadsheet: a cell with a comma, a quote or a line
//! break is quoted (quotes doubled), and a cell a spreadsheet would read as a formula (starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, so a link
//! title or customer name can never run as a formula on the merchant's computer (OWASP, "CSV
//! injection").

use std::borrow::Cow;

/// The byte order mark that makes Excel read the file as UTF-8 (Arabic text included).
pub const BOM: &str = "\u{feff}";

/// One cell, neutralised and quoted as needed.
pub fn cell(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = text.contains([',', '"', '\n', '\r']);
    if !formula && !quoted {
        return Cow::Borrowed(text);
    }
    let text = if formula { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) };
    if quoted { Cow::Owned(format!("\"{}\"", text.replace('"', "\"\""))) } else { text }
}

/// Appends one record (cells joined by commas, ended by CRLF) to `out`.
pub fn push_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(c.as_ref()));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_written_as_is() {
        assert_eq!(cell("Tea for two"), "Tea for two");
        assert_eq!(cell("شاي"), "شاي");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted_with_quotes_doubled() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("one\ntwo"), "\"one\ntwo\"");
        assert_eq!(cell("one\r\ntwo"), "\"one\r\ntwo\"");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe() {
        for bad in ["=1+1", "+966500000000", "-2", "@SUM(A1)", "\tx"] {
            assert_eq!(cell(bad), format!("'{bad}"), "{bad:?}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn a_row_joins_its_cells_with_commas_and_ends_with_crlf() {
        let mut out = String::new();
        push_row(&mut out, &["id", "a,b", "=x"]);
        assert_eq!(out, "id,\"a,b\",'=x\r\n");
    }
}
