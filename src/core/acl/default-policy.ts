// The built-in `default` policy: what every non-root token may do to and about itself.

/** HCL text of the `default` policy, as installed when the server is first initialised. */
export const DEFAULT_POLICY_TEXT = `# Token self-service: look up, renew and revoke the calling token.
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

path "auth/token/renew-self" {
    capabilities = ["update"]
}

path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Ask which capabilities the calling token has on given paths.
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Read the caller's own identity entity, by id and by name.
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}

path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}

# The UI asks for the caller's resultant ACL to decide what to show.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Renew and look up leases (the older sys/renew path included).
path "sys/renew" {
    capabilities = ["update"]
}
path "sys/leases/renew" {
    capabilities = ["update"]
}

path "sys/leases/lookup" {
    capabilities = ["update"]
}

# The token's private cubbyhole.
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Response wrapping: wrap arbitrary data, inspect and unwrap wrapping tokens.
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Hashing helpers.
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Control-group requests made by the caller.
path "sys/control-group/request" {
    capabilities = ["update"]
}

# OIDC provider authorisation on behalf of the caller.
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
`;
