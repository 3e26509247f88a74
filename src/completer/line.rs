//! The command line as aws_completer reads it, up to the cursor.
//!
//! The rules are aws's (`awscli/autocomplete/parser.py`): the line is cut
//! at the cursor and split at whitespace; a line ending in whitespace gets
//! an empty last word (a new word to complete); the first word is the
//! program; known command words move down the tree; known options consume
//! their values (one, an optional one, or several up to the next `--word`);
//! the last word, when it is not a known command, is the fragment to
//! complete; anything else not understood is "unparsed", which stops model
//! completions. Two places differ on purpose, where aws's parser stops
//! completing for no reason a user would see: after a switch (`--force`)
//! aws keeps treating the next word as the switch's value and offers
//! nothing; after a list option's values a new `--word` still counts as a
//! value. Here a switch takes no value and an option word ends the values
//! before it.

use std::collections::BTreeMap;

use super::extra::ValueKind;
use super::tree::{self, Nargs, Node, Opt};

/// What is being completed, besides the fragment itself.
#[derive(Debug, Clone)]
pub enum Param {
    /// The value of an option (global or the command's).
    Option(Opt),
    /// A positional argument of a command of rcr's own.
    Positional(ValueKind),
}

/// The parsed line.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The innermost command reached.
    pub node: Node,
    /// The command words after the program, `["ecr", "describe-images"]`.
    pub path: Vec<String>,
    /// The option (or positional) whose value the cursor is in.
    pub current: Option<Param>,
    /// The command's options seen, by name, with the values given in full
    /// (not the one being typed).
    pub params: BTreeMap<String, Vec<String>>,
    /// The global options seen, by name, with their value if any.
    pub globals: BTreeMap<String, Option<String>>,
    /// The positional arguments given (commands of rcr's own).
    pub positionals: Vec<String>,
    /// The word being completed; `None` when there is none (an empty line).
    pub fragment: Option<String>,
    /// Words not understood.
    pub unparsed: Vec<String>,
}

impl Parsed {
    /// The value given for a command option, if it was given one.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The value given for a global option.
    pub fn global(&self, name: &str) -> Option<&str> {
        self.globals.get(name).and_then(|v| v.as_deref())
    }
}

