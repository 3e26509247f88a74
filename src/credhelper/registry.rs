//! Which registry a server URL names: a private ECR registry (account,
//! region, FIPS), ECR Public, or something else.
//!
//! Clients hand the helper whatever they have: a bare host (`docker`,
//! skopeo), `https://host/v2/`, a host with a port. Only the host decides;
//! the port and path are dropped for recognition but kept for the alias map
//! (a local mirror is often told apart from another by its port alone).

/// A registry rcr can fetch a token for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registry {
    /// `<account>.dkr.ecr[-fips].<region>.<suffix>` or the dual-stack
    /// `<account>.dkr-ecr[-fips].<region>.on.aws`.
    Private {
        account: String,
        region: String,
        fips: bool,
        /// The canonical host (lower case, no port): the cache's key.
        host: String,
    },
    /// `public.ecr.aws`: ECR Public's token, which only exists in us-east-1.
    Public,
}

/// ECR Public's registry host.
pub const PUBLIC_HOST: &str = "public.ecr.aws";

impl Registry {
    /// The registry host, as the cache and `list` name it.
    pub fn host(&self) -> &str {
        match self {
            Registry::Private { host, .. } => host,
            Registry::Public => PUBLIC_HOST,
        }
    }

    /// The region GetAuthorizationToken is sent to.
    pub fn region(&self) -> &str {
        match self {
            Registry::Private { region, .. } => region,
            Registry::Public => "us-east-1",
        }
    }
}

/// The DNS suffixes of the partitions ECR registries live in (commercial,
/// China, the US isolated regions); dual-stack hosts use `on.aws` instead.
const SUFFIXES: &[&str] = &[
    "amazonaws.com",
    "amazonaws.com.cn",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
    "cloud.adc-e.uk",
    "csp.hci.ic.gov",
];

/// The `host[:port]` part of a server URL, lower-cased: no scheme, user
/// info, path, query or surrounding whitespace. `None` when nothing is left.
pub fn authority(server_url: &str) -> Option<String> {
    let s = server_url.trim();
    let s = match s.find("://") {
        Some(i) => &s[i + 3..],
        None => s,
    };
    let end = s.find(['/', '?', '#']).unwrap_or(s.len());
    let s = &s[..end];
    let s = match s.rfind('@') {
        Some(i) => &s[i + 1..],
        None => s,
    };
    let s = s.trim_end_matches('.');
    (!s.is_empty()).then(|| s.to_ascii_lowercase())
}

/// `authority` without its port (IPv6 literals keep their brackets).
pub fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(i) => &authority[..=i],
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

fn is_region_label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// Recognises an ECR registry in a server URL.
pub fn recognise(server_url: &str) -> Option<Registry> {
    let authority = authority(server_url)?;
    let host = host_of(&authority);
    if host == PUBLIC_HOST {
        return Some(Registry::Public);
    }
    let (account, rest) = host.split_once('.')?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // `dkr.ecr.` / `dkr.ecr-fips.` (IPv4 hosts) or `dkr-ecr.` /
    // `dkr-ecr-fips.` (dual-stack hosts, only under on.aws).
    let (fips, dual_stack, rest) = if let Some(r) = rest.strip_prefix("dkr.ecr.") {
        (false, false, r)
    } else if let Some(r) = rest.strip_prefix("dkr.ecr-fips.") {
        (true, false, r)
    } else if let Some(r) = rest.strip_prefix("dkr-ecr.") {
        (false, true, r)
    } else if let Some(r) = rest.strip_prefix("dkr-ecr-fips.") {
        (true, true, r)
    } else {
        return None;
    };
    let (region, suffix) = rest.split_once('.')?;
    if !is_region_label(region) {
        return None;
    }
    let suffix_ok = if dual_stack {
        suffix == "on.aws"
    } else {
        SUFFIXES.contains(&suffix)
    };
    if !suffix_ok {
        return None;
    }
    Some(Registry::Private {
        account: account.to_string(),
        region: region.to_string(),
        fips,
        host: host.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(url: &str) -> Option<(String, String, bool)> {
        match recognise(url)? {
            Registry::Private {
                account,
                region,
                fips,
                ..
            } => Some((account, region, fips)),
            Registry::Public => None,
        }
    }

    #[test]
    fn recognises_private_hosts_in_every_form() {
        let want = Some(("123456789012".to_string(), "eu-west-1".to_string(), false));
        for url in [
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com:443",
            "  HTTPS://123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM/v2/repo\n",
            "123456789012.dkr-ecr.eu-west-1.on.aws",
            "https://123456789012.dkr-ecr.eu-west-1.on.aws:443/v2/",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com.",
        ] {
            assert_eq!(private(url), want, "{url}");
        }
        assert_eq!(
            private("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"),
            Some(("123456789012".into(), "cn-north-1".into(), false))
        );
        assert_eq!(
            private("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"),
            Some(("123456789012".into(), "us-gov-west-1".into(), true))
        );
        assert_eq!(
            private("123456789012.dkr-ecr-fips.us-east-1.on.aws"),
            Some(("123456789012".into(), "us-east-1".into(), true))
        );
        assert_eq!(
            recognise("https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/")
                .as_ref()
                .map(Registry::host),
            Some("123456789012.dkr.ecr.us-east-1.amazonaws.com")
        );
    }

    #[test]
    fn recognises_public() {
        assert_eq!(recognise("public.ecr.aws"), Some(Registry::Public));
        assert_eq!(
            recognise("https://public.ecr.aws/v2/"),
            Some(Registry::Public)
        );
        assert_eq!(Registry::Public.region(), "us-east-1");
    }

    #[test]
    fn refuses_other_hosts() {
        for url in [
            "",
            "   ",
            "https://index.docker.io/v1/",
            "ghcr.io",
            "12345678901.dkr.ecr.us-east-1.amazonaws.com",
            "1234567890123.dkr.ecr.us-east-1.amazonaws.com",
            "12345678901a.dkr.ecr.us-east-1.amazonaws.com",
            "123456789012.dkr.ecr.us-east-1.example.com",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.com",
            "123456789012.dkr-ecr.us-east-1.amazonaws.com",
            "123456789012.dkr.ecr.on.aws",
            "123456789012.dkr.ecr..amazonaws.com",
            "evil.com/123456789012.dkr.ecr.us-east-1.amazonaws.com",
            "notpublic.ecr.aws",
            "\u{0}\u{1}garbage",
        ] {
            assert_eq!(recognise(url), None, "{url:?}");
        }
    }

    #[test]
    fn authority_keeps_port_and_drops_the_rest() {
        assert_eq!(
            authority("http://user@127.0.0.1:5000/v2/x?y").as_deref(),
            Some("127.0.0.1:5000")
        );
        assert_eq!(
            authority("Mirror.Example.com").as_deref(),
            Some("mirror.example.com")
        );
        assert_eq!(authority("https:///v2/"), None);
        assert_eq!(host_of("127.0.0.1:5000"), "127.0.0.1");
        assert_eq!(host_of("[::1]:5000"), "[::1]");
        assert_eq!(host_of("example.com"), "example.com");
    }
}
