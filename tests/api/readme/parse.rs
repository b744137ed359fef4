//! The walk-through as steps: the `###` headings (some stand for what a reader does by hand) and
//! the commands of its `sh` blocks, each with its comments and what it says it answers (`# → …`).

/// One thing the walk-through does, in order.
pub enum Step {
    Heading(String),
    Command(Command),
}

/// One shell command, possibly over several lines.
#[derive(Default)]
pub struct Command {
    /// The README line it starts on.
    pub line: usize,
    /// The shell text without comments.
    pub code: String,
    /// Its own comments (after `#` on its lines).
    pub comment: String,
    /// What it says it answers: the text after `→` in its comment and in the `# → …` lines after it.
    pub answer: String,
}

/// An `export NAME=prefix_…   # its "path"` line: a value the reader copies from an answer.
pub struct Documented {
    pub name: String,
    /// What the value starts with (`plink_`), the part before `…`.
    pub prefix: String,
    /// The first `"quoted"` word of the comment: the answer's field, dotted (`payments.0.id`).
    pub source: Option<String>,
}

/// The walk-through: its steps, and how many `sh` blocks were left out because they start the
/// server (the test runs its own).
pub fn walk_through(readme: &str) -> (Vec<Step>, usize) {
    let (mut steps, mut skipped) = (Vec::new(), 0);
    let mut block: Option<(bool, Vec<(usize, &str)>)> = None;
    for (n, line) in section(readme) {
        match &mut block {
            None if line.starts_with("```") => block = Some((line.trim() == "```sh", Vec::new())),
            None if line.starts_with("### ") => steps.push(Step::Heading(line[4..].trim().to_owned())),
            None => {}
            Some((sh, lines)) if line.starts_with("```") => {
                let starts_server = lines.iter().any(|(_, l)| l.trim_start().starts_with("paylink serve"));
                match (*sh, starts_server) {
                    (false, _) => {}
                    (true, true) => skipped += 1,
                    (true, false) => steps.extend(commands(lines).into_iter().map(Step::Command)),
                }
                block = None;
            }
            Some((_, lines)) => lines.push((n, line)),
        }
    }
    assert!(block.is_none(), "the README's last code block is not closed");
    (steps, skipped)
}

/// The numbered lines from `## Walk-through` to the next `## ` heading.
fn section(readme: &str) -> impl Iterator<Item = (usize, &str)> {
    let lines = readme.lines().enumerate().map(|(i, l)| (i + 1, l));
    lines.skip_while(|(_, l)| *l != "## Walk-through").skip(1).take_while(|(_, l)| !l.starts_with("## "))
}

fn commands(lines: &[(usize, &str)]) -> Vec<Command> {
    let (mut done, mut open, mut quote) = (Vec::<Command>::new(), None::<Command>, Quote::None);
    for &(n, line) in lines {
        let trimmed = line.trim_start();
        if open.is_none() && trimmed.starts_with('#') {
            if let Some(answer) = trimmed[1..].trim_start().strip_prefix('→') {
                let last =
                    done.last_mut().unwrap_or_else(|| panic!("README line {n}: a `# →` line follows no command"));
                last.answer.push_str(answer.trim());
                last.answer.push(' ');
            }
            continue;
        }
        let (code, comment) = split_comment(line, &mut quote);
        let cmd = open.get_or_insert_with(|| Command { line: n, ..Command::default() });
        cmd.code.push_str(code);
        cmd.code.push('\n');
        cmd.comment.push_str(comment);
        if let Some((_, answer)) = comment.split_once('→') {
            cmd.answer.push_str(answer.trim());
            cmd.answer.push(' ');
        }
        if quote == Quote::None && !code.trim_end().ends_with('\\') {
            done.extend(open.take());
        }
    }
    assert!(open.is_none(), "a command of the README's block at line {} never ends", lines[0].0);
    done
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Splits a line into its code and its comment, carrying open quotes over to the next line.
fn split_comment<'a>(line: &'a str, q: &mut Quote) -> (&'a str, &'a str) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match (*q, b[i]) {
            (Quote::Single, b'\'') | (Quote::Double, b'"') => *q = Quote::None,
            (Quote::Double | Quote::None, b'\\') => i += 1,
            (Quote::None, b'\'') => *q = Quote::Single,
            (Quote::None, b'"') => *q = Quote::Double,
            (Quote::None, b'#') if i == 0 || b[i - 1].is_ascii_whitespace() => return (&line[..i], &line[i + 1..]),
            _ => {}
        }
        i += 1;
    }
    (line, "")
}

impl Command {
    /// The variable an `export NAME=…` or `NAME=…` command sets.
    pub fn assigns(&self) -> Option<&str> {
        let code = self.code.trim();
        let (name, _) = code.strip_prefix("export ").unwrap_or(code).split_once('=')?;
        name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_').then_some(name)
    }

    /// The documented value this command stands for, if it is `export NAME=…` with a placeholder.
    pub fn documented(&self) -> Option<Documented> {
        let name = self.assigns()?.to_owned();
        let value = self.code.trim().split_once('=')?.1;
        let prefix = value.strip_suffix('…').filter(|p| !p.contains(['…', ' ', '$']))?.to_owned();
        let source = self.comment.split('"').nth(1).map(str::to_owned);
        Some(Documented { name, prefix, source })
    }

    /// The variables the command expands (`$NAME`, `${NAME}`), outside single quotes.
    pub fn uses(&self) -> Vec<String> {
        let (b, mut q, mut names) = (self.code.as_bytes(), Quote::None, Vec::new());
        let mut i = 0;
        while i < b.len() {
            match (q, b[i]) {
                (Quote::Single, b'\'') | (Quote::Double, b'"') => q = Quote::None,
                (Quote::Double | Quote::None, b'\\') => i += 1,
                (Quote::None, b'\'') => q = Quote::Single,
                (Quote::None, b'"') => q = Quote::Double,
                (Quote::None | Quote::Double, b'$') => {
                    let rest = self.code[i + 1..].trim_start_matches('{');
                    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                        names.push(name);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_through_splits_into_headings_and_commands_with_their_answers() {
        let readme = "# X\n## Walk-through\n```sh\npaylink serve\n```\n### Pay\n```sh\n# prose\ncurl -d '{\"a\": \"#1\",\n  \"b\": 2}' \\\n  -H x   # note\n# → {\"a\": 1}\nexport LINK=plink_…   # its \"id\"\necho $LINK \"${KEY}\" '$NOT' \\$ESC \"\\\"$Q\\\"\"\n```\n```python\nx\n```\n## Next\n```sh\nnever\n```\n";
        let (steps, skipped) = walk_through(readme);
        assert_eq!((steps.len(), skipped), (4, 1));
        let Step::Command(curl) = &steps[1] else { panic!("a command") };
        assert_eq!((curl.line, curl.comment.trim(), curl.answer.trim()), (9, "note", "{\"a\": 1}"));
        let Step::Command(export) = &steps[2] else { panic!("a command") };
        let d = export.documented().expect("documented");
        assert_eq!((d.name.as_str(), d.prefix.as_str(), d.source.as_deref()), ("LINK", "plink_", Some("id")));
        let Step::Command(echo) = &steps[3] else { panic!("a command") };
        assert_eq!(echo.uses(), ["LINK", "KEY", "Q"]);
        assert!(echo.documented().is_none() && echo.assigns().is_none());
    }
}
