//! `impl_intercept!`: rcr's interceptors written as their hooks alone.
//!
//! Every hook of the SDK's `Intercept` trait takes the runtime components
//! and the config bag besides its context, and returns `Result<(),
//! BoxError>`; rcr's interceptors never read the two. The macro writes that
//! signature and `name()` (the type's name) once, so each interceptor
//! states only the hooks it uses and what they do. A macro because trait
//! methods cannot be produced by a function.

/// `impl_intercept! { impl Intercept for T { fn hook(&self, context: &Ctx<'_>) { ... } ... } }`
/// implements `Intercept` for `T` with those hooks (a body returns
/// `Result<(), BoxError>`).
macro_rules! impl_intercept {
    (impl Intercept for $ty:ident {
        $(fn $hook:ident(&$self:ident, $context:ident: $context_type:ty) $body:block)*
    }) => {
        impl aws_smithy_runtime_api::client::interceptors::Intercept for $ty {
            fn name(&self) -> &'static str {
                stringify!($ty)
            }

            $(fn $hook(
                &$self,
                $context: $context_type,
                _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
                _cfg: &mut aws_smithy_types::config_bag::ConfigBag,
            ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> $body)*
        }
    };
}
