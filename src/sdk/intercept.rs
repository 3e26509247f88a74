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

/// Signs for the region `''`: botocore takes an empty `--region ''` (or
/// `AWS_REGION=`) as the region named `''` and, with an endpoint URL, sends
/// a request whose credential scope has an empty region. The SDK refuses an
/// empty region in its endpoint parameters, so it is given a stand-in
/// (`config::EMPTY_REGION_STAND_IN`) and this puts the empty name back for
/// the signer, in the layer that wins over the client's own.
#[derive(Debug)]
pub struct EmptySigningRegion;

impl aws_smithy_runtime_api::client::interceptors::Intercept for EmptySigningRegion {
    fn name(&self) -> &'static str {
        "EmptySigningRegion"
    }

    fn modify_before_signing(
        &self,
        _context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        cfg.interceptor_state()
            .store_put(aws_types::region::SigningRegion::from(
                aws_types::region::Region::new(""),
            ));
        Ok(())
    }
}