/// Cuts `line` at `point` (a byte offset, as bash's `COMP_POINT`; rounded
/// down to a character boundary) and parses it.
pub fn parse(line: &str, point: Option<usize>) -> Parsed {
    let mut end = point.unwrap_or(line.len()).min(line.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    let text = &line[..end];
    let mut parts: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    if text.ends_with(char::is_whitespace) {
        parts.push(String::new());
    }
    let mut parser = Parser {
        out: Parsed {
            node: Node::Root,
            path: Vec::new(),
            current: None,
            params: BTreeMap::new(),
            globals: BTreeMap::new(),
            positionals: Vec::new(),
            fragment: None,
            unparsed: Vec::new(),
        },
        globals: tree::globals(),
        current_args: Some(Vec::new()),
        parts: parts.into_iter().skip(1).collect(),
    };
    parser.run();
    parser.out
}

struct Parser {
    out: Parsed,
    globals: Vec<Opt>,
    /// The current command's options; `None` once a word was not understood.
    current_args: Option<Vec<Opt>>,
    parts: std::collections::VecDeque<String>,
}

impl Parser {
    fn run(&mut self) {
        while let Some(word) = self.parts.pop_front() {
            if word.starts_with("--") {
                self.option(word);
            } else {
                self.positional(word);
            }
        }
    }

    fn is_last(&self) -> bool {
        self.parts.is_empty()
    }

    fn option(&mut self, word: String) {
        // An option word ends the values of the option before it.
        self.out.current = None;
        let Some(args) = &self.current_args else {
            self.out.unparsed.push(word);
            return;
        };
        // A whole option word under the cursor is still the word being
        // completed: offering it back lets the shell add the space (aws
        // offers nothing there).
        if self.is_last() {
            self.out.fragment = Some(word);
            return;
        }
        let name = &word[2..];
        let known = self
            .globals
            .iter()
            .find(|o| o.name == name)
            .or_else(|| args.iter().find(|o| o.name == name))
            .cloned();
        match known {
            Some(opt) => {
                let global = opt.global;
                let name = opt.name.clone();
                let values = self.consume(opt);
                if global {
                    self.out
                        .globals
                        .insert(name, values.and_then(|v| v.into_iter().next()));
                } else {
                    self.out.params.insert(name, values.unwrap_or_default());
                }
            }
            None => self.out.unparsed.push(word),
        }
    }

    /// The values of `opt` that are complete words; the option stays the
    /// current one while its value is still being typed.
    fn consume(&mut self, opt: Opt) -> Option<Vec<String>> {
        let nargs = opt.nargs;
        if nargs == Nargs::Zero {
            return None;
        }
        self.out.current = Some(Param::Option(opt));
        let at_new_word = self.parts.len() == 1 && self.parts[0].is_empty();
        if at_new_word {
            return Some(Vec::new());
        }
        if self.parts.len() <= 1 {
            return None;
        }
        match nargs {
            Nargs::Zero => None,
            Nargs::One => {
                self.out.current = None;
                self.parts.pop_front().map(|v| vec![v])
            }
            Nargs::Optional => {
                if self.parts.front().is_some_and(|w| !w.starts_with("--")) {
                    self.out.current = None;
                    self.parts.pop_front().map(|v| vec![v])
                } else {
                    None
                }
            }
            Nargs::Many => {
                let mut values = Vec::new();
                // The last word is left for the fragment.
                while self.parts.len() > 1 {
                    if self.parts.front().is_some_and(|w| w.starts_with("--")) {
                        self.out.current = None;
                        break;
                    }
                    if let Some(v) = self.parts.pop_front() {
                        values.push(v);
                    }
                }
                Some(values)
            }
        }
    }

    fn positional(&mut self, word: String) {
        // The last word while an option waits for its value is that value.
        if self.is_last() && matches!(self.out.current, Some(Param::Option(_))) {
            self.out.fragment = Some(word);
            return;
        }
        if let Some(child) = self.out.node.child(&word) {
            self.out.node = child;
            self.out.path.push(word);
            self.current_args = Some(child.options());
            return;
        }
        let children = self.out.node.children();
        if children.is_empty()
            && self.current_args.is_some()
            && let Some(kind) = self.out.node.positional(self.out.positionals.len())
        {
            if self.is_last() {
                self.out.fragment = Some(word);
                self.out.current = Some(Param::Positional(kind));
            } else if !word.is_empty() {
                self.out.positionals.push(word);
                self.out.current = None;
            }
            return;
        }
        if self.is_last() {
            self.out.fragment = Some(word);
        } else if !word.is_empty() {
            self.out.unparsed.push(word);
        }
        self.current_args = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current_name(p: &Parsed) -> Option<String> {
        match &p.current {
            Some(Param::Option(o)) => Some(o.name.clone()),
            Some(Param::Positional(_)) => Some("<positional>".into()),
            None => None,
        }
    }

    #[test]
    fn follows_awss_parser() {
        let p = parse("aws ecr ", None);
        assert_eq!(p.path, vec!["ecr"]);
        assert_eq!(p.fragment.as_deref(), Some(""));
        let p = parse("aws ecr describe-", None);
        assert_eq!(p.path, vec!["ecr"]);
        assert_eq!(p.fragment.as_deref(), Some("describe-"));
        let p = parse("rcr ecr describe-images --repository-name ", None);
        assert_eq!(current_name(&p).as_deref(), Some("repository-name"));
        assert_eq!(p.fragment.as_deref(), Some(""));
        let p = parse("rcr ecr describe-images --repository-name sh", None);
        assert_eq!(current_name(&p).as_deref(), Some("repository-name"));
        assert_eq!(p.fragment.as_deref(), Some("sh"));
        let p = parse("rcr ecr describe-images --repository-name shop ", None);
        assert_eq!(current_name(&p), None);
        assert_eq!(p.param("repository-name"), Some("shop"));
        let p = parse("rcr ecr stop- ", None);
        assert_eq!(p.unparsed, vec!["stop-"]);
        let p = parse(
            "rcr --region us-east-1 ecr --output json list-images --rep",
            None,
        );
        assert_eq!(p.global("region"), Some("us-east-1"));
        assert_eq!(p.path, vec!["ecr", "list-images"]);
        assert_eq!(p.fragment.as_deref(), Some("--rep"));
        // Cut at the cursor.
        let p = parse("rcr ecr describe-images --repository-name x", Some(8));
        assert_eq!(p.path, vec!["ecr"]);
        assert_eq!(p.fragment.as_deref(), Some(""));
    }

    #[test]
    fn lists_switches_and_option_words() {
        let p = parse("rcr ecr batch-delete-image --image-ids imageTag=a ", None);
        assert_eq!(current_name(&p).as_deref(), Some("image-ids"));
        assert_eq!(p.params["image-ids"], vec!["imageTag=a"]);
        let p = parse("rcr ecr delete-repository --force ", None);
        assert_eq!(current_name(&p), None);
        let p = parse(
            "rcr ecr describe-repositories --repository-names a --",
            None,
        );
        assert_eq!(current_name(&p), None);
        assert_eq!(p.fragment.as_deref(), Some("--"));
    }

    #[test]
    fn positionals_of_extra_commands() {
        let p = parse("rcr image retag shop/cart v", None);
        assert_eq!(p.positionals, vec!["shop/cart"]);
        assert!(matches!(
            p.current,
            Some(Param::Positional(ValueKind::TagOrDigest))
        ));
        let p = parse("rcr image ls --registry-id 12", None);
        assert_eq!(current_name(&p).as_deref(), Some("registry-id"));
        assert!(p.positionals.is_empty());
    }
}
