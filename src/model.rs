//! The shape of the service models as static data.
//!
//! `xtask codegen` turns botocore's JSON models (in `models/`) into constant
//! tables of these types (`src/generated/*_model.rs`), so that nothing is
//! parsed at startup: the parser, validation, help, skeletons, pagination and
//! waiters all read the same tables. Shapes refer to each other by index into
//! their service's `shapes` slice.

/// Index of a shape in [`Service::shapes`].
pub type ShapeId = u16;

/// One AWS service as the CLI exposes it (`ecr`, `ecr-public`).
#[derive(Debug)]
pub struct Service {
    /// The command name: `ecr`.
    pub cli_name: &'static str,
    /// The model's `serviceId`: `ECR`.
    pub service_id: &'static str,
    /// The JSON protocol's target prefix, `AmazonEC2ContainerRegistry_V20150921`.
    pub target_prefix: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// The model's API version, `2015-09-21`.
    pub api_version: &'static str,
    /// The service documentation (HTML from the model).
    pub doc: &'static str,
    pub operations: &'static [Operation],
    pub shapes: &'static [Shape],
    pub waiters: &'static [Waiter],
}

impl Service {
    pub fn shape(&self, id: ShapeId) -> &'static Shape {
        &self.shapes[usize::from(id)]
    }

    pub fn operation(&self, cli_name: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|op| op.cli_name == cli_name)
    }

    pub fn waiter(&self, cli_name: &str) -> Option<&'static Waiter> {
        self.waiters.iter().find(|w| w.cli_name == cli_name)
    }
}

/// One API operation.
#[derive(Debug)]
pub struct Operation {
    /// The model name: `CreateRepository`.
    pub name: &'static str,
    /// The command name: `create-repository`.
    pub cli_name: &'static str,
    pub input: ShapeId,
    pub output: ShapeId,
    pub paginator: Option<Paginator>,
    pub deprecated: bool,
    pub doc: &'static str,
}

/// A paginator from `paginators-1.json`.
#[derive(Debug)]
pub struct Paginator {
    pub input_token: &'static [&'static str],
    pub output_token: &'static [&'static str],
    pub limit_key: Option<&'static str>,
    pub result_keys: &'static [&'static str],
    pub non_aggregate_keys: &'static [&'static str],
    pub more_results: Option<&'static str>,
}

/// A shape: a named type of the model.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    pub kind: ShapeKind,
    pub doc: &'static str,
    pub sensitive: bool,
}

/// Numeric bounds from the model's `min` / `max` traits (a length for strings,
/// lists, maps and blobs; a value for numbers).
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug)]
pub enum ShapeKind {
    String {
        enum_values: &'static [&'static str],
        bounds: Bounds,
        pattern: Option<&'static str>,
    },
    Integer {
        bounds: Bounds,
    },
    Long {
        bounds: Bounds,
    },
    Float {
        bounds: Bounds,
    },
    Double {
        bounds: Bounds,
    },
    Boolean,
    Timestamp,
    Blob {
        bounds: Bounds,
    },
    Structure {
        members: &'static [Member],
        exception: bool,
    },
    List {
        member: ShapeId,
        bounds: Bounds,
    },
    Map {
        key: ShapeId,
        value: ShapeId,
        bounds: Bounds,
    },
}

impl ShapeKind {
    /// The model's type name (`string`, `structure`, ...), as aws prints it in help.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::String { .. } => "string",
            ShapeKind::Integer { .. } => "integer",
            ShapeKind::Long { .. } => "long",
            ShapeKind::Float { .. } => "float",
            ShapeKind::Double { .. } => "double",
            ShapeKind::Boolean => "boolean",
            ShapeKind::Timestamp => "timestamp",
            ShapeKind::Blob { .. } => "blob",
            ShapeKind::Structure { .. } => "structure",
            ShapeKind::List { .. } => "list",
            ShapeKind::Map { .. } => "map",
        }
    }

    pub fn members(&self) -> &'static [Member] {
        match self {
            ShapeKind::Structure { members, .. } => members,
            _ => &[],
        }
    }

    /// Scalars take one command-line word; everything else takes JSON or shorthand.
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            ShapeKind::Structure { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. }
        )
    }
}

/// A member of a structure.
#[derive(Debug)]
pub struct Member {
    /// The model (wire) name: `repositoryName`.
    pub name: &'static str,
    /// The command-line flag without dashes: `repository-name`.
    pub cli_name: &'static str,
    pub shape: ShapeId,
    pub required: bool,
    pub deprecated: bool,
    pub doc: &'static str,
}

/// A waiter from `waiters-2.json`.
#[derive(Debug)]
pub struct Waiter {
    /// The model name: `ImageScanComplete`.
    pub name: &'static str,
    /// The command name: `image-scan-complete`.
    pub cli_name: &'static str,
    /// The model name of the operation it polls.
    pub operation: &'static str,
    pub delay: u32,
    pub max_attempts: u32,
    pub acceptors: &'static [Acceptor],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    Path,
    PathAll,
    PathAny,
    Status,
    Error,
}

/// The `expected` value of an acceptor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expected {
    Str(&'static str),
    Bool(bool),
    Int(i64),
}

#[derive(Debug)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
    pub argument: Option<&'static str>,
    pub expected: Expected,
}

/// One server-side completion from a service's `completions-1.json`: the
/// values of an operation's input member are read from another operation's
/// output (the completion's resource), as aws_completer offers them.
#[derive(Debug)]
pub struct ResourceCompletion {
    /// The model name of the operation whose member is completed: `DescribeImages`.
    pub operation: &'static str,
    /// The input member completed: `repositoryName`.
    pub member: &'static str,
    /// The model name of the operation that lists the values: `DescribeRepositories`.
    pub source: &'static str,
    /// The JMESPath expression that picks them from its output:
    /// `repositories[].repositoryName`.
    pub expression: &'static str,
}
