//! `--query`'s parser: tokens to a syntax tree, by the same top-down
//! operator precedence grammar as Python jmespath 1.0.1, so that what it
//! accepts, the shape it builds (which decides where projections stop) and
//! every parse error (message, column, token) are Python's.

use serde_json::Value;

use super::query_lexer::{Kind, LexError, Token, TokenValue, tokenize};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Cmp {
    /// Python's operator symbol, as its `TypeError` names it.
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Lte => "<=",
            Cmp::Gt => ">",
            Cmp::Gte => ">=",
        }
    }
}

/// The syntax tree (Python's node types; `subexpression`, `index_expression`
/// and `pipe` all evaluate as a chain, but the parser tells them apart).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Identity,
    Field(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Literal(Value),
    Subexpression(Vec<Node>),
    IndexExpression(Vec<Node>),
    Pipe(Box<Node>, Box<Node>),
    Projection(Box<Node>, Box<Node>),
    ValueProjection(Box<Node>, Box<Node>),
    FilterProjection(Box<Node>, Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    MultiList(Vec<Node>),
    MultiHash(Vec<(String, Node)>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Comparator(Cmp, Box<Node>, Box<Node>),
    Function(String, Vec<Node>),
    Expref(Box<Node>),
}

/// A syntax error, as Python's exception classes print themselves.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum SyntaxError {
    /// `EmptyExpressionError`: the expression has no characters at all.
    Empty,
    /// `LexerError`: `Bad jmespath expression: <message>:`, the expression
    /// and a caret under the position.
    Lexer(LexError),
    /// `IncompleteExpressionError` at a position.
    Incomplete(usize),
    /// `ParseError`: a reason and the token it stopped at.
    Parse {
        reason: String,
        position: usize,
        token: String,
        kind: Kind,
    },
}

impl SyntaxError {
    /// `str(e)` of Python's exception for expression `expr`.
    pub(super) fn python_message(&self, expr: &str) -> String {
        match self {
            SyntaxError::Empty => "Invalid JMESPath expression: cannot be empty.".to_string(),
            SyntaxError::Lexer(e) => format!(
                "Bad jmespath expression: {}:\n{expr}\n{}^",
                e.message,
                " ".repeat(e.position)
            ),
            SyntaxError::Incomplete(position) => format!(
                "Invalid jmespath expression: Incomplete expression:\n\"{expr}\"\n{}^",
                " ".repeat(position + 1)
            ),
            SyntaxError::Parse {
                reason,
                position,
                token,
                kind,
            } => format!(
                "{reason}: Parse error at column {position}, token \"{token}\" ({}), for expression:\n\"{expr}\"\n{}^",
                kind.name().to_ascii_uppercase(),
                " ".repeat(position + 1)
            ),
        }
    }
}

/// Parses a whole expression.
pub(super) fn parse(expr: &str) -> Result<Node, SyntaxError> {
    // Python checks this before it reads any token (a blank expression is
    // an incomplete one, not an empty one).
    if expr.is_empty() {
        return Err(SyntaxError::Empty);
    }
    let tokens = tokenize(expr).map_err(SyntaxError::Lexer)?;
    let mut parser = Parser { tokens, index: 0 };
    let node = parser.expression(0)?;
    if parser.current() != Kind::Eof {
        let t = parser.token(0);
        return Err(parse_error(format!("Unexpected token: {}", t.shown()), t));
    }
    Ok(node)
}

/// How strongly a token binds to the expression on its left.
fn binding_power(kind: Kind) -> u8 {
    match kind {
        Kind::Pipe => 1,
        Kind::Or => 2,
        Kind::And => 3,
        Kind::Eq | Kind::Ne | Kind::Lt | Kind::Lte | Kind::Gt | Kind::Gte => 5,
        Kind::Flatten => 9,
        Kind::Star => 20,
        Kind::Filter => 21,
        Kind::Dot => 40,
        Kind::Not => 45,
        Kind::Lbrace => 50,
        Kind::Lbracket => 55,
        Kind::Lparen => 60,
        _ => 0,
    }
}

/// Tokens binding less than this end a projection's right-hand side.
const PROJECTION_STOP: u8 = 10;

fn parse_error(reason: String, t: &Token) -> SyntaxError {
    SyntaxError::Parse {
        reason,
        position: t.start,
        token: t.shown(),
        kind: t.kind,
    }
}

struct Parser {
    tokens: Vec<Token>,
    index: usize,
}

type Parsed = Result<Node, SyntaxError>;

impl Parser {
    /// The token `offset` places from the current one (the last one, Eof,
    /// past the end; Python's negative offsets only look back past tokens
    /// that exist).
    fn token(&self, offset: isize) -> &Token {
        let i = self
            .index
            .checked_add_signed(offset)
            .unwrap_or(0)
            .min(self.tokens.len() - 1);
        &self.tokens[i]
    }

    fn current(&self) -> Kind {
        self.token(0).kind
    }

    fn advance(&mut self) {
        if self.index < self.tokens.len() - 1 {
            self.index += 1;
        }
    }

    fn expression(&mut self, rbp: u8) -> Parsed {
        let left_token = self.token(0).clone();
        self.advance();
        let mut left = self.nud(left_token)?;
        loop {
            let kind = self.current();
            if rbp >= binding_power(kind) {
                return Ok(left);
            }
            left = self.led(kind, left)?;
        }
    }

    fn nud(&mut self, token: Token) -> Parsed {
        match token.kind {
            Kind::Literal => Ok(match token.value {
                TokenValue::Json(v) => Node::Literal(v),
                _ => Node::Literal(Value::Null),
            }),
            Kind::UnquotedIdentifier => Ok(Node::Field(token.text().to_string())),
            Kind::QuotedIdentifier => {
                if self.current() == Kind::Lparen {
                    let t = self.token(0);
                    return Err(SyntaxError::Parse {
                        reason: "Quoted identifier not allowed for function names.".into(),
                        position: 0,
                        token: t.shown(),
                        kind: t.kind,
                    });
                }
                Ok(Node::Field(token.text().to_string()))
            }
            Kind::Star => {
                let right = if self.current() == Kind::Rbracket {
                    Node::Identity
                } else {
                    self.projection_rhs(binding_power(Kind::Star))?
                };
                Ok(Node::ValueProjection(
                    Box::new(Node::Identity),
                    Box::new(right),
                ))
            }
            Kind::Filter => self.led_filter(Node::Identity),
            Kind::Lbrace => self.multi_select_hash(),
            Kind::Lparen => {
                let inner = self.expression(0)?;
                self.expect(Kind::Rparen)?;
                Ok(inner)
            }
            Kind::Flatten => {
                let left = Node::Flatten(Box::new(Node::Identity));
                let right = self.projection_rhs(binding_power(Kind::Flatten))?;
                Ok(Node::Projection(Box::new(left), Box::new(right)))
            }
            Kind::Not => {
                let inner = self.expression(binding_power(Kind::Not))?;
                Ok(Node::Not(Box::new(inner)))
            }
            Kind::Lbracket => {
                let kind = self.current();
                if matches!(kind, Kind::Number | Kind::Colon) {
                    let right = self.index_expression()?;
                    self.project_if_slice(Node::Identity, right)
                } else if kind == Kind::Star && self.token(1).kind == Kind::Rbracket {
                    self.advance();
                    self.advance();
                    let right = self.projection_rhs(binding_power(Kind::Star))?;
                    Ok(Node::Projection(Box::new(Node::Identity), Box::new(right)))
                } else {
                    self.multi_select_list()
                }
            }
            Kind::Current => Ok(Node::Identity),
            Kind::Expref => {
                let inner = self.expression(binding_power(Kind::Expref))?;
                Ok(Node::Expref(Box::new(inner)))
            }
            Kind::Eof => Err(SyntaxError::Incomplete(token.start)),
            _ => Err(parse_error("invalid token".into(), &token)),
        }
    }

    fn led(&mut self, kind: Kind, left: Node) -> Parsed {
        let cmp = match kind {
            Kind::Eq => Some(Cmp::Eq),
            Kind::Ne => Some(Cmp::Ne),
            Kind::Lt => Some(Cmp::Lt),
            Kind::Lte => Some(Cmp::Lte),
            Kind::Gt => Some(Cmp::Gt),
            Kind::Gte => Some(Cmp::Gte),
            _ => None,
        };
        if !matches!(
            kind,
            Kind::Pipe
                | Kind::Or
                | Kind::And
                | Kind::Lparen
                | Kind::Filter
                | Kind::Flatten
                | Kind::Lbracket
                | Kind::Dot
        ) && cmp.is_none()
        {
            return Err(parse_error("invalid token".into(), self.token(0)));
        }
        self.advance();
        if let Some(cmp) = cmp {
            let right = self.expression(binding_power(kind))?;
            return Ok(Node::Comparator(cmp, Box::new(left), Box::new(right)));
        }
        match kind {
            Kind::Pipe => {
                let right = self.expression(binding_power(kind))?;
                Ok(Node::Pipe(Box::new(left), Box::new(right)))
            }
            Kind::Or => {
                let right = self.expression(binding_power(kind))?;
                Ok(Node::Or(Box::new(left), Box::new(right)))
            }
            Kind::And => {
                let right = self.expression(binding_power(kind))?;
                Ok(Node::And(Box::new(left), Box::new(right)))
            }
            Kind::Lparen => self.function(left),
            Kind::Filter => self.led_filter(left),
            Kind::Flatten => {
                let left = Node::Flatten(Box::new(left));
                let right = self.projection_rhs(binding_power(Kind::Flatten))?;
                Ok(Node::Projection(Box::new(left), Box::new(right)))
            }
            Kind::Lbracket => {
                if matches!(self.current(), Kind::Number | Kind::Colon) {
                    let right = self.index_expression()?;
                    match left {
                        // Python adds to an index expression in place,
                        // without a projection even for a slice.
                        Node::IndexExpression(mut children) => {
                            children.push(right);
                            Ok(Node::IndexExpression(children))
                        }
                        other => self.project_if_slice(other, right),
                    }
                } else {
                    self.expect(Kind::Star)?;
                    self.expect(Kind::Rbracket)?;
                    let right = self.projection_rhs(binding_power(Kind::Star))?;
                    Ok(Node::Projection(Box::new(left), Box::new(right)))
                }
            }
            _ => {
                // Kind::Dot
                if self.current() == Kind::Star {
                    self.advance();
                    let right = self.projection_rhs(binding_power(Kind::Dot))?;
                    Ok(Node::ValueProjection(Box::new(left), Box::new(right)))
                } else {
                    let right = self.dot_rhs(binding_power(Kind::Dot))?;
                    Ok(match left {
                        Node::Subexpression(mut children) => {
                            children.push(right);
                            Node::Subexpression(children)
                        }
                        other => Node::Subexpression(vec![other, right]),
                    })
                }
            }
        }
    }

    fn function(&mut self, left: Node) -> Parsed {
        let Node::Field(name) = left else {
            // The token before `(`: what would have been the name.
            let t = self.token(-2);
            return Err(parse_error(
                format!("Invalid function name '{}'", t.shown()),
                t,
            ));
        };
        let mut args = Vec::new();
        while self.current() != Kind::Rparen {
            let arg = self.expression(0)?;
            if self.current() == Kind::Comma {
                self.expect(Kind::Comma)?;
            }
            args.push(arg);
        }
        self.expect(Kind::Rparen)?;
        Ok(Node::Function(name, args))
    }

    fn led_filter(&mut self, left: Node) -> Parsed {
        let condition = self.expression(0)?;
        self.expect(Kind::Rbracket)?;
        let right = if self.current() == Kind::Flatten {
            Node::Identity
        } else {
            self.projection_rhs(binding_power(Kind::Filter))?
        };
        Ok(Node::FilterProjection(
            Box::new(left),
            Box::new(right),
            Box::new(condition),
        ))
    }

    /// After `[` with a number or colon next: `[n]` or a slice.
    fn index_expression(&mut self) -> Parsed {
        if self.current() == Kind::Colon || self.token(1).kind == Kind::Colon {
            return self.slice_expression();
        }
        let n = match self.token(0).value {
            TokenValue::Number(n) => n,
            _ => 0,
        };
        self.advance();
        self.expect(Kind::Rbracket)?;
        Ok(Node::Index(n))
    }

    fn slice_expression(&mut self) -> Parsed {
        let mut parts = [None, None, None];
        let mut index = 0;
        while self.current() != Kind::Rbracket && index < 3 {
            match self.current() {
                Kind::Colon => {
                    index += 1;
                    if index == 3 {
                        return Err(parse_error("syntax error".into(), self.token(0)));
                    }
                    self.advance();
                }
                Kind::Number => {
                    if let TokenValue::Number(n) = self.token(0).value {
                        parts[index] = Some(n);
                    }
                    self.advance();
                }
                _ => return Err(parse_error("syntax error".into(), self.token(0))),
            }
        }
        self.expect(Kind::Rbracket)?;
        Ok(Node::Slice(parts[0], parts[1], parts[2]))
    }

    fn project_if_slice(&mut self, left: Node, right: Node) -> Parsed {
        let is_slice = matches!(right, Node::Slice(..));
        let index = Node::IndexExpression(vec![left, right]);
        if is_slice {
            let rhs = self.projection_rhs(binding_power(Kind::Star))?;
            Ok(Node::Projection(Box::new(index), Box::new(rhs)))
        } else {
            Ok(index)
        }
    }

    fn multi_select_list(&mut self) -> Parsed {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.current() == Kind::Rbracket {
                break;
            }
            self.expect(Kind::Comma)?;
        }
        self.expect(Kind::Rbracket)?;
        Ok(Node::MultiList(items))
    }

    fn multi_select_hash(&mut self) -> Parsed {
        let mut pairs = Vec::new();
        loop {
            let key = self.token(0).clone();
            if !matches!(key.kind, Kind::QuotedIdentifier | Kind::UnquotedIdentifier) {
                return Err(
                    self.expected_error("['quoted_identifier', 'unquoted_identifier']".into())
                );
            }
            self.advance();
            self.expect(Kind::Colon)?;
            let value = self.expression(0)?;
            pairs.push((key.text().to_string(), value));
            match self.current() {
                Kind::Comma => self.advance(),
                Kind::Rbrace => {
                    self.advance();
                    break;
                }
                _ => {}
            }
        }
        Ok(Node::MultiHash(pairs))
    }

    fn projection_rhs(&mut self, rbp: u8) -> Parsed {
        let kind = self.current();
        if binding_power(kind) < PROJECTION_STOP {
            Ok(Node::Identity)
        } else if matches!(kind, Kind::Lbracket | Kind::Filter) {
            self.expression(rbp)
        } else if kind == Kind::Dot {
            self.advance();
            self.dot_rhs(rbp)
        } else {
            Err(parse_error("syntax error".into(), self.token(0)))
        }
    }

    fn dot_rhs(&mut self, rbp: u8) -> Parsed {
        match self.current() {
            Kind::QuotedIdentifier | Kind::UnquotedIdentifier | Kind::Star => self.expression(rbp),
            Kind::Lbracket => {
                self.advance();
                self.multi_select_list()
            }
            Kind::Lbrace => {
                self.advance();
                self.multi_select_hash()
            }
            other => Err(parse_error(
                format!(
                    "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
                    other.name()
                ),
                self.token(0),
            )),
        }
    }

    fn expect(&mut self, kind: Kind) -> Result<(), SyntaxError> {
        if self.current() == kind {
            self.advance();
            Ok(())
        } else {
            Err(self.expected_error(kind.name().to_string()))
        }
    }

    /// Python's error for a token that is not the one expected: an
    /// incomplete expression at the end, else `Expecting: X, got: Y`.
    fn expected_error(&self, expected: String) -> SyntaxError {
        let t = self.token(0);
        if t.kind == Kind::Eof {
            return SyntaxError::Incomplete(t.start);
        }
        parse_error(format!("Expecting: {expected}, got: {}", t.kind.name()), t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(expr: &str) -> String {
        parse(expr)
            .expect_err("a syntax error")
            .python_message(expr)
    }

    #[test]
    fn errors_read_like_python() {
        assert_eq!(message(""), "Invalid JMESPath expression: cannot be empty.");
        assert_eq!(
            message(" "),
            "Invalid jmespath expression: Incomplete expression:\n\" \"\n  ^"
        );
        assert_eq!(
            message("]"),
            "invalid token: Parse error at column 0, token \"]\" (RBRACKET), for expression:\n\"]\"\n ^"
        );
        assert_eq!(
            message("foo."),
            "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^"
        );
        assert_eq!(
            message("{a: b c}"),
            "Expecting: colon, got: rbrace: Parse error at column 7, token \"}\" (RBRACE), for expression:\n\"{a: b c}\"\n        ^"
        );
        assert_eq!(
            message("a=b"),
            "Bad jmespath expression: Unknown token '=':\na=b\n ^"
        );
        assert_eq!(
            message("`{\"a\":1}` `1`"),
            "Unexpected token: 1: Parse error at column 10, token \"1\" (LITERAL), for expression:\n\"`{\"a\":1}` `1`\"\n           ^"
        );
    }

    #[test]
    fn a_slice_after_an_index_does_not_project() {
        assert_eq!(
            parse("[0][1:2]"),
            Ok(Node::IndexExpression(vec![
                Node::Identity,
                Node::Index(0),
                Node::Slice(Some(1), Some(2), None)
            ]))
        );
    }
}
